package io.roomcast.gateway.impl;

import io.roomcast.gateway.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vert.x's server connections expose what flush batching needs. The hubs install it on every
 * connection they upgrade, so every WebSocket test of the suite runs through it.
 */
class FlushBatchingTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() {
    Await.result(vertx.close());
  }

  @Test
  void serverConnectionsOfThisVertxCanBatchTheirFlushes() {
    // If this fails after a Vert.x upgrade, every frame of a fan-out is flushed by itself again.
    AtomicReference<Class<? extends HttpConnection>> connectionClass = new AtomicReference<>();
    HttpServer server = Await.result(vertx.createHttpServer()
      .requestHandler(request -> {
        connectionClass.set(request.connection().getClass());
        request.response().end("ok");
      })
      .listen(0, "127.0.0.1"));
    // Held until the end: Vert.x closes a client that nothing references ("Pool closed").
    HttpClient client = vertx.createHttpClient();
    // The body is asked for in the same chain: asked later, it may have gone by already.
    String body = Await.result(client
      .request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
      .compose(request -> request.send().compose(HttpClientResponse::body))).toString();
    Await.result(client.close());
    assertEquals("ok", body);

    assertNotNull(connectionClass.get());
    assertTrue(FlushBatching.reaches(connectionClass.get()), connectionClass.get() + " has no public channel()");
  }
}
