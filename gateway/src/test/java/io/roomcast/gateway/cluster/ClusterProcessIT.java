package io.roomcast.gateway.cluster;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.NodeProcess;
import io.roomcast.gateway.testing.ProcessCluster;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster as separate processes started from the jar: crashes, a node joining, and drain
 * (a paused node that resumes is PresenceFailoverIT's, which checks its room messages too).
 * Survivors must lose, duplicate and reorder nothing of what they publish. One cluster for the
 * three, in this order (starting a node takes the suite's two cores for a while): two nodes, a
 * third that joins them, the third killed mid-stream, the second drained.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterProcessIT {

  private static final Duration DROP_OUT = Duration.ofSeconds(15);

  private static ProcessCluster cluster;
  private static NodeProcess a;
  private static NodeProcess b;
  private static NodeProcess late;
  private final List<TestClient> clients = new ArrayList<>();

  @BeforeAll
  static void startTwoNodes() {
    cluster = ProcessCluster.create();
    a = cluster.start();
    b = cluster.start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void stop() {
    clients.forEach(c -> {
      try {
        c.close();
      } catch (RuntimeException | AssertionError ignored) {
        // the node is gone
      }
    });
  }

  private TestClient client(Vertx vertx, NodeProcess node) {
    TestClient c = TestClient.connect(vertx, node.port(), "/ws");
    clients.add(c);
    return c;
  }

  /** A client that publishes {"p": its index, "n": 0, 1, 2...} to a room from a timer. */
  private static final class Publisher {
    final int index;
    final TestClient client;
    final AtomicInteger sent = new AtomicInteger();
    long timer;

    Publisher(Vertx vertx, int index, TestClient client, String room, int perSecond) {
      this.index = index;
      this.client = client;
      this.timer = vertx.setPeriodic(1000 / perSecond, id -> {
        if (!client.socket().isClosed()) {
          int n = sent.getAndIncrement();
          client.socket().writeTextMessage(new JsonObject().put("event", "seq").put("room", room)
            .put("data", new JsonObject().put("p", index).put("n", n).put("t", System.currentTimeMillis())).encode());
        }
      });
    }

    void stop(Vertx vertx) {
      vertx.cancelTimer(timer);
    }
  }

  /** Checks that a subscriber got 0..sent-1 of a publisher exactly once, in order. */
  private static void assertExactlyOnceInOrder(TestClient subscriber, Publisher publisher) {
    int last = publisher.sent.get() - 1;
    subscriber.take(m -> "seq".equals(m.event()) && ((JsonObject) m.data()).getInteger("p") == publisher.index
      && ((JsonObject) m.data()).getInteger("n") == last);
    List<Integer> received = new ArrayList<>();
    for (Msg m : subscriber.inbox()) {
      if ("seq".equals(m.event()) && ((JsonObject) m.data()).getInteger("p") == publisher.index) {
        received.add(((JsonObject) m.data()).getInteger("n"));
      }
    }
    received.add(last);
    int lost = 0;
    int duplicated = 0;
    int reordered = 0;
    Set<Integer> seen = new TreeSet<>();
    int previous = -1;
    for (int n : received) {
      if (!seen.add(n)) {
        duplicated++;
      }
      if (n < previous) {
        reordered++;
      }
      previous = n;
    }
    lost = last + 1 - seen.size();
    List<Integer> missing = new ArrayList<>();
    for (int n = 0; n <= last && missing.size() < 40; n++) {
      if (!seen.contains(n)) {
        missing.add(n);
      }
    }
    assertEquals("lost=0 duplicated=0 reordered=0", "lost=" + lost + " duplicated=" + duplicated + " reordered=" + reordered,
      subscriber.id() + " from publisher " + publisher.index + " (" + (last + 1) + " sent; first missing " + missing + ")");
  }

  private static JsonArray members(TestClient asker, String room) {
    return Wire.JSON.request(asker, Envelope.of("members").withRoom(room)).dataObject().getJsonArray("members");
  }

  @Test
  @Order(2)
  void aNodeKilledMidStreamCostsTheSurvivorsNothing(Vertx vertx) {
    // The node that joined in the test before; started here if that one failed before it could.
    NodeProcess c = late != null ? late : (late = cluster.start());
    String room = "stream-" + UUID.randomUUID();
    List<TestClient> survivors = new ArrayList<>();
    for (NodeProcess node : List.of(a, b, a, b)) {
      TestClient s = client(vertx, node);
      Wire.JSON.join(s, room);
      survivors.add(s);
    }
    TestClient doomed = client(vertx, c);
    Wire.JSON.join(doomed, room);
    List<Publisher> publishers = new ArrayList<>();
    int index = 0;
    for (NodeProcess node : List.of(a, b, c)) {
      TestClient p = client(vertx, node);
      Wire.JSON.join(p, room);
      publishers.add(new Publisher(vertx, index++, p, room, 100));
    }
    Publisher fromC = publishers.get(2);
    // Mid-stream: once the survivors have seen a good part of the stream.
    TestClient watcher = survivors.get(0);
    Await.until(() -> watcher.inbox().stream().anyMatch(m -> "seq".equals(m.event()) && ((JsonObject) m.data()).getInteger("n") >= 100),
      Duration.ofSeconds(20), "the stream is flowing");
    long killedAt = System.nanoTime();
    c.signal("KILL");
    fromC.stop(vertx);
    // The survivors stop seeing c's clients in cluster-wide answers within seconds.
    Await.until(() -> members(survivors.get(0), room).stream()
      .noneMatch(member -> ((JsonObject) member).getString("node").equals(c.nodeId())), DROP_OUT, "c's clients drop out");
    long dropOutMs = (System.nanoTime() - killedAt) / 1_000_000;
    // Publishing goes on among the survivors for a while, then stops.
    int target = publishers.get(0).sent.get() + 200;
    Await.until(() -> publishers.get(0).sent.get() >= target, Duration.ofSeconds(20), "more messages published");
    publishers.forEach(p -> p.stop(vertx));
    for (TestClient s : survivors) {
      assertExactlyOnceInOrder(s, publishers.get(0));
      assertExactlyOnceInOrder(s, publishers.get(1));
    }
    System.out.println("ClusterProcessIT: a killed node dropped out of cluster-wide answers in " + dropOutMs + " ms");
  }

  /**
   * Prints the latency of two thousand messages to a member on the publisher's node and to one
   * on another node (both clients live in this JVM, so one clock times both ends).
   */
  @Test
  @Order(1)
  void aNodeThatJoinsARunningClusterTakesPartAtOnce(Vertx vertx) {
    String room = "late-" + UUID.randomUUID();
    TestClient onA = client(vertx, a);
    TestClient onB = client(vertx, b);
    Wire.JSON.join(onA, room);
    Wire.JSON.join(onB, room);
    late = cluster.start();
    TestClient onLate = client(vertx, late);
    Wire.JSON.join(onLate, room);
    Wire.JSON.send(onA, Envelope.of("hello").withRoom(room).withData("from a"));
    assertEquals("from a", onLate.takeEvent("hello").data());
    Wire.JSON.send(onLate, Envelope.of("hello").withRoom(room).withData("from late"));
    assertEquals("from late", onA.take(m -> "hello".equals(m.event()) && "from late".equals(m.data())).data());
    assertEquals("from late", onB.take(m -> "hello".equals(m.event()) && "from late".equals(m.data())).data());
    assertEquals("ok", Wire.JSON.request(onB, Envelope.of("dm").withTo(onLate.id()).withData("direct")).status());
    assertEquals("direct", onLate.takeEvent("dm").data());
    Await.until(() -> members(onA, room).size() == 3, Duration.ofSeconds(10), "the late node answers cluster-wide questions");
  }

  @Test
  @Order(3)
  void sigtermDrainsTheNodeAndTheOthersCarryOn(Vertx vertx) {
    String room = "drain-" + UUID.randomUUID();
    TestClient onA = client(vertx, a);
    TestClient onB = client(vertx, b);
    Wire.JSON.join(onA, room);
    Wire.JSON.join(onB, room);
    String gone = onB.id();
    b.signal("TERM");
    assertEquals(1001, onB.awaitClose());
    assertEquals(0, b.awaitExit(Duration.ofSeconds(30)));
    long start = System.nanoTime();
    assertEquals("unknown_client", Wire.JSON.failure(onA, Envelope.of("dm").withTo(gone)).errorCode());
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "unknown_client took too long");
    Await.until(() -> members(onA, room).size() == 1, DROP_OUT, "the drained node's clients are gone from answers");
    TestClient another = client(vertx, a);
    Wire.JSON.join(another, room);
    Wire.JSON.send(another, Envelope.of("still").withRoom(room).withData("here"));
    assertEquals("here", onA.takeEvent("still").data());
  }
}
