package io.roomcast.gateway.cluster;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.NodeProcess;
import io.roomcast.gateway.testing.ProcessCluster;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash-safety rule of presence (PROTOCOL.md section 7) with nodes as processes from the jar:
 * three nodes, users on several of them (alice with a connection on two nodes). One node is killed
 * with {@code kill -9}, another frozen with SIGSTOP past the failure detector and resumed, then
 * drained with SIGTERM. Each time the remaining members hear a {@code left} for every member of
 * that node in time, and every remaining node's roster converges to the connections that are
 * really open on the nodes of the cluster: no ghost, none lost. The resumed node's members also
 * receive and publish room messages again.
 */
@ExtendWith(VertxExtension.class)
class PresenceFailoverIT {

  private static final String ROOM = "team:ops";
  private static final String SECRET = "presence-failover-secret-of-sufficient-length";
  /** The protocol's bound for a killed or frozen node's members to be announced gone. */
  private static final Duration LEFT_WITHIN = Duration.ofSeconds(10);

  private ProcessCluster cluster;
  private final List<TestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(c -> {
      try {
        c.close();
      } catch (RuntimeException | AssertionError ignored) {
        // its node is gone
      }
    });
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Path conf() throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "node-logs"));
    Path file = Files.createTempFile(dir, "presence-", ".json");
    Files.writeString(file, new JsonObject().put("hubs", new JsonArray().add(new JsonObject()
      .put("presence", new JsonArray().add("team:*"))
      .put("auth", new JsonObject().put("jwt", new JsonObject().put("secret", SECRET))))).encode());
    return file;
  }

  private TestClient member(Vertx vertx, NodeProcess node, String user) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    String token = signer.generateToken(new JsonObject().put("sub", user), new JWTOptions().setExpiresInSeconds(3600));
    TestClient c = TestClient.connect(vertx, node.port(), "/ws?access_token=" + token);
    clients.add(c);
    Msg joined = Wire.JSON.request(c, Envelope.of("join").withRoom(ROOM).withData(new JsonObject().put("info", new JsonObject().put("name", user))));
    assertEquals("ok", joined.status(), joined.toString());
    return c;
  }

  /** @return client id -> user, as a node's presence answer lists them */
  private static Map<String, String> roster(TestClient asker) {
    Msg reply = Wire.JSON.request(asker, Envelope.of("presence").withRoom(ROOM));
    assertEquals("ok", reply.status(), reply.toString());
    Map<String, String> roster = new TreeMap<>();
    reply.dataObject().getJsonArray("members").forEach(m -> roster.put(((JsonObject) m).getString("client"), ((JsonObject) m).getString("user")));
    assertEquals(roster.size(), reply.dataObject().getLong("count"), reply.toString());
    assertEquals(roster.values().stream().distinct().count(), reply.dataObject().getLong("users"), reply.toString());
    return roster;
  }

  private static Map<String, String> truth(List<TestClient> open, Map<TestClient, String> users) {
    return open.stream().collect(Collectors.toMap(TestClient::id, users::get, (a, b) -> a, TreeMap::new));
  }

  private static void awaitRosters(List<TestClient> askers, Map<String, String> expected, Duration within, String when) {
    long deadline = System.nanoTime() + within.toNanos();
    List<Map<String, String>> seen;
    do {
      seen = askers.stream().map(PresenceFailoverIT::roster).toList();
      if (seen.stream().allMatch(expected::equals)) {
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
    } while (System.nanoTime() < deadline);
    assertEquals(expected.toString(), seen.stream().map(Map::toString).collect(Collectors.joining(" | ")), when);
  }

  /** Waits for a left of each client on every listener; @return ms from {@code since} to the last one */
  private static long awaitLeft(List<TestClient> listeners, List<TestClient> gone, long since) {
    for (TestClient listener : listeners) {
      for (TestClient g : gone) {
        listener.take(m -> "presence".equals(m.event()) && g.id().equals(m.dataObject().getString("left")), LEFT_WITHIN);
      }
    }
    return (System.nanoTime() - since) / 1_000_000;
  }

  @Test
  void killedFrozenAndDrainedNodesLeaveNoGhostAndLoseNoMember(Vertx vertx) throws IOException {
    cluster = ProcessCluster.create();
    Path conf = conf();
    NodeProcess n1 = cluster.start("--conf", conf.toString());
    NodeProcess n2 = cluster.start("--conf", conf.toString());
    NodeProcess n3 = cluster.start("--conf", conf.toString());
    Map<TestClient, String> users = new java.util.HashMap<>();
    TestClient alice1 = member(vertx, n1, "alice");
    TestClient eve = member(vertx, n1, "eve");
    TestClient bob = member(vertx, n2, "bob");
    TestClient alice2 = member(vertx, n2, "alice");
    TestClient carl = member(vertx, n3, "carl");
    TestClient dora = member(vertx, n3, "dora");
    users.putAll(Map.of(alice1, "alice", eve, "eve", bob, "bob", alice2, "alice", carl, "carl", dora, "dora"));
    awaitRosters(List.of(alice1, bob, carl), truth(List.of(alice1, eve, bob, alice2, carl, dora), users), Duration.ofSeconds(10),
      "every node lists every member");

    // kill -9: nothing is announced by the dead node; the survivors' node directories notice.
    long killed = System.nanoTime();
    n3.signal("KILL");
    long killMs = awaitLeft(List.of(alice1, bob), List.of(carl, dora), killed);
    System.out.printf("presence: left for a killed node's members after %d ms%n", killMs);
    awaitRosters(List.of(alice1, bob), truth(List.of(alice1, eve, bob, alice2), users), LEFT_WITHIN, "after kill -9");

    // SIGSTOP past the failure detector: n2's members are announced gone to n1's.
    long frozen = System.nanoTime();
    n2.signal("STOP");
    long freezeMs = awaitLeft(List.of(alice1, eve), List.of(bob, alice2), frozen);
    System.out.printf("presence: left for a frozen node's members after %d ms%n", freezeMs);
    assertEquals(truth(List.of(alice1, eve), users), roster(alice1));
    // Resumed, n2 comes back with its members still connected, and without the killed node's.
    n2.signal("CONT");
    awaitRosters(List.of(alice1, bob), truth(List.of(alice1, eve, bob, alice2), users), Duration.ofSeconds(90),
      "after SIGCONT: n2's members announced again, n3's not brought back");
    Msg back = alice1.take(m -> "presence".equals(m.event()) && bob.id().equals(m.dataObject().getString("joined")), Duration.ofSeconds(5));
    assertEquals("bob", back.dataObject().getString("user"));
    // Back in the cluster (through Hazelcast's merge), the resumed node's member receives room messages again, and publishes.
    String marker = java.util.UUID.randomUUID().toString();
    io.roomcast.gateway.testing.Await.until(() -> {
      Wire.JSON.send(alice1, Envelope.of("probe").withRoom(ROOM).withData(marker));
      return bob.inbox().stream().anyMatch(m -> "probe".equals(m.event()) && marker.equals(m.data()));
    }, Duration.ofSeconds(60), "the resumed node's member receives a room message again");
    Wire.JSON.send(bob, Envelope.of("back").withRoom(ROOM).withData("from n2"));
    assertEquals("from n2", alice1.takeEvent("back").data());

    // Drain: n2 closes its connections (1001) and says goodbye; n1's members hear at once.
    long draining = System.nanoTime();
    n2.signal("TERM");
    assertEquals(1001, bob.awaitClose());
    long drainMs = awaitLeft(List.of(alice1, eve), List.of(bob, alice2), draining);
    System.out.printf("presence: left for a drained node's members after %d ms%n", drainMs);
    assertTrue(drainMs < 5_000, "a drain is announced at once, not after the expiry: " + drainMs + " ms");
    assertEquals(truth(List.of(alice1, eve), users), roster(eve));
  }
}
