package io.roomcast.gateway.cluster;

import io.roomcast.gateway.Envelope;
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
      new ServiceOptions("handled", "app.orders")))));
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
}
