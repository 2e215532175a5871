package io.roomcast.gateway.impl;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drops TCP connections that do not send a whole HTTP request in time, such as a half-sent
 * upgrade request (slowloris). Once a request has arrived the connection is left alone: an idle
 * timeout would cut quiet WebSockets too.
 */
final class HandshakeTimeouts {

  private final Vertx vertx;
  private final long timeoutMs;
  private final Map<HttpConnection, Long> timers = new ConcurrentHashMap<>();

  HandshakeTimeouts(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  void opened(HttpConnection connection) {
    long timer = vertx.setTimer(timeoutMs, id -> {
      if (timers.remove(connection) != null) {
        connection.close();
      }
    });
    timers.put(connection, timer);
    connection.closeHandler(v -> requestArrived(connection));
  }

  void requestArrived(HttpConnection connection) {
    Long timer = timers.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }
}
