package io.roomcast.gateway.cluster;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HistoryOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.Position;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.TestCluster;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * History across clustered nodes in this JVM: one total order per room for publishers on every
 * node, recovery on another node than the one a member left, and the history request answered
 * from any node.
 */
@ExtendWith(VertxExtension.class)
class HistoryClusterTest {

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

  private TestClient client(Vertx vertx, TestCluster.Node node) {
    TestClient c = TestClient.connect(vertx, node.port(), "/ws");
    clients.add(c);
    return c;
  }

  private static GatewayOptions options() {
    return new GatewayOptions().setHubs(List.of(new HubOptions().setHistory(List.of(new HistoryOptions("log.*").setSize(1000)))));
  }

  @Test
  void everyMemberOnEveryNodeSeesOneOrderWithNoGap(Vertx vertx) {
    cluster = TestCluster.start(3, options(), g -> { });
    String room = "log.order";
    List<TestClient> members = new ArrayList<>();
    List<TestClient> publishers = new ArrayList<>();
    for (TestCluster.Node node : cluster.nodes()) {
      TestClient m = client(vertx, node);
      Wire.JSON.join(m, room);
      members.add(m);
      TestClient p = client(vertx, node);
      Wire.JSON.join(p, room);
      publishers.add(p);
    }
    int perPublisher = 60;
    for (int n = 0; n < perPublisher; n++) {
      for (int p = 0; p < publishers.size(); p++) {
        // Fired without waiting: the three nodes append concurrently.
        publishers.get(p).sendJson(Envelope.of("seq").withRoom(room).withData(new JsonObject().put("p", p).put("n", n)));
      }
    }
    int total = perPublisher * publishers.size();
    List<List<String>> orders = new ArrayList<>();
    for (TestClient m : members) {
      List<String> order = new ArrayList<>();
      String epoch = null;
      for (int i = 1; i <= total; i++) {
        Msg msg = m.takeEvent("seq");
        assertEquals(i, msg.offset(), "offsets in order with no gap on " + m.node());
        if (epoch == null) {
          epoch = msg.position().getString("epoch");
        }
        assertEquals(epoch, msg.position().getString("epoch"));
        order.add(msg.dataObject().encode());
      }
      orders.add(order);
    }
    assertEquals(orders.get(0), orders.get(1), "node 1 and node 2 saw different orders");
    assertEquals(orders.get(0), orders.get(2), "node 1 and node 3 saw different orders");
    // Each publisher's own messages are in the order it sent them.
    for (int p = 0; p < publishers.size(); p++) {
      int publisher = p;
      List<Integer> ns = orders.get(0).stream().map(JsonObject::new).filter(j -> j.getInteger("p") == publisher)
        .map(j -> j.getInteger("n")).toList();
      assertEquals(perPublisher, ns.size());
      for (int i = 0; i < ns.size(); i++) {
        assertEquals(i, ns.get(i));
      }
    }
    Msg history = Wire.JSON.request(members.get(2), Envelope.of("history").withRoom(room).withData(new JsonObject().put("limit", 5)));
    assertEquals(total, history.dataObject().getLong("offset"));
    assertEquals(orders.get(0).subList(total - 5, total),
      history.dataObject().getJsonArray("messages").stream().map(j -> ((JsonObject) j).getJsonObject("data").encode()).toList());
  }

  @Test
  void aMemberRecoversOnAnotherNodeThanTheOneItLeft(Vertx vertx) {
    cluster = TestCluster.start(2, options(), g -> { });
    String room = "log.move";
    TestClient publisher = client(vertx, cluster.node(0));
    Wire.JSON.join(publisher, room);
    TestClient member = client(vertx, cluster.node(0));
    Wire.JSON.join(member, room);
    for (int i = 0; i < 5; i++) {
      Wire.JSON.request(publisher, Envelope.of("m").withRoom(room).withData(i));
    }
    Msg last = null;
    for (int i = 0; i < 5; i++) {
      last = member.takeEvent("m");
    }
    Position seen = new Position(last.offset(), last.position().getString("epoch"));
    member.close();
    for (int i = 5; i < 10; i++) {
      Wire.JSON.request(publisher, Envelope.of("m").withRoom(room).withData(i));
    }
    TestClient moved = client(vertx, cluster.node(1));
    Msg reply = Wire.JSON.request(moved, Envelope.of("join").withRoom(room).withSince(seen));
    assertTrue(reply.dataObject().getBoolean("recovered"), reply.toString());
    assertEquals(10, reply.dataObject().getLong("offset"));
    List<Object> replayed = new ArrayList<>();
    for (Msg m : moved.inbox()) {
      if ("m".equals(m.event())) {
        replayed.add(m.data());
      }
    }
    assertEquals(List.of(5, 6, 7, 8, 9), replayed);
    Position p = Await.result(cluster.node(1).hub().broadcast(room, "m", 10));
    assertEquals(new Position(11, seen.epoch()), p);
    assertEquals(10, moved.take(m -> "m".equals(m.event()) && Integer.valueOf(10).equals(m.data()), Duration.ofSeconds(5)).data());
  }
}
