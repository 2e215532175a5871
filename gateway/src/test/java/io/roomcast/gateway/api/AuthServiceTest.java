package io.roomcast.gateway.api;

import io.roomcast.gateway.AuthServiceOptions;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.JwtOptions;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.RawSocketClient;
import io.roomcast.gateway.testing.ServerFrameContract;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A service that authenticates connections (the hub option {@code auth.service}): over HTTP, a
 * real Vert.x backend on loopback that decides from the session cookie; on the event bus, a
 * consumer in the gateway's Vert.x. Only {@code {"claims":{...}}} in time admits, with those
 * claims; every other answer, a failure, silence and no service refuse with 401.
 */
class AuthServiceTest extends GatewayTestBase {

  private static Vertx backendVertx;
  private static HttpServer backend;
  private static final Queue<JsonObject> BODIES = new ConcurrentLinkedQueue<>();
  private static final Queue<HttpServerRequest> HEADERS = new ConcurrentLinkedQueue<>();
  private static final Queue<JsonObject> BUS_BODIES = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void startBackend() {
    backendVertx = Vertx.vertx();
    backend = Await.result(backendVertx.createHttpServer().requestHandler(AuthServiceTest::decide).listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stopBackend() {
    Await.result(backendVertx.close());
  }

  @BeforeEach
  void forget() {
    BODIES.clear();
    HEADERS.clear();
    BUS_BODIES.clear();
  }

  /** The backend: the session cookie says what it answers. */
  private static void decide(HttpServerRequest request) {
    request.body().onSuccess(buffer -> {
      JsonObject body = buffer.toJsonObject();
      BODIES.add(body);
      HEADERS.add(request);
      String cookie = body.getJsonObject("headers").getString("cookie", "");
      switch (cookie) {
        case "session=ann" -> request.response().end(new JsonObject().put("claims", new JsonObject().put("sub", "ann").put("plan", "gold")).encode());
        case "session=nobody" -> request.response().setStatusCode(401).end(new JsonObject().put("message", "no such session").encode());
        case "session=no-claims" -> request.response().end(new JsonObject().put("sub", "ann").encode());
        case "session=claims-not-object" -> request.response().end(new JsonObject().put("claims", "ann").encode());
        case "session=text" -> request.response().end("ann");
        case "session=expired" -> request.response().end(new JsonObject().put("claims", new JsonObject().put("sub", "ann")
          .put("exp", System.currentTimeMillis() / 1000 - 60)).encode());
        case "session=exp-text" -> request.response().end(new JsonObject().put("claims", new JsonObject().put("sub", "ann")
          .put("exp", "tomorrow")).encode());
        case "session=exp-far" -> request.response().end(new JsonObject().put("claims", new JsonObject().put("sub", "ann")
          .put("exp", 1e300)).encode());
        default -> { } // silent: never answers
      }
    });
  }

  private static String url() {
    return "http://127.0.0.1:" + backend.actualPort() + "/authenticate";
  }

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(
      new HubOptions().setAuthService(AuthServiceOptions.http(url()).setHeaders(Map.of("x-api-key", "k-789")).setTimeout(300)),
      new HubOptions().setName("bus").setPath("/bus").setAuthService(new AuthServiceOptions("app.authenticate").setTimeout(300)),
      new HubOptions().setName("nobody").setPath("/nobody").setAuthService(new AuthServiceOptions("app.no-one-listens").setTimeout(300))));
  }

  @Override
  protected void configure(Gateway gateway) {
    gateway.hubs().forEach(h -> h.on("whoami", ctx -> ctx.reply(ctx.connection().claims())));
    vertx.eventBus().<JsonObject>consumer("app.authenticate", msg -> {
      BUS_BODIES.add(msg.body());
      String token = msg.body().getString("token", "");
      switch (msg.body().getJsonObject("query").getString("pass", "")) {
        case "bob" -> msg.reply(new JsonObject().put("claims", new JsonObject().put("sub", token.equals("mallory") ? "mallory" : "bob")
          .put("exp", token.isEmpty() ? 4_000_000_000L : 4_100_000_000L)));
        case "fail" -> msg.fail(403, "not bob");
        case "allow-false" -> msg.reply(new JsonObject().put("allow", false));
        default -> { } // silent
      }
    });
  }

  private JsonObject claimsOf(TestClient c) {
    String id = TestClient.newRequestId();
    c.sendJson(new JsonObject().put("event", "whoami").put("id", id));
    Msg reply = c.takeReply(id);
    return reply.dataObject();
  }

  private int status(String path, Map<String, String> headers) {
    try (RawSocketClient c = RawSocketClient.connect(port)) {
      return c.upgrade(path, headers).status();
    }
  }

  @Test
  void theBackendGetsTheHandshakeAndItsClaimsAdmitTheConnection() {
    TestClient c = track(TestClient.open(vertx, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
      .setURI("/ws?lang=en&access_token=tok-1").addHeader("Cookie", "session=ann").addHeader("Origin", "http://app.example")));
    c.takeEvent("welcome");
    assertEquals(new JsonObject().put("sub", "ann").put("plan", "gold"), claimsOf(c));

    JsonObject body = BODIES.poll();
    assertEquals("default", body.getString("hub"));
    assertEquals("/ws", body.getString("path"));
    assertEquals(new JsonObject().put("lang", "en"), body.getJsonObject("query"), "the token goes apart from the query");
    assertEquals("tok-1", body.getString("token"));
    assertEquals("127.0.0.1", body.getString("remote"));
    JsonObject headers = body.getJsonObject("headers");
    assertEquals("session=ann", headers.getString("cookie"));
    assertEquals("http://app.example", headers.getString("origin"));
    assertFalse(headers.containsKey("sec-websocket-key"), "the upgrade's own headers are not passed on: " + headers);
    assertEquals(null, ServerFrameContract.problems(ServerFrameContract.validator("AuthenticationRequest"), body),
      "as /asyncapi.json says");
    HttpServerRequest seen = HEADERS.poll();
    assertEquals("k-789", seen.getHeader("x-api-key"), "the option's headers");
    assertEquals("default", seen.getHeader("roomcast-hub"));
  }

  @Test
  void everyOtherAnswerSilenceAndAFailureRefuseTheHandshakeWith401() {
    for (String session : List.of("nobody", "no-claims", "claims-not-object", "text", "expired", "exp-text", "silent")) {
      assertEquals(401, status("/ws", Map.of("Cookie", "session=" + session)), session);
    }
    assertEquals(401, status("/ws", Map.of()), "no cookie: the backend stays silent");
    // The refusals changed nothing: the next one the backend admits connects.
    TestClient c = track(TestClient.open(vertx, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
      .setURI("/ws").addHeader("Cookie", "session=ann")));
    c.takeEvent("welcome");
    // An exp past what milliseconds can hold is the far future, not an overflow into the past.
    TestClient far = track(TestClient.open(vertx, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
      .setURI("/ws").addHeader("Cookie", "session=exp-far")));
    far.takeEvent("welcome");
    assertEquals("ann", claimsOf(far).getString("sub"), "still open after a round trip");
  }

  @Test
  void aServiceOnTheEventBusDecidesTheSameWay() {
    TestClient bob = connectTo("/bus?pass=bob");
    assertEquals("bob", claimsOf(bob).getString("sub"));
    for (String pass : List.of("fail", "allow-false", "silent")) {
      assertEquals(401, status("/bus?pass=" + pass, Map.of()), pass);
    }
    assertEquals(401, status("/nobody", Map.of()), "no consumer on the address");
  }

  @Test
  void aRefreshAsksTheServiceWithTheNewToken() {
    TestClient bob = connectTo("/bus?pass=bob");
    assertEquals(4_000_000_000L, claimsOf(bob).getLong("exp"));
    BUS_BODIES.clear();

    Msg refreshed = Wire.JSON.request(bob, Envelope.of("refresh").withData(new JsonObject().put("token", "tok-2")));
    assertEquals("ok", refreshed.status(), refreshed.toString());
    assertEquals(4_100_000_000L, refreshed.dataObject().getLong("exp"));
    JsonObject asked = BUS_BODIES.poll();
    assertEquals("tok-2", asked.getString("token"), asked.encode());
    assertEquals(new JsonObject().put("pass", "bob"), asked.getJsonObject("query"), "the first handshake's query, without its token");

    // A token of another user: refused, nothing changes.
    Msg other = Wire.JSON.request(bob, Envelope.of("refresh").withData(new JsonObject().put("token", "mallory")));
    assertEquals("forbidden", other.errorCode(), other.toString());
    assertEquals("bob", claimsOf(bob).getString("sub"));
  }

  @Test
  void badOptionsAreRefused() {
    Map<JsonObject, String> bad = Map.of(
      new JsonObject().put("service", new JsonObject()), "\"auth.service.address\" or \"auth.service.url\" is required",
      new JsonObject().put("service", new JsonObject().put("address", "app.a").put("url", url())), "not both",
      new JsonObject().put("service", new JsonObject().put("address", "roomcast.default.api")), "must not be one of Roomcast's",
      new JsonObject().put("service", new JsonObject().put("url", "ftp://127.0.0.1/a")), "http:// or https://",
      new JsonObject().put("service", new JsonObject().put("address", "app.a").put("claims", new JsonArray().add("sub"))), "claims",
      new JsonObject().put("service", new JsonObject().put("address", "app.a")).put("jwt", new JsonObject().put("secret", "s")),
      "by \"jwt\" or by a \"service\", not both");
    bad.forEach((auth, reason) -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new HubOptions(new JsonObject().put("auth", auth)), auth.encode());
      assertTrue(e.getMessage().contains(reason), auth.encode() + ": " + e.getMessage());
    });
    HubOptions read = new HubOptions(new JsonObject().put("auth", new JsonObject().put("service",
      new JsonObject().put("url", url()).put("headers", new JsonObject().put("x-api-key", "k")))));
    assertEquals(read.toJson(), new HubOptions(read.toJson()).toJson(), "the JSON form reads back");
    assertEquals(url(), read.getAuthService().getUrl());
    // JWT or a service: setting one clears the other.
    HubOptions both = new HubOptions().setAuthService(new AuthServiceOptions("app.a")).setJwt(new JwtOptions().setSecret(
      "a-long-enough-shared-secret-for-hs256-tokens"));
    assertEquals(null, both.getAuthService());
  }
}
