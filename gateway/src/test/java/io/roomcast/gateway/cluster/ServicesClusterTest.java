package io.roomcast.gateway.cluster;

import io.roomcast.gateway.AuthorizerOptions;
import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.HubServiceClient;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.ServiceOptions;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.TestCluster;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client events to services on the event bus (docs/SERVICES.md), across clustered nodes in this
 * JVM: the client on one node, the service consuming its address on another; answers, failures
 * with codes, a service that does not answer in time, no service at all, one-way sends, the
 * claims passed on, and a hub handler that still wins.
 */
@ExtendWith(VertxExtension.class)
class ServicesClusterTest {

  private TestCluster cluster;
  private final List<TestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(c -> {
      try {
        c.close();
      } catch (RuntimeException | AssertionError ignored) {
        // closed by the test
      }
    });
    if (cluster != null) {
      cluster.close();
    }
  }

  private static GatewayOptions options() {
    return new GatewayOptions().setHubs(List.of(new HubOptions().setServices(List.of(
        new ServiceOptions("order.*", "app.orders").setTimeout(400).setClaims(List.of("sub", "tier")),
        new ServiceOptions("nobody.*", "app.nobody").setTimeout(400),
        new ServiceOptions("handled", "app.orders")))
      .setApi(List.of("*"))
      .setPresence(List.of("team:*"))
      .setLifecycleAddress("app.lifecycle")
      .setAuthorizers(List.of(new AuthorizerOptions("vip-*", "app.authorize").setTimeout(300).setClaims(List.of("sub")),
        new AuthorizerOptions("ghost-*", "app.nobody").setTimeout(300))),
      new HubOptions().setName("narrow").setPath("/narrow").setApi(List.of("count"))));
  }

  private static JsonObject api(Vertx from, String hub, JsonObject command) {
    return Await.result(from.eventBus().<JsonObject>request("roomcast." + hub + ".api", command)).body();
  }

  private static ReplyException apiFailure(Vertx from, JsonObject command) {
    return (ReplyException) Await.failure(from.eventBus().request("roomcast.default.api", command));
  }

  private static void configure(Gateway g) {
    g.hub("default").authenticator(h -> Future.succeededFuture(
      h.token() == null ? new JsonObject() : new JsonObject().put("sub", h.token()).put("tier", "gold").put("secret", "s3")));
    g.hub("default").on("handled", ctx -> ctx.reply(new JsonObject().put("by", "the hub")));
  }

  private TestClient client(Vertx vertx, TestCluster.Node node, String user) {
    TestClient c = TestClient.connect(vertx, node.port(), user == null ? "/ws" : "/ws?access_token=" + user);
    clients.add(c);
    return c;
  }

  @Test
  void aServiceOnAnotherNodeAnswersFailsWithCodesAndSeesOnlyTheClaimsAllowed(Vertx vertx) {
    cluster = TestCluster.start(2, options(), ServicesClusterTest::configure);
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> service = cluster.node(1).vertx().eventBus().consumer("app.orders", msg -> {
      JsonObject body = msg.body();
      seen.add(body);
      switch (body.getString("event")) {
        case "order.create" -> msg.reply(new JsonObject().put("order", 42).put("item", body.getJsonObject("data").getString("item")));
        case "order.refused" -> msg.fail(403, "not your order");
        case "order.invalid" -> msg.fail(400, "item is required");
        case "order.broken" -> msg.fail(500, "the database is down");
        case "order.slow" -> { } // never answers
        default -> msg.reply(null);
      }
    });
    Await.result(service.completion());
    TestClient ann = client(vertx, cluster.node(0), "ann");

    Msg created = Wire.JSON.request(ann, Envelope.of("order.create").withRoom("shop").withData(new JsonObject().put("item", "tea")));
    assertEquals("ok", created.status(), created.toString());
    assertEquals(new JsonObject().put("order", 42).put("item", "tea"), created.dataObject());
    JsonObject body = seen.get(0);
    assertEquals("default", body.getString("hub"));
    assertEquals("shop", body.getString("room"));
    assertEquals(ann.id(), body.getJsonObject("client").getString("id"));
    assertEquals(cluster.node(0).id(), body.getJsonObject("client").getString("node"));
    assertEquals("ann", body.getJsonObject("client").getString("user"));
    assertEquals(new JsonObject().put("sub", "ann").put("tier", "gold"), body.getJsonObject("client").getJsonObject("claims"),
      "only the claims the rule lets through");
    assertTrue(body.containsKey("id"));

    Wire.JSON.request(ann, Envelope.of("order.create").withRoom("shop").withKey("k-1").withData(new JsonObject().put("item", "tea")));
    assertEquals("k-1", seen.get(seen.size() - 1).getString("key"), "the idempotency key reaches the service");

    assertEquals("forbidden", Wire.JSON.request(ann, Envelope.of("order.refused")).errorCode());
    Msg invalid = Wire.JSON.request(ann, Envelope.of("order.invalid"));
    assertEquals("bad_request", invalid.errorCode());
    assertEquals("item is required", invalid.error().getString("message"));
    assertEquals("internal", Wire.JSON.request(ann, Envelope.of("order.broken")).errorCode());

    long asked = System.nanoTime();
    Msg slow = Wire.JSON.request(ann, Envelope.of("order.slow"));
    long ms = (System.nanoTime() - asked) / 1_000_000;
    assertEquals("unavailable", slow.errorCode(), slow.toString());
    assertTrue(slow.error().getString("message").contains("did not answer within 400 ms"), slow.toString());
    assertTrue(ms >= 350 && ms < 3000, "unavailable at the rule's timeout, not the event bus's 30 s: " + ms + " ms");

    Msg nobody = Wire.JSON.request(ann, Envelope.of("nobody.there"));
    assertEquals("unavailable", nobody.errorCode());
    assertTrue(nobody.error().getString("message").contains("no service consumes app.nobody"), nobody.toString());

    // Without an id: a one-way send, nothing comes back.
    int before = seen.size();
    Wire.JSON.send(ann, Envelope.of("order.note").withData("fyi"));
    Await.until(() -> seen.size() == before + 1, Duration.ofSeconds(5), "the one-way event reached the service");
    assertFalse(seen.get(before).containsKey("id"));
    assertTrue(ann.sync().stream().noneMatch(m -> "reply".equals(m.event()) || "error".equals(m.event())));

    // A handler in the hub wins over the service for its event.
    assertEquals("the hub", Wire.JSON.request(ann, Envelope.of("handled")).dataObject().getString("by"));
    assertTrue(seen.stream().noneMatch(b -> "handled".equals(b.getString("event"))));
    // An event no rule names is not forwarded: it is a room or direct event as before, or unknown.
    assertEquals("unknown_event", Wire.JSON.request(ann, Envelope.of("elsewhere")).errorCode());
  }

  @Test
  void twoServiceInstancesShareTheRequestsAndABinaryClientGetsItsAnswer(Vertx vertx) {
    cluster = TestCluster.start(2, options(), ServicesClusterTest::configure);
    List<String> servedBy = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 2; i++) {
      String name = "instance-" + i;
      Await.result(cluster.node(i).vertx().eventBus().<JsonObject>consumer("app.orders", msg -> {
        servedBy.add(name);
        msg.reply(new JsonObject().put("by", name));
      }).completion());
    }
    TestClient c = client(vertx, cluster.node(0), "bo");
    for (int i = 0; i < 20; i++) {
      assertEquals("ok", Wire.JSON.request(c, Envelope.of("order.create").withData(new JsonObject().put("item", "x"))).status());
    }
    assertEquals(20, servedBy.size());
    assertTrue(servedBy.contains("instance-0") && servedBy.contains("instance-1"), "round robin across the instances: " + servedBy);

    TestClient binary = TestClient.connect(vertx, cluster.node(1).port(), "/ws?access_token=cy", Wire.BINARY.subprotocol());
    clients.add(binary);
    Wire.BINARY.send(binary, Envelope.of("order.create").withData(new JsonObject().put("item", "y")));
    Msg reply = binary.take(m -> "reply".equals(m.event()));
    // A binary reply says what it answers, the service's answer under data.
    assertEquals("order.create", reply.dataObject().getString("event"), reply.toString());
    assertTrue(reply.dataObject().getJsonObject("data").getString("by").startsWith("instance-"), reply.toString());
  }

  @Test
  void theApiAddressTakesEveryCommandFromAnyProcessAndRefusesBadOnes(Vertx vertx) {
    cluster = TestCluster.start(2, options(), ServicesClusterTest::configure);
    Vertx service = cluster.node(1).vertx();
    TestClient ann = client(vertx, cluster.node(0), "ann");
    TestClient ann2 = client(vertx, cluster.node(1), "ann");
    TestClient bob = client(vertx, cluster.node(1), "bob");
    Wire.JSON.join(bob, "news");

    assertEquals(true, api(service, "default", new JsonObject().put("command", "join").put("client", ann.id()).put("room", "news")).getBoolean("ok"));
    api(service, "default", new JsonObject().put("command", "publish").put("room", "news").put("event", "headline").put("data", "hi"));
    for (TestClient c : List.of(ann, bob)) {
      assertEquals("hi", c.takeEvent("headline").data());
    }
    api(service, "default", new JsonObject().put("command", "send").put("client", bob.id()).put("event", "dm").put("data", 1));
    assertEquals(1, bob.takeEvent("dm").data());
    api(service, "default", new JsonObject().put("command", "sendToUser").put("user", "ann").put("event", "notice").put("data", "x"));
    assertEquals("x", ann.takeEvent("notice").data());
    assertEquals("x", ann2.takeEvent("notice").data());
    JsonArray clients = api(service, "default", new JsonObject().put("command", "clients").put("room", "news")).getJsonArray("clients");
    assertEquals(2, clients.size(), clients.encode());
    assertTrue(api(service, "default", new JsonObject().put("command", "rooms")).getJsonArray("rooms")
      .contains(new JsonObject().put("room", "news").put("members", 2)));
    assertEquals(3, api(service, "default", new JsonObject().put("command", "count")).getLong("count"));
    assertEquals(2, api(service, "default", new JsonObject().put("command", "connectionsOf").put("user", "ann")).getJsonArray("clients").size());
    Wire.JSON.join(bob, "team:1");
    Await.until(() -> api(service, "default", new JsonObject().put("command", "presence").put("room", "team:1")).getLong("count") == 1,
      Duration.ofSeconds(5), "bob in team:1's roster");
    api(service, "default", new JsonObject().put("command", "leave").put("client", ann.id()).put("room", "news"));
    api(service, "default", new JsonObject().put("command", "publish").put("room", "news").put("event", "headline").put("data", "again"));
    assertEquals("again", bob.takeEvent("headline").data());
    assertTrue(ann.sync().stream().noneMatch(m -> "headline".equals(m.event())), "ann left news");
    assertEquals(2L, api(service, "default", new JsonObject().put("command", "kickUser").put("user", "ann")).getLong("kicked"));
    assertEquals(1008, ann.awaitClose());
    api(service, "default", new JsonObject().put("command", "kick").put("client", bob.id()));
    assertEquals(1008, bob.awaitClose());

    // Bad commands: each a clear failure with a code, and nothing changes.
    assertEquals(400, apiFailure(service, new JsonObject()).failureCode());
    assertEquals(400, apiFailure(service, new JsonObject().put("command", "explode")).failureCode());
    assertEquals(400, apiFailure(service, new JsonObject().put("command", "publish").put("room", "news")).failureCode());
    assertEquals(400, apiFailure(service, new JsonObject().put("command", "publish").put("room", "bad room").put("event", "e")).failureCode());
    assertEquals(400, apiFailure(service, new JsonObject().put("command", "publish").put("room", "news").put("event", "bad event")).failureCode());
    assertEquals(400, apiFailure(service, new JsonObject().put("command", "presence").put("room", "lobby")).failureCode());
    assertEquals(404, apiFailure(service, new JsonObject().put("command", "send").put("client", "nobody.0.1").put("event", "e")).failureCode());
    ReplyException notJson = (ReplyException) Await.failure(service.eventBus().request("roomcast.default.api", "publish everything"));
    assertEquals(400, notJson.failureCode());
    // A hub that takes only some commands refuses the others with 403.
    assertEquals(0L, api(service, "narrow", new JsonObject().put("command", "count")).getLong("count"));
    ReplyException narrow = (ReplyException) Await.failure(service.eventBus().request("roomcast.narrow.api",
      new JsonObject().put("command", "publish").put("room", "news").put("event", "e")));
    assertEquals(403, narrow.failureCode());
  }

  @Test
  void lifecycleEventsAndAServiceThatDecidesJoinsAndPublishes(Vertx vertx) {
    cluster = TestCluster.start(2, options(), ServicesClusterTest::configure);
    Vertx service = cluster.node(1).vertx();
    List<JsonObject> lifecycle = new CopyOnWriteArrayList<>();
    Await.result(service.eventBus().<JsonObject>consumer("app.lifecycle", msg -> lifecycle.add(msg.body())).completion());
    List<JsonObject> asked = new CopyOnWriteArrayList<>();
    Await.result(service.eventBus().<JsonObject>consumer("app.authorize", msg -> {
      asked.add(msg.body());
      String user = msg.body().getJsonObject("client").getString("user");
      if ("slow".equals(user)) {
        return; // never answers: a denial at the timeout
      }
      msg.reply(new JsonObject().put("allow", "ann".equals(user)));
    }).completion());

    TestClient ann = client(vertx, cluster.node(0), "ann");
    Wire.JSON.join(ann, "lobby");
    Wire.JSON.request(ann, Envelope.of("leave").withRoom("lobby"));
    ann.close();
    Await.until(() -> lifecycle.stream().filter(e -> ann.id().equals(clientOf(e))).count() >= 4
        && lifecycle.stream().anyMatch(e -> "vacated".equals(e.getString("type")) && "lobby".equals(e.getString("room"))),
      Duration.ofSeconds(5), "ann's lifecycle: " + lifecycle);
    List<String> types = lifecycle.stream().filter(e -> ann.id().equals(clientOf(e)) || "lobby".equals(e.getString("room")))
      .map(e -> e.getString("type") + (e.containsKey("room") ? ":" + e.getString("room") : "")).toList();
    assertEquals(List.of("connect", "occupied:lobby", "join:lobby", "leave:lobby", "vacated:lobby", "disconnect"), types, lifecycle.toString());
    assertEquals(cluster.node(0).id(), lifecycle.get(0).getString("node"));
    assertEquals("ann", lifecycle.stream().filter(e -> "connect".equals(e.getString("type"))).findFirst().orElseThrow()
      .getJsonObject("client").getString("user"));

    TestClient vip = client(vertx, cluster.node(0), "ann");
    TestClient denied = client(vertx, cluster.node(1), "bob");
    TestClient slow = client(vertx, cluster.node(0), "slow");
    TestClient watcher = client(vertx, cluster.node(1), "ann");
    Wire.JSON.join(vip, "vip-1");
    Wire.JSON.join(watcher, "vip-1");
    assertEquals("join", asked.get(0).getString("action"));
    assertEquals("vip-1", asked.get(0).getString("room"));
    Msg no = Wire.JSON.request(denied, Envelope.of("join").withRoom("vip-1"));
    assertEquals("forbidden", no.errorCode(), no.toString());
    long t = System.nanoTime();
    Msg late = Wire.JSON.request(slow, Envelope.of("join").withRoom("vip-1"));
    assertEquals("forbidden", late.errorCode(), "no answer in time is a denial: " + late);
    assertTrue((System.nanoTime() - t) / 1_000_000 < 3000);
    assertEquals("forbidden", Wire.JSON.request(vip, Envelope.of("join").withRoom("ghost-1")).errorCode(), "no service: denied");
    // Publishes decided by the service keep their order.
    for (int i = 0; i < 20; i++) {
      Wire.JSON.send(vip, Envelope.of("n").withRoom("vip-1").withData(i));
    }
    for (int i = 0; i < 20; i++) {
      assertEquals(i, watcher.takeEvent("n").data());
    }
    assertTrue(asked.stream().anyMatch(a -> "publish".equals(a.getString("action")) && "n".equals(a.getString("event"))));
  }

  private static String clientOf(JsonObject lifecycleEvent) {
    JsonObject client = lifecycleEvent.getJsonObject("client");
    return client == null ? null : client.getString("id");
  }

  @Test
  void aJvmServiceUsesTheJavaClientOfTheApi(Vertx vertx) {
    cluster = TestCluster.start(2, options(), ServicesClusterTest::configure);
    HubServiceClient hub = new HubServiceClient(cluster.node(1).vertx(), "default", 5_000);
    TestClient ann = client(vertx, cluster.node(0), "ann");
    Await.result(hub.join(ann.id(), "feed"));
    assertEquals(List.of(new ClientInfo(ann.id(), cluster.node(0).id())), Await.result(hub.clients("feed")));
    Await.result(hub.publish("feed", "item", new JsonObject().put("n", 1)));
    assertEquals(1, ann.takeEvent("item").dataObject().getInteger("n"));
    Await.result(hub.sendToUser("ann", "hello", "there"));
    assertEquals("there", ann.takeEvent("hello").data());
    assertEquals(1L, Await.result(hub.count()));
    assertEquals(1, Await.result(hub.connectionsOf("ann")).size());
    assertTrue(Await.result(hub.rooms()).stream().anyMatch(r -> r.room().equals("feed") && r.members() == 1));
    ReplyException unknown = (ReplyException) Await.failure(hub.send("nobody.0.1", "e", null));
    assertEquals(404, unknown.failureCode());
    assertEquals(1L, Await.result(hub.kickUser("ann")));
    assertEquals(1008, ann.awaitClose());
  }
}
