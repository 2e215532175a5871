package io.roomcast.gateway.node;

import io.roomcast.gateway.impl.bus.Addresses;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.ClusterFiles;
import io.roomcast.gateway.testing.Http;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The management API of a 2-node cluster, asked on either node: every answer covers both nodes;
 * kick, send and publish reach clients on the other node; a live node that does not answer turns
 * an answer into a 503 that names it; a draining node leaves every answer at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterManagementTest {

  private static Vertx clients;
  private static InProcessNode a;
  private static InProcessNode b;

  @BeforeAll
  static void startCluster() {
    clients = Vertx.vertx();
    Path config = ClusterFiles.privateLoopback();
    NodeOptions options = InProcessNode.options(InProcessNode.gatewayOptions().setRequestTimeout(1000))
      .setCluster(true).setClusterConfig(config.toString());
    a = InProcessNode.start(options);
    b = InProcessNode.start(options);
    Await.until(() -> nodeIds(a).size() == 2 && nodeIds(b).size() == 2, Duration.ofSeconds(10), "each node knows both");
  }

  @AfterAll
  static void stopCluster() {
    for (InProcessNode n : new InProcessNode[] {b, a}) {
      if (n != null) {
        n.close();
      }
    }
    Await.result(clients.close());
  }

  private static Set<String> nodeIds(InProcessNode asked) {
    Http.Response r = Http.get(asked.managementPort(), "/admin/nodes");
    Set<String> ids = new TreeSet<>();
    if (r.status() == 200) {
      r.json().getJsonArray("nodes").forEach(n -> ids.add(((JsonObject) n).getString("node")));
    }
    return ids;
  }

  @Test
  @Order(1)
  void eitherNodeListsBothNodesWithTheirAddresses() {
    for (InProcessNode asked : List.of(a, b)) {
      JsonArray nodes = Http.get(asked.managementPort(), "/admin/nodes").json().getJsonArray("nodes");
      assertEquals(2, nodes.size(), nodes.encode());
      for (int i = 0; i < 2; i++) {
        JsonObject n = nodes.getJsonObject(i);
        InProcessNode which = n.getString("node").equals(a.id()) ? a : b;
        assertEquals(which.id(), n.getString("node"));
        assertEquals("127.0.0.1:" + which.port(), n.getString("address"));
        assertEquals("127.0.0.1:" + which.managementPort(), n.getString("management"));
        assertEquals(which == asked, n.getBoolean("self"));
      }
    }
  }

  @Test
  @Order(2)
  void roomsMembersAndStatsCoverBothNodes() {
    try (TestClient onA = TestClient.connect(clients, a.port(), "/ws"); TestClient onB = TestClient.connect(clients, b.port(), "/ws")) {
      Wire.JSON.join(onA, "both");
      Wire.JSON.join(onB, "both");
      JsonArray rooms = Http.get(b.managementPort(), "/admin/rooms").array();
      assertTrue(rooms.contains(new JsonObject().put("room", "both").put("members", 2)), rooms.encode());
      JsonArray members = Http.get(a.managementPort(), "/admin/rooms/both").json().getJsonArray("members");
      assertEquals(Set.of(new JsonObject().put("id", onA.id()).put("node", a.id()), new JsonObject().put("id", onB.id()).put("node", b.id())),
        Set.of(members.getJsonObject(0), members.getJsonObject(1)));

      JsonObject stats = Http.get(a.managementPort(), "/admin/stats").json().getJsonArray("hubs").getJsonObject(0);
      JsonArray perNode = stats.getJsonArray("nodes");
      assertEquals(Set.of(a.id(), b.id()), Set.of(perNode.getJsonObject(0).getString("node"), perNode.getJsonObject(1).getString("node")));
      assertEquals(perNode.getJsonObject(0).getLong("connections") + perNode.getJsonObject(1).getLong("connections"), stats.getLong("connections"));
      assertTrue(stats.getLong("connections") >= 2, stats.encode());
      // Distinct rooms: "root" and "both" are on both nodes, and count once.
      assertEquals(2, stats.getLong("rooms"), stats.encode());
    }
  }

  @Test
  @Order(3)
  void kickSendAndPublishReachClientsOnTheOtherNode() {
    try (TestClient onA = TestClient.connect(clients, a.port(), "/ws"); TestClient onB = TestClient.connect(clients, b.port(), "/ws");
         TestClient kicked = TestClient.connect(clients, b.port(), "/ws")) {
      Wire.JSON.join(onA, "across");
      Wire.JSON.join(onB, "across");
      Http.Response published = Http.post(a.managementPort(), "/admin/rooms/across/publish", "{\"event\":\"news\",\"data\":1}");
      assertEquals(200, published.status(), published.toString());
      assertEquals(2, published.json().getLong("members"));
      assertEquals(1, onA.takeEvent("news").data());
      assertEquals(1, onB.takeEvent("news").data());

      assertEquals(200, Http.post(a.managementPort(), "/admin/clients/" + onB.id() + "/send", "{\"event\":\"dm\",\"data\":\"hi\"}").status());
      assertEquals("hi", onB.takeEvent("dm").data());

      assertEquals(200, Http.post(a.managementPort(), "/admin/clients/" + kicked.id() + "/kick", null).status());
      assertEquals(1008, kicked.awaitClose());
      assertEquals(404, Http.post(a.managementPort(), "/admin/clients/" + kicked.id() + "/kick", null).status());
    }
  }

  @Test
  @Order(4)
  void aLiveNodeThatDoesNotAnswerMakesA503ThatNamesIt() {
    // A node that heartbeats but never answers its address: what a node stuck in a long GC looks like.
    Vertx vx = b.vertx();
    MessageConsumer<JsonObject> silent = vx.eventBus().consumer(new Addresses("default").node("ghost"), msg -> { });
    Await.result(silent.completion());
    long timer = vx.setPeriodic(0, 300, id -> vx.eventBus().publish(Addresses.NODES, new JsonObject().put("node", "ghost").put("startedAt", 1L)));
    try {
      Await.until(() -> nodeIdsOrMissing(a).contains("ghost"), Duration.ofSeconds(10), "a sees the ghost");
      Http.Response r = Http.get(a.managementPort(), "/admin/nodes");
      assertEquals(503, r.status(), r.toString());
      assertEquals("unavailable", r.json().getString("error"));
      assertEquals(new JsonArray().add("ghost"), r.json().getJsonArray("missing"));
      assertTrue(r.json().getString("message").contains("ghost"), r.toString());
      assertEquals(2, r.json().getJsonArray("nodes").size(), "what the live nodes said comes with it: " + r);
      assertEquals(503, Http.get(a.managementPort(), "/admin/stats").status());
    } finally {
      vx.cancelTimer(timer);
      vx.eventBus().publish(Addresses.NODES, new JsonObject().put("node", "ghost").put("leaving", true));
      Await.result(silent.unregister());
    }
    Await.until(() -> Http.get(a.managementPort(), "/admin/nodes").status() == 200, Duration.ofSeconds(10), "the ghost is gone");
  }

  private static Set<String> nodeIdsOrMissing(InProcessNode asked) {
    Http.Response r = Http.get(asked.managementPort(), "/admin/nodes");
    Set<String> ids = new TreeSet<>();
    r.json().getJsonArray("nodes").forEach(n -> ids.add(((JsonObject) n).getString("node")));
    JsonArray missing = r.json().getJsonArray("missing");
    if (missing != null) {
      missing.forEach(m -> ids.add((String) m));
    }
    return ids;
  }

  @Test
  @Order(5)
  void aDrainingNodeLeavesEveryAnswerAtOnce() {
    InProcessNode leaving = b;
    try (TestClient onB = TestClient.connect(clients, leaving.port(), "/ws")) {
      Wire.JSON.join(onB, "leaving.room");
      Await.result(leaving.node().drain());
      b = null;
      assertEquals(1001, onB.awaitClose());
    }
    // The node said goodbye: no wait for a heartbeat to expire, and no 503 for a node that left.
    Http.Response r = Http.get(a.managementPort(), "/admin/nodes");
    assertEquals(200, r.status(), r.toString());
    assertEquals(Set.of(a.id()), nodeIds(a));
    assertTrue(Http.get(a.managementPort(), "/admin/rooms").array().stream().noneMatch(o -> ((JsonObject) o).getString("room").equals("leaving.room")));
  }
}
