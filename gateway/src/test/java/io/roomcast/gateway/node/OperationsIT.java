package io.roomcast.gateway.node;

import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.BareClient;
import io.roomcast.gateway.testing.ClusterFiles;
import io.roomcast.gateway.testing.Http;
import io.roomcast.gateway.testing.NodeProcess;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operating nodes as an operator does, with the built jar: the admin commands of the jar against
 * a 2-node cluster, SIGTERM's drain (readiness, 503, 1001, leaving the cluster, exit 0, a second
 * signal), the management token's rule at start, and what the node logs.
 */
@ExtendWith(VertxExtension.class)
class OperationsIT {

  private static final Duration EXIT = Duration.ofSeconds(30);

  /** What {@code java -jar roomcast-gateway.jar admin ...} printed and returned. */
  private record Admin(int exit, String out, String err) {
  }

  private static Admin admin(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-jar", NodeProcess.jar().toString(), "admin"));
    command.addAll(List.of(args));
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().remove("ROOMCAST_MANAGEMENT_TOKEN");
      builder.environment().remove("ROOMCAST_ADMIN_URL");
      builder.environment().putAll(env);
      Process p = builder.start();
      p.getOutputStream().close();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("admin " + List.of(args) + " did not finish in 30 s");
      }
      return new Admin(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String url(NodeProcess node) {
    return "http://127.0.0.1:" + node.managementPort();
  }

  private static Set<String> nodeIds(NodeProcess asked) {
    Http.Response r = Http.get(asked.managementPort(), "/admin/nodes");
    Set<String> ids = new TreeSet<>();
    if (r.status() == 200) {
      r.json().getJsonArray("nodes").forEach(n -> ids.add(((JsonObject) n).getString("node")));
    }
    return ids;
  }

  @Test
  void theJarsAdminCommandsAnswerForATwoNodeClusterAndADrainedNodeLeavesIt(Vertx vertx) {
    String config = ClusterFiles.privateLoopback().toString();
    try (NodeProcess one = NodeProcess.start("--cluster", "--cluster-config", config);
         NodeProcess two = NodeProcess.start("--cluster", "--cluster-config", config)) {
      Await.until(() -> nodeIds(one).size() == 2 && nodeIds(two).size() == 2, Duration.ofSeconds(20), "each node lists both");

      Admin nodes = admin(Map.of(), "nodes", "--url", url(one), "--json");
      assertEquals(0, nodes.exit(), nodes.toString());
      JsonArray listed = new JsonObject(nodes.out()).getJsonArray("nodes");
      assertEquals(Set.of(one.nodeId(), two.nodeId()),
        Set.of(listed.getJsonObject(0).getString("node"), listed.getJsonObject(1).getString("node")));

      try (TestClient onOne = TestClient.connect(vertx, one.port(), "/ws"); TestClient onTwo = TestClient.connect(vertx, two.port(), "/ws")) {
        Wire.JSON.join(onOne, "ops");
        Wire.JSON.join(onTwo, "ops");
        Admin rooms = admin(Map.of("ROOMCAST_ADMIN_URL", url(two)), "rooms", "ops");
        assertEquals(0, rooms.exit(), rooms.toString());
        assertTrue(rooms.out().contains(onOne.id()) && rooms.out().contains(one.nodeId()) && rooms.out().contains(onTwo.id()), rooms.out());

        Admin publish = admin(Map.of(), "publish", "ops", "notice", "{\"text\":\"maintenance\"}", "--url", url(one));
        assertEquals("published notice to ops (2 members)\n", publish.out(), publish.toString());
        assertEquals("maintenance", onTwo.takeEvent("notice").dataObject().getString("text"));

        Admin kick = admin(Map.of(), "kick", onTwo.id(), "--url", url(one));
        assertEquals(0, kick.exit(), kick.toString());
        assertEquals(1008, onTwo.awaitClose());

        Admin unknown = admin(Map.of(), "kick", onTwo.id(), "--url", url(one));
        assertEquals(1, unknown.exit(), unknown.toString());
        assertEquals("roomcast admin: no client " + onTwo.id() + " (HTTP 404 unknown_client)\n", unknown.err());
      }

      String metrics = Http.get(two.managementPort(), "/metrics").body();
      assertTrue(metrics.contains("roomcast_cluster_nodes 2.0"), "roomcast_cluster_nodes");
      assertTrue(metrics.contains("\nvertx_eventbus_processed_total{"), "the event bus' meters");

      two.signal("TERM");
      assertEquals(0, two.awaitExit(EXIT));
      // It said goodbye before leaving: the other node stops counting on it at once.
      assertEquals(Set.of(one.nodeId()), nodeIds(one));
    }
  }

  @Test
  void anAdminCommandAgainstNothingExitsThreeWithOneLine() throws IOException {
    int free;
    try (ServerSocket s = new ServerSocket(0)) {
      free = s.getLocalPort();
    }
    Admin unreachable = admin(Map.of(), "stats", "--url", "http://127.0.0.1:" + free);
    assertEquals(3, unreachable.exit(), unreachable.toString());
    assertEquals(1, unreachable.err().lines().count(), unreachable.err());
    assertTrue(unreachable.err().startsWith("roomcast admin: cannot reach"), unreachable.err());
    Admin usage = admin(Map.of(), "evict", "x");
    assertEquals(2, usage.exit(), usage.toString());
    Admin help = admin(Map.of(), "--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().contains("kick [ID]"), help.out());
  }

  @Test
  void sigtermRefusesNewcomersWith503ClosesClientsWith1001AndExitsZero(Vertx vertx) {
    String token = "it-token-0123456789-abcdef";
    NodeProcess node = NodeProcess.launch(List.of("--port", "0", "--management-port", "0", "--host", "127.0.0.1",
      "--drain-timeout", "6000", "--log-level", "DEBUG"), Map.of("ROOMCAST_MANAGEMENT_TOKEN", token));
    try {
      node.awaitReady(Duration.ofSeconds(60));
      String secret = "query-secret-" + System.nanoTime();
      TestClient client = TestClient.connect(vertx, TestClient.options(node.port(), "/ws?access_token=" + secret));
      // A client that never answers its close frame keeps the drain busy for half the drain timeout.
      try (BareClient stubborn = BareClient.upgrade(vertx, node.port(), "/ws", null)) {
        assertEquals(101, stubborn.status());
        stubborn.takeFrame();
        node.signal("TERM");
        Await.until(() -> Http.get(node.managementPort(), "/health/ready").status() == 503, Duration.ofSeconds(5), "not ready");
        assertEquals("draining", Http.get(node.managementPort(), "/health/ready").json().getString("state"));
        try (BareClient newcomer = BareClient.upgrade(vertx, node.port(), "/ws", null)) {
          assertEquals(503, newcomer.status());
        }
        assertEquals(1001, client.awaitClose());
        BareClient.Frame close = stubborn.takeFrame();
        assertEquals(8, close.opcode());
        assertEquals(1001, close.closeCode());
      }
      assertEquals(0, node.awaitExit(EXIT));
      String log = node.logText();
      assertTrue(log.contains("open " + client.id() + " hub=default remote=127.0.0.1"), log);
      assertTrue(log.contains("closed " + client.id() + " hub=default"), log);
      assertTrue(log.contains("SIGTERM received: draining"), log);
      assertFalse(log.contains(secret), "the query string was logged");
      assertFalse(log.contains(token), "the management token was logged");
    } finally {
      node.close();
    }
  }

  @Test
  void aSecondSigtermExitsAtOnce(Vertx vertx) {
    // Without the second signal this drain would wait for the stubborn client for seconds.
    NodeProcess node = NodeProcess.start("--drain-timeout", "60000");
    try (BareClient stubborn = BareClient.upgrade(vertx, node.port(), "/ws", null)) {
      stubborn.takeFrame();
      node.signal("TERM");
      Await.until(() -> Http.get(node.managementPort(), "/health/ready").status() == 503, Duration.ofSeconds(5), "draining");
      long before = System.nanoTime();
      node.signal("TERM");
      assertEquals(0, node.awaitExit(EXIT));
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
      assertTrue(took < 3000, "exited " + took + " ms after the second signal");
    } finally {
      node.close();
    }
  }

  @Test
  void aManagementPortOpenToOtherMachinesWithoutATokenStopsTheStart() {
    try (NodeProcess node = NodeProcess.launch(List.of("--management-host", "0.0.0.0", "--port", "0", "--management-port", "0"), Map.of())) {
      assertEquals(2, node.awaitExit(EXIT));
      assertTrue(node.logText().contains("managementHost 0.0.0.0 is reachable from other machines: set managementToken"), node.logText());
      assertTrue(node.stdout().isEmpty(), node.stdout().toString());
    }
  }
}
