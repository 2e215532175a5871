package io.roomcast.gateway.api;

import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.Http;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway as a library in a plain Vert.x application: the application owns the router (with
 * routes of its own) and the HTTP server; the gateway only mounts its hubs and the echo endpoint.
 */
@ExtendWith(VertxExtension.class)
class EmbeddingTest {

  /** What an application would write: its routes, the gateway mounted, one server. */
  private static int serveApp(Vertx vertx, Gateway gateway) {
    Router router = Router.router(vertx);
    router.get("/hello").handler(rc -> rc.response().putHeader("content-type", "text/plain").end("hello from the app"));
    gateway.mount(router);
    HttpServerOptions options = gateway.httpServerOptions(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    return Await.result(vertx.createHttpServer(options).requestHandler(router).listen()).actualPort();
  }

  @Test
  void anApplicationServesItsOwnRoutesAndTheHubOnOneServer(Vertx vertx) {
    Gateway gateway = Gateway.create(vertx, new GatewayOptions());
    int port = serveApp(vertx, gateway);
    Http.Response hello = Http.get(port, "/hello");
    assertEquals(200, hello.status(), hello.toString());
    assertEquals("hello from the app", hello.body());
    try (TestClient binary = TestClient.connect(vertx, port, "/ws", "roomcast.v1.bin");
         TestClient json = TestClient.connect(vertx, port, "/ws")) {
      assertEquals("roomcast.v1.bin", binary.subProtocol());
      assertEquals(gateway.nodeId(), binary.node());
      Wire.BINARY.join(binary, "lobby");
      Wire.JSON.join(json, "lobby");
      json.sendJson(new JsonObject().put("event", "chat").put("room", "lobby").put("data", "hi"));
      Msg m = binary.takeEvent("chat");
      assertTrue(m.binary());
      assertEquals(json.id(), m.from());
      assertEquals("hi", m.data());
      assertEquals(2L, Await.result(gateway.hub("default").count()));
    }
  }

  @Test
  void theEchoEndpointIsMountedToo(Vertx vertx) {
    int port = serveApp(vertx, Gateway.create(vertx));
    try (TestClient echo = TestClient.openRaw(vertx, TestClient.options(port, "/ws/echo"))) {
      echo.sendText("echo me");
      assertEquals("echo me", echo.takeNext().text());
    }
  }

  @Test
  void theHubsOfTheOptionsAreMountedOnTheirPathsWithTheirLimits(Vertx vertx) {
    Gateway gateway = Gateway.create(vertx, new GatewayOptions().setEchoPath(null)
      .setHubs(List.of(new HubOptions().setName("live").setPath("/live").setMaxMessageSize(2048))));
    int port = serveApp(vertx, gateway);
    Hub live = gateway.hub("live");
    try (TestClient c = TestClient.connect(vertx, port, "/live")) {
      assertEquals(1L, Await.result(live.count()));
      c.sendText("{\"event\":\"ping\",\"data\":\"" + "x".repeat(2100) + "\"}");
      assertEquals(1009, c.awaitClose());
    }
    // Held until the end: Vert.x closes a client that nothing references.
    WebSocketClient client = vertx.createWebSocketClient();
    for (String path : List.of("/ws", "/ws/echo")) {
      Throwable refused = Await.failure(client.connect(TestClient.options(port, path)));
      assertInstanceOf(UpgradeRejectedException.class, refused, path);
      assertEquals(404, ((UpgradeRejectedException) refused).getStatus(), path);
    }
    Await.result(client.close());
  }

  @Test
  void closingTheGatewayClosesItsConnectionsWith1001(Vertx vertx) {
    Gateway gateway = Gateway.create(vertx);
    int port = serveApp(vertx, gateway);
    try (TestClient a = TestClient.connect(vertx, port, "/ws"); TestClient b = TestClient.connect(vertx, port, "/ws")) {
      Await.result(gateway.close());
      assertEquals(1001, a.awaitClose());
      assertEquals(1001, b.awaitClose());
    }
  }
}
