package io.roomcast.gateway.cluster;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.TestCluster;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rooms across three clustered nodes in one JVM (PROTOCOL.md applies unchanged), once per wire.
 * The cluster is shared by the tests of a class; each test uses rooms of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterContractTest {

  protected TestCluster cluster;
  private final List<TestClient> clients = new ArrayList<>();

  protected abstract Wire wire();

  @BeforeAll
  void startCluster() {
    cluster = TestCluster.start(3);
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void closeClients() {
    clients.forEach(c -> {
      try {
        c.close();
      } catch (RuntimeException | AssertionError ignored) {
        // closed by the test
      }
    });
    clients.clear();
  }

  protected TestClient client(int node) {
    TestCluster.Node n = cluster.node(node);
    TestClient c = TestClient.connect(n.vertx(), n.port(), "/ws", wire().subprotocol());
    clients.add(c);
    return c;
  }

  protected static String room() {
    return "room-" + UUID.randomUUID();
  }

  protected Hub hub(int node) {
    return cluster.node(node).verticle().gateway().hub("default");
  }

  @Test
  void publishReachesMembersOnEveryNodeExactlyOnceInOrder() {
    String room = room();
    TestClient sender = client(0);
    List<TestClient> members = List.of(client(0), client(1), client(2), client(1), client(2));
    wire().join(sender, room);
    members.forEach(m -> wire().join(m, room));
    int count = 100;
    for (int i = 0; i < count; i++) {
      wire().send(sender, Envelope.of("n").withRoom(room).withData(i));
    }
    for (TestClient m : members) {
      for (int i = 0; i < count; i++) {
        Msg msg = m.takeEvent("n");
        assertEquals(i, ((Number) msg.data()).intValue(), "out of order on " + m.id());
        assertEquals(sender.id(), msg.from());
      }
      assertTrue(m.sync().stream().noneMatch(x -> "n".equals(x.event())), "duplicate on " + m.id());
    }
    assertTrue(sender.sync().stream().noneMatch(x -> "n".equals(x.event())), "the sender got its own message");
  }

  @Test
  void broadcastToRootReachesEveryoneOnEveryNode() {
    List<TestClient> all = List.of(client(0), client(1), client(2));
    String marker = UUID.randomUUID().toString();
    hub(1).broadcast("root", "notice", new JsonObject().put("marker", marker));
    for (TestClient c : all) {
      assertEquals(marker, c.take(m -> "notice".equals(m.event()) && m.data() instanceof JsonObject
        && marker.equals(m.dataObject().getString("marker"))).dataObject().getString("marker"));
    }
  }

  @Test
  void aJoinReplyMeansPublishesFromEveryNodeReachTheNewMember() {
    for (int round = 0; round < 12; round++) {
      String room = room();
      int joinerNode = round % 3;
      // The joiner is the first member on its node: no other node routes the room there yet.
      List<Integer> others = List.of((joinerNode + 1) % 3, (joinerNode + 2) % 3);
      List<TestClient> senders = others.stream().map(this::client).toList();
      senders.forEach(s -> wire().join(s, room));
      // Every node publishes once first, so that each caches its view of the room's subscribers:
      // later publishes use that cache, which learns of new subscribers asynchronously.
      for (int i = 0; i < 3; i++) {
        hub(i).broadcast(room, "warm-up", i);
      }
      for (TestClient s : senders) {
        for (int i = 0; i < 3; i++) {
          s.takeEvent("warm-up");
        }
      }
      TestClient joiner = client(joinerNode);
      wire().join(joiner, room);
      // Fired right after the reply: by clients on the other nodes, by the server API on every node.
      for (int i = 0; i < 3; i++) {
        hub(i).broadcast(room, "server-hello", i);
      }
      for (int i = 0; i < senders.size(); i++) {
        wire().send(senders.get(i), Envelope.of("hello").withRoom(room).withData(others.get(i)));
      }
      for (int i = 0; i < 3; i++) {
        int node = i;
        joiner.take(m -> "server-hello".equals(m.event()) && ((Number) m.data()).intValue() == node);
      }
      for (int node : others) {
        joiner.take(m -> "hello".equals(m.event()) && ((Number) m.data()).intValue() == node);
      }
      closeClients();
    }
  }

  @Test
  void directMessagesCrossNodes() {
    TestClient a = client(0);
    TestClient b = client(2);
    Envelope dm = Envelope.of("dm").withTo(b.id()).withData("hi");
    if (wire() == Wire.JSON) {
      assertEquals("ok", wire().request(a, dm).status());
    } else {
      // A binary envelope has no id: a delivered message is not answered.
      wire().send(a, dm);
    }
    Msg m = b.takeEvent("dm");
    assertEquals(a.id(), m.from());
    assertEquals("hi", m.data());
  }

  @Test
  void aDirectMessageToAGoneClientOnAnotherNodeIsUnknownClientQuickly() {
    TestClient a = client(0);
    TestClient b = client(1);
    String gone = b.id();
    b.close();
    b.awaitClose();
    long start = System.nanoTime();
    assertEquals("unknown_client", wire().failure(a, Envelope.of("dm").withTo(gone)).errorCode());
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "took too long");
  }

  @Test
  void clusterWideQueriesSeeEveryNode() {
    String room = room();
    List<TestClient> members = List.of(client(0), client(1), client(2));
    members.forEach(m -> wire().join(m, room));
    for (int node = 0; node < 3; node++) {
      List<String> ids = io.roomcast.gateway.testing.Await.result(hub(node).clients(room)).stream()
        .map(io.roomcast.gateway.ClientInfo::id).sorted().toList();
      assertEquals(members.stream().map(TestClient::id).sorted().toList(), ids);
      long count = io.roomcast.gateway.testing.Await.result(hub(node).rooms()).stream()
        .filter(r -> r.room().equals(room)).findFirst().orElseThrow().members();
      assertEquals(3, count);
    }
  }

  @Test
  void kickAndServerSideJoinReachClientsOnOtherNodes() {
    String room = room();
    TestClient a = client(2);
    TestClient b = client(1);
    wire().join(b, room);
    io.roomcast.gateway.testing.Await.result(hub(0).join(a.id(), room));
    wire().send(b, Envelope.of("chat").withRoom(room).withData("x"));
    assertEquals("x", a.takeEvent("chat").data());
    io.roomcast.gateway.testing.Await.result(hub(0).kick(a.id()));
    assertEquals(1008, a.awaitClose());
    assertEquals("kicked", a.closeReason());
  }
}
