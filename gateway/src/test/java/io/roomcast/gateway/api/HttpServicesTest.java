package io.roomcast.gateway.api;

import io.roomcast.gateway.AuthorizerOptions;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.ServiceOptions;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client events to an HTTP backend (a {@code services} rule with a {@code url},
 * docs/SERVICES.md): a real HTTP server on loopback, in its own Vert.x, answers, fails with
 * statuses, says nothing, says something that is not JSON, or holds its requests; a port nobody
 * listens on stands for a backend that is down. Each failure reaches only the client that asked.
 */
class HttpServicesTest extends GatewayTestBase {

  private static Vertx backendVertx;
  private static HttpServer backend;
  private static int closedPort;
  /** What the backend received: the request's path, headers and body. */
  private static final Queue<HttpServerRequest> HEADERS = new ConcurrentLinkedQueue<>();
  private static final Queue<JsonObject> BODIES = new ConcurrentLinkedQueue<>();
  /** Requests the backend holds without answering, until a test answers them. */
  private static final Queue<HttpServerRequest> HELD = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger FLOOD_CHUNKS = new AtomicInteger();
  private static final int FLOOD_MAX_CHUNKS = 4_096;

  @BeforeAll
  static void startBackend() throws IOException {
    backendVertx = Vertx.vertx();
    backend = Await.result(backendVertx.createHttpServer().requestHandler(HttpServicesTest::serve).listen(0, "127.0.0.1"));
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
  }

  @AfterAll
  static void stopBackend() {
    Await.result(backendVertx.close());
  }

  @BeforeEach
  void forget() {
    HEADERS.clear();
    BODIES.clear();
    HELD.forEach(r -> r.response().setStatusCode(503).end());
    HELD.clear();
  }

  private static void serve(HttpServerRequest request) {
    request.body().onSuccess(buffer -> {
      HEADERS.add(request);
      JsonObject body = buffer.toJsonObject();
      BODIES.add(body);
      JsonObject data = body.getJsonObject("data", new JsonObject());
      switch (request.path()) {
        case "/orders" -> request.response().putHeader("content-type", "application/json")
          .end(new JsonObject().put("order", 7).put("item", data.getString("item")).encode());
        case "/list" -> request.response().end(new JsonArray().add(1).add(2).encode());
        case "/status" -> request.response().setStatusCode(data.getInteger("status"))
          .end(data.containsKey("message") ? new JsonObject().put("message", data.getString("message")).encode() : "<html>no</html>");
        case "/empty" -> request.response().setStatusCode(204).end();
        case "/not-json" -> request.response().end("order 7, tea");
        case "/huge" -> request.response().end(new JsonObject().put("text", "x".repeat(70_000)).encode());
        case "/flood" -> flood(request.response().setChunked(true), new AtomicInteger());
        case "/held" -> HELD.add(request);
        case "/authorize" -> decide(request, body);
        default -> { } // /silent: never answers
      }
    });
  }

  /** An answer far over the limit: 4,096 chunks of 64 KB (256 MB), each written once the last is taken. */
  private static void flood(HttpServerResponse response, AtomicInteger chunks) {
    if (chunks.incrementAndGet() > FLOOD_MAX_CHUNKS) {
      response.end();
      return;
    }
    response.write(Buffer.buffer(new byte[65_536])).onSuccess(v -> flood(response, chunks));
    FLOOD_CHUNKS.set(chunks.get());
  }

  /** The authorizer: the room's name says what it answers. */
  private static void decide(HttpServerRequest request, JsonObject body) {
    switch (body.getString("room")) {
      case "vip-ok" -> request.response().end(new JsonObject().put("allow", true).encode());
      case "vip-no" -> request.response().end(new JsonObject().put("allow", false).encode());
      case "vip-error" -> request.response().setStatusCode(500).end(new JsonObject().put("allow", true).encode());
      case "vip-text" -> request.response().end("allow");
      default -> { } // vip-silent: never answers
    }
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + backend.actualPort() + path;
  }

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(new HubOptions().setServices(List.of(
      ServiceOptions.http("order.*", url("/orders")).setHeaders(Map.of("x-api-key", "k-123")).setClaims(List.of("sub")),
      ServiceOptions.http("list", url("/list")),
      ServiceOptions.http("status", url("/status")),
      ServiceOptions.http("empty", url("/empty")),
      ServiceOptions.http("not-json", url("/not-json")),
      ServiceOptions.http("huge", url("/huge")),
      ServiceOptions.http("flood", url("/flood")).setTimeout(30_000),
      ServiceOptions.http("silent", url("/silent")).setTimeout(300),
      ServiceOptions.http("held", url("/held")).setMaxInFlight(2),
      ServiceOptions.http("down", "http://127.0.0.1:" + closedPort + "/orders").setTimeout(2_000)))
      .setAuthorizers(List.of(AuthorizerOptions.http("vip-*", url("/authorize")).setTimeout(300)
        .setHeaders(Map.of("x-api-key", "k-456"))))));
  }

  private static Msg ask(TestClient c, String event, JsonObject data) {
    return Wire.JSON.request(c, Envelope.of(event).withRoom("shop").withData(data));
  }

  @Test
  void theBackendGetsTheEventAsJsonWithItsHeadersAndItsAnswerIsTheReply() {
    TestClient c = connect();
    Msg reply = ask(c, "order.create", new JsonObject().put("item", "tea"));
    assertEquals("ok", reply.status(), reply.toString());
    assertEquals(new JsonObject().put("order", 7).put("item", "tea"), reply.dataObject());

    HttpServerRequest seen = HEADERS.poll();
    assertEquals("POST", seen.method().name());
    assertEquals("k-123", seen.getHeader("x-api-key"), "the rule's header");
    assertEquals("application/json", seen.getHeader("content-type"));
    assertEquals("default", seen.getHeader("roomcast-hub"));
    JsonObject body = BODIES.poll();
    assertEquals("default", body.getString("hub"));
    assertEquals("order.create", body.getString("event"));
    assertEquals("shop", body.getString("room"));
    assertEquals(new JsonObject().put("item", "tea"), body.getJsonObject("data"));
    assertEquals(c.id(), body.getJsonObject("client").getString("id"));
    assertTrue(body.containsKey("id"), body.encode());

    assertEquals(new JsonArray().add(1).add(2), ask(c, "list", new JsonObject()).data(), "any JSON value");
    Msg empty = ask(c, "empty", new JsonObject());
    assertEquals("ok", empty.status(), empty.toString());
    assertNull(empty.data(), "no body, no data");
  }

  @Test
  void statusesBecomeErrorCodesWithTheBackendsMessage() {
    TestClient c = connect();
    Map<Integer, String> codes = Map.of(400, "bad_request", 422, "bad_request", 401, "forbidden", 403, "forbidden",
      404, "unknown_event", 413, "too_large", 429, "rate_limited", 503, "unavailable", 500, "internal", 302, "internal");
    codes.forEach((status, code) -> {
      Msg reply = ask(c, "status", new JsonObject().put("status", status).put("message", "said " + status));
      assertEquals(code, reply.errorCode(), status + ": " + reply);
      assertEquals("said " + status, reply.error().getString("message"));
    });
    Msg html = ask(c, "status", new JsonObject().put("status", 502));
    assertEquals("internal", html.errorCode());
    assertEquals("the service at " + url("/status") + " answered HTTP 502", html.error().getString("message"),
      "a body that is not JSON is not passed on");
  }

  @Test
  void aBodyThatIsNotJsonSilenceAndABackendThatIsDownAreClearErrorsToTheAskerOnly() {
    TestClient asker = connect();
    TestClient other = connect();

    Msg notJson = ask(asker, "not-json", new JsonObject());
    assertEquals("internal", notJson.errorCode());
    assertEquals("the service at " + url("/not-json") + " answered 200 with a body that is not JSON",
      notJson.error().getString("message"));

    Msg huge = ask(asker, "huge", new JsonObject());
    assertEquals("internal", huge.errorCode());
    assertEquals("the service at " + url("/huge") + " answered more than the hub's maxMessageSize of 65536 bytes",
      huge.error().getString("message"));
    // Refused as soon as it passes the limit, not buffered to its end.
    Msg flood = ask(asker, "flood", new JsonObject());
    assertEquals("internal", flood.errorCode(), flood.toString());
    assertTrue(FLOOD_CHUNKS.get() < FLOOD_MAX_CHUNKS, "answered after " + FLOOD_CHUNKS.get() + " chunks of 64 KB");
    for (int i = 0; i < 3; i++) {
      assertEquals(new JsonArray().add(1).add(2), ask(asker, "list", new JsonObject()).data(), "the backend's next answers, whole");
    }

    long asked = System.nanoTime();
    Msg silent = ask(asker, "silent", new JsonObject());
    long ms = (System.nanoTime() - asked) / 1_000_000;
    assertEquals("unavailable", silent.errorCode());
    assertEquals("the service at " + url("/silent") + " did not answer within 300 ms", silent.error().getString("message"));
    assertTrue(ms >= 250 && ms < 5_000, "answered after " + ms + " ms");

    Msg down = ask(asker, "down", new JsonObject());
    assertEquals("unavailable", down.errorCode());
    assertTrue(down.error().getString("message").startsWith("the service at http://127.0.0.1:" + closedPort
      + "/orders could not be reached"), down.toString());

    // Nothing of it reached the other client, and both are still served.
    assertEquals("ok", ask(other, "order.create", new JsonObject().put("item", "cake")).status());
    assertEquals("ok", ask(asker, "order.create", new JsonObject().put("item", "cake")).status());
    assertFalse(other.inbox().stream().anyMatch(m -> "error".equals(m.event()) || "error".equals(m.status())), other.inbox().toString());
  }

  @Test
  void oneRequestOverTheLimitInFlightIsUnavailableAtOnceAndTheLimitFreesAsAnswersCome() {
    TestClient c = connect();
    String first = TestClient.newRequestId();
    String second = TestClient.newRequestId();
    c.sendJson(Envelope.of("held").withId(first));
    c.sendJson(Envelope.of("held").withId(second));
    Await.until(() -> HELD.size() == 2, Duration.ofSeconds(10), "two requests held by the backend");

    Msg third = ask(c, "held", new JsonObject());
    assertEquals("unavailable", third.errorCode());
    assertEquals("the service at " + url("/held") + " has 2 requests from this node in flight, its limit",
      third.error().getString("message"));

    HELD.poll().response().end(new JsonObject().put("n", 1).encode());
    assertEquals(new JsonObject().put("n", 1), c.takeReply(first).dataObject());
    String fourth = TestClient.newRequestId();
    c.sendJson(Envelope.of("held").withId(fourth));
    Await.until(() -> HELD.size() == 2, Duration.ofSeconds(10), "two requests held by the backend");
    HELD.forEach(r -> r.response().end(new JsonObject().put("n", 2).encode()));
    HELD.clear();
    assertEquals("ok", c.takeReply(second).status());
    assertEquals("ok", c.takeReply(fourth).status());
  }

  @Test
  void withoutAnIdTheEventIsPostedAndNothingComesBack() {
    TestClient c = connect();
    c.sendJson(Envelope.of("order.create").withData(new JsonObject().put("item", "jam")));
    Await.until(() -> BODIES.stream().anyMatch(b -> new JsonObject().put("item", "jam").equals(b.getJsonObject("data"))),
      Duration.ofSeconds(10), "the one-way order at the backend");
    assertEquals("ok", Wire.JSON.request(c, Envelope.of("ping")).status());
    assertFalse(c.inbox().stream().anyMatch(m -> "reply".equals(m.event())), c.inbox().toString());
  }

  @Test
  void anAuthorizerOverHttpAllowsOnlyOnAnExplicitAllowInTime() {
    TestClient c = connect();
    assertEquals("ok", Wire.JSON.request(c, Envelope.of("join").withRoom("vip-ok")).status());
    JsonObject asked = BODIES.poll();
    assertEquals("join", asked.getString("action"));
    assertEquals("vip-ok", asked.getString("room"));
    assertEquals(c.id(), asked.getJsonObject("client").getString("id"));
    assertEquals("k-456", HEADERS.poll().getHeader("x-api-key"));

    assertEquals("ok", Wire.JSON.request(c, Envelope.of("chat").withRoom("vip-ok").withData("hi")).status(), "a publish asked too");
    JsonObject publish = BODIES.poll();
    assertEquals("publish", publish.getString("action"));
    assertEquals("chat", publish.getString("event"));

    Map<String, String> denials = Map.of(
      "vip-no", url("/authorize") + " did not allow it",
      "vip-error", url("/authorize") + " answered HTTP 500",
      "vip-text", url("/authorize") + " did not allow it",
      "vip-silent", "did not answer within 300 ms");
    denials.forEach((room, why) -> {
      Msg denied = Wire.JSON.request(c, Envelope.of("join").withRoom(room));
      assertEquals("forbidden", denied.errorCode(), room + ": " + denied);
      assertTrue(denied.error().getString("message").startsWith("not allowed to join in \"" + room + "\": "), denied.toString());
      assertTrue(denied.error().getString("message").endsWith(why), room + ": " + denied);
    });
    assertEquals("ok", Wire.JSON.request(c, Envelope.of("join").withRoom("lobby")).status(), "other rooms are not asked about");
  }

  @Test
  void badRulesAreRefusedWithTheirReason() {
    Map<JsonObject, String> refused = Map.of(
      rule().put("address", "app.orders").put("url", url("/orders")), "an \"address\" or a \"url\", not both",
      rule(), "\"services[0].address\" or \"services[0].url\" is required",
      rule().put("url", "ftp://127.0.0.1/orders"), "absolute http:// or https:// URL with a host",
      rule().put("url", "/orders"), "absolute http:// or https:// URL with a host",
      rule().put("url", "http://bob:pw@127.0.0.1/orders"), "must not carry credentials",
      rule().put("url", url("/orders")).put("headers", new JsonObject().put("x key", "v")), "an HTTP token",
      rule().put("url", url("/orders")).put("headers", new JsonObject().put("x-key", "a\r\nb: c")), "without line breaks",
      rule().put("url", url("/orders")).put("headers", new JsonObject().put("Content-Type", "text/plain")), "is set by Roomcast",
      rule().put("url", url("/orders")).put("maxInFlight", 0), "maxInFlight",
      rule().put("address", "app.orders").put("maxInFlight", 5), "are for a service rule with a \"url\"");
    refused.forEach((rule, reason) -> {
      JsonObject hub = new JsonObject().put("services", new JsonArray().add(rule));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HubOptions(hub), rule.encode());
      assertTrue(e.getMessage().contains(reason), rule.encode() + ": " + e.getMessage());
      assertFalse(e.getMessage().contains("pw"), "no credentials in the message: " + e.getMessage());
    });
    JsonObject good = rule().put("url", url("/orders")).put("headers", new JsonObject().put("x-api-key", "k")).put("maxInFlight", 9);
    ServiceOptions parsed = new HubOptions(new JsonObject().put("services", new JsonArray().add(good))).getServices().get(0);
    assertEquals(url("/orders"), parsed.getUrl());
    assertNull(parsed.getAddress());
    assertEquals(Map.of("x-api-key", "k"), parsed.getHeaders());
    assertEquals(9, parsed.getMaxInFlight());
    assertEquals(parsed.toJson(), new ServiceOptions(parsed.toJson()).toJson(), "the JSON form reads back");

    JsonObject both = new JsonObject().put("rooms", "vip-*").put("address", "app.a").put("url", url("/authorize"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> new HubOptions(new JsonObject().put("authorizers", new JsonArray().add(both))));
    assertTrue(e.getMessage().contains("an \"address\" or a \"url\", not both"), e.getMessage());
    JsonObject authorizer = new JsonObject().put("rooms", "vip-*").put("url", url("/authorize"))
      .put("headers", new JsonObject().put("x-api-key", "k"));
    AuthorizerOptions read = new HubOptions(new JsonObject().put("authorizers", new JsonArray().add(authorizer))).getAuthorizers().get(0);
    assertEquals(url("/authorize"), read.getUrl());
    assertEquals(read.toJson(), new AuthorizerOptions(read.toJson()).toJson());
  }

  private static JsonObject rule() {
    return new JsonObject().put("events", "order.*");
  }
}
