package io.roomcast.gateway.cluster;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.testing.NodeProcess;
import io.roomcast.gateway.testing.ProcessCluster;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rooms while the cluster changes, with nodes as separate processes: a join reply means that
 * publishes from every node reach the new member, even while others join and leave fresh rooms
 * all the time; and while a killed node is being detected, the survivors serve new connections
 * and fresh-room joins without waiting for it. Both on one cluster of three nodes (starting one
 * takes the suite's two cores for a while): the kill comes last.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterChurnIT {

  /**
   * The bound for a welcome and for a fresh-room join on a survivor during failure detection. The
   * issue's goal is 500 ms, and the storm benchmark measures it (first welcome 51-135 ms after a
   * kill); here the suite shares two cores with 40 connects at once, and runs (on cold nodes) saw
   * a join take 845 and 1,685 ms (welcomes up to 1,121 ms). What this test must catch is waiting
   * for the dead node, which costs seconds: the previous design took 3.1-3.4 s here, up to the
   * node directory's expiry (3.5 s).
   */
  private static final long SURVIVOR_BOUND_MS = 2_500;

  /**
   * Each churner keeps under the hub's default join rate limit (20 joins and leaves a second per
   * connection, bursts of 256): unpaced, a fast cluster spends the burst within the rounds and the
   * churner is rightly refused {@code rate_limited}. The churn comes from many connections instead.
   */
  private static final int CHURNERS_PER_NODE = 4;
  private static final long CHURN_ROUND_NANOS = TimeUnit.MILLISECONDS.toNanos(2 * 1_000 / 18);

  private static ProcessCluster cluster;
  private static List<NodeProcess> nodes;
  private final List<TestClient> clients = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    new ArrayList<>(clients).forEach(c -> {
      try {
        c.close();
      } catch (RuntimeException | AssertionError ignored) {
        // the node is gone
      }
    });
  }

  @BeforeAll
  static void startCluster() {
    cluster = ProcessCluster.create();
    nodes = List.of(cluster.start(), cluster.start(), cluster.start());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private TestClient client(Vertx vertx, NodeProcess node) {
    TestClient c = TestClient.connect(vertx, node.port(), "/ws");
    clients.add(c);
    return c;
  }

  @Test
  @Order(1)
  void publishesFiredRightAfterAJoinReplyReachTheNewMemberFromEveryNode(Vertx vertx) throws Exception {
    List<TestClient> publishers = new ArrayList<>();
    for (NodeProcess node : nodes) {
      publishers.add(client(vertx, node));
    }
    AtomicBoolean churning = new AtomicBoolean(true);
    ExecutorService churn = Executors.newFixedThreadPool(nodes.size() * CHURNERS_PER_NODE);
    List<Future<Integer>> churners = new ArrayList<>();
    for (NodeProcess node : nodes) {
      for (int c = 0; c < CHURNERS_PER_NODE; c++) {
        TestClient churner = client(vertx, node);
        churners.add(churn.submit(() -> {
          int rounds = 0;
          while (churning.get()) {
            long started = System.nanoTime();
            String room = "churn-" + UUID.randomUUID();
            Wire.JSON.join(churner, room);
            assertEquals("ok", Wire.JSON.request(churner, Envelope.of("leave").withRoom(room)).status());
            rounds++;
            TimeUnit.NANOSECONDS.sleep(Math.max(0, CHURN_ROUND_NANOS - (System.nanoTime() - started)));
          }
          return rounds;
        }));
      }
    }
    try {
      for (int round = 0; round < 30; round++) {
        String room = "fresh-" + round + "-" + UUID.randomUUID();
        for (TestClient p : publishers) {
          Wire.JSON.join(p, room);
        }
        // The new member is the room's first on its node: nothing of the room was there before.
        TestClient member = client(vertx, nodes.get(round % nodes.size()));
        Wire.JSON.join(member, room);
        for (int i = 0; i < publishers.size(); i++) {
          Wire.JSON.send(publishers.get(i), Envelope.of("after-join").withRoom(room).withData(i));
        }
        List<Object> got = new ArrayList<>();
        for (int i = 0; i < publishers.size(); i++) {
          got.add(member.takeEvent("after-join").data());
        }
        got.sort(null);
        assertEquals(List.of(0, 1, 2), got, "round " + round + ": the new member on node " + round % nodes.size()
          + " got a publish from every node");
        for (TestClient p : publishers) {
          assertEquals("ok", Wire.JSON.request(p, Envelope.of("leave").withRoom(room)).status());
        }
        member.close();
        clients.remove(member);
      }
    } finally {
      churning.set(false);
      churn.shutdown();
    }
    for (Future<Integer> churner : churners) {
      assertTrue(churner.get(30, TimeUnit.SECONDS) > 0, "the churn went on during the rounds");
    }
  }

  @Test
  @Order(2)
  void survivorsWelcomeAndJoinAtOnceWhileAKilledNodeIsBeingDetected(Vertx vertx) throws Exception {
    NodeProcess a = nodes.get(0);
    NodeProcess b = nodes.get(1);
    NodeProcess c = nodes.get(2);
    // The doomed node takes part in rooms that the survivors share, as a crashing node would.
    String shared = "shared-" + UUID.randomUUID();
    for (NodeProcess node : List.of(a, b, c, c)) {
      Wire.JSON.join(client(vertx, node), shared);
    }
    c.signal("KILL");
    long killedAt = System.nanoTime();
    int count = 40;
    ExecutorService pool = Executors.newFixedThreadPool(count);
    List<Future<long[]>> timings = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        NodeProcess survivor = i % 2 == 0 ? a : b;
        timings.add(pool.submit(() -> {
          long start = System.nanoTime();
          TestClient fresh = client(vertx, survivor);
          long welcomed = System.nanoTime();
          Wire.JSON.join(fresh, "personal-" + UUID.randomUUID());
          long joined = System.nanoTime();
          Wire.JSON.join(fresh, shared);
          return new long[] {(welcomed - start) / 1_000_000, (joined - welcomed) / 1_000_000, (welcomed - killedAt) / 1_000_000};
        }));
      }
      long slowestWelcome = 0;
      long slowestJoin = 0;
      long lastWelcomeAfterKill = 0;
      for (Future<long[]> timing : timings) {
        long[] t = timing.get(60, TimeUnit.SECONDS);
        slowestWelcome = Math.max(slowestWelcome, t[0]);
        slowestJoin = Math.max(slowestJoin, t[1]);
        lastWelcomeAfterKill = Math.max(lastWelcomeAfterKill, t[2]);
      }
      System.out.printf("ClusterChurnIT: during failure detection, %d new connections on the survivors: slowest welcome %d ms,"
        + " slowest fresh-room join %d ms, all welcomed %d ms after the kill%n", count, slowestWelcome, slowestJoin, lastWelcomeAfterKill);
      assertTrue(slowestWelcome <= SURVIVOR_BOUND_MS, "slowest welcome " + slowestWelcome + " ms");
      assertTrue(slowestJoin <= SURVIVOR_BOUND_MS, "slowest fresh-room join " + slowestJoin + " ms");
    } finally {
      pool.shutdown();
    }
    // Still within the failure detector's time, the survivors carry the shared room between them.
    TestClient onA = client(vertx, a);
    TestClient onB = client(vertx, b);
    Wire.JSON.join(onA, shared);
    Wire.JSON.join(onB, shared);
    Wire.JSON.send(onA, Envelope.of("still").withRoom(shared).withData("here"));
    assertEquals("here", onB.takeEvent("still").data());
  }
}
