package io.roomcast.examples;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A WebSocket client of a gateway node speaking the JSON protocol (docs/PROTOCOL.md), used from the
 * test thread: every frame the node sends goes into an inbox, and the test takes from the inbox
 * the frame it expects, waiting for it up to a deadline.
 */
final class WsClient implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final WebSocketClient client;
  private final ClientWebSocket ws;
  private final List<JsonObject> inbox = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private String id;

  private WsClient(WebSocketClient client, ClientWebSocket ws) {
    this.client = client;
    this.ws = ws;
    // Before connecting: the welcome follows the upgrade at once.
    ws.textMessageHandler(this::onText);
  }

  /** Connects to a node's hub on 127.0.0.1 and waits for the welcome. */
  static WsClient connect(Vertx vertx, int port, String path) {
    WebSocketClient client = vertx.createWebSocketClient();
    WsClient c = new WsClient(client, client.webSocket());
    await(c.ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path)));
    c.id = c.take(f -> "welcome".equals(f.getString("event")), TIMEOUT).getJsonObject("data").getString("id");
    return c;
  }

  private void onText(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      frame = new JsonObject().put("event", "(not a JSON object)").put("text", text);
    }
    synchronized (inbox) {
      inbox.add(frame);
      inbox.notifyAll();
    }
  }

  /** @return the client id the welcome gave */
  String id() {
    return id;
  }

  /** Sends a frame as it is. */
  void send(JsonObject frame) {
    await(ws.writeTextMessage(frame.encode()));
  }

  /** Sends a frame with a new request id; @return the id */
  int sendRequest(JsonObject frame) {
    int requestId = ids.incrementAndGet();
    send(frame.copy().put("id", requestId));
    return requestId;
  }

  /** Sends a frame with a new request id and waits for its reply. */
  JsonObject request(JsonObject frame) {
    return reply(sendRequest(frame), TIMEOUT);
  }

  /** Waits for the reply to a request id and takes it. */
  JsonObject reply(int requestId, Duration timeout) {
    return take(f -> "reply".equals(f.getString("event")) && f.getValue("id") instanceof Number n && n.intValue() == requestId,
      timeout);
  }

  /**
   * Waits for the first frame that matches and takes it out of the inbox.
   *
   * @throws AssertionError when none arrives within the timeout
   */
  JsonObject take(Predicate<JsonObject> matching, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (inbox) {
      while (true) {
        for (Iterator<JsonObject> it = inbox.iterator(); it.hasNext(); ) {
          JsonObject frame = it.next();
          if (matching.test(frame)) {
            it.remove();
            return frame;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no matching frame in " + timeout.toMillis() + " ms on client " + id + "; inbox: " + inbox);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(inbox, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for a frame on client " + id, e);
        }
      }
    }
  }

  /** @return a copy of what is in the inbox now, without waiting */
  List<JsonObject> inbox() {
    synchronized (inbox) {
      return new ArrayList<>(inbox);
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result in " + TIMEOUT.toMillis() + " ms", e);
    }
  }

  @Override
  public void close() {
    try {
      if (!ws.isClosed()) {
        ws.close().await(5, TimeUnit.SECONDS);
      }
    } catch (TimeoutException | RuntimeException e) {
      // The node is gone or slow: closing the client below drops the connection anyway.
    } finally {
      client.close();
    }
  }
}
