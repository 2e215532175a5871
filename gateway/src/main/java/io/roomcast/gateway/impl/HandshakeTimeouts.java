package io.roomcast.gateway.impl;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Drops TCP connections that do not send a whole HTTP request in time, such as a half-sent
 * upgrade request (slowloris). Once a request has arrived the connection is left alone: an idle
 * timeout would cut quiet WebSockets too. One sweeping timer serves every connection, so that a
 * connect costs no timer of its own.
 */
final class HandshakeTimeouts {

  private final Vertx vertx;
  private final long timeoutNanos;
  private final Map<HttpConnection, Long> waiting = new ConcurrentHashMap<>();
  private long sweeper = -1;

  HandshakeTimeouts(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
  }

  synchronized void start() {
    if (sweeper < 0) {
      long period = Math.max(25, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 4));
      sweeper = vertx.setPeriodic(period, id -> sweep());
    }
  }

  synchronized void stop() {
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
      sweeper = -1;
    }
    waiting.clear();
  }

  void opened(HttpConnection connection) {
    waiting.put(connection, System.nanoTime());
    connection.closeHandler(v -> waiting.remove(connection));
  }

  void requestArrived(HttpConnection connection) {
    waiting.remove(connection);
  }

  private void sweep() {
    long now = System.nanoTime();
    waiting.forEach((connection, openedAt) -> {
      if (now - openedAt > timeoutNanos && waiting.remove(connection) != null) {
        connection.close();
      }
    });
  }
}
