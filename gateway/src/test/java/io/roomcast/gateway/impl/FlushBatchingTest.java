package io.roomcast.gateway.impl;

import io.roomcast.gateway.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The gateway's server connections batch their flushes on this Vert.x. */
class FlushBatchingTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() {
    Await.result(vertx.close());
  }

  @Test
  void theHandlerGoesIntoEveryServerConnectionOnce() {
    // If this fails after a Vert.x upgrade, every frame of a fan-out is flushed by itself again.
    List<Boolean> installed = new CopyOnWriteArrayList<>();
    HttpServer server = Await.result(vertx.createHttpServer()
      .connectionHandler(connection -> {
        installed.add(FlushBatching.install(connection));
        installed.add(FlushBatching.install(connection));
      })
      .requestHandler(request -> request.response().end("flushed"))
      .listen(0, "127.0.0.1"));

    HttpClientResponse response = Await.result(vertx.createHttpClient()
      .request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
      .compose(request -> request.send()));
    assertEquals("flushed", Await.result(response.body()).toString(), "the response made it through the handler");
    assertEquals(List.of(true, false), installed, "installed once, then recognised");
  }
}
