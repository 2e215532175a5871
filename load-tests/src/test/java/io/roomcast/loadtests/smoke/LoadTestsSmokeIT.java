package io.roomcast.loadtests.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatling.app.Gatling$;
import io.roomcast.loadtests.bench.Bench;
import io.roomcast.loadtests.bench.Results;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every simulation and every bench mode, for a few seconds each, against gateway nodes started
 * from the built jar (one alone, two clustered), so that none of them rots. These are smoke
 * runs, not measurements: they check that each completes, that nothing is lost at a trickle, and
 * that each writes what it should (Gatling's HTML report, the harness's results, table and plots).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadTestsSmokeIT {

  private static final Path DIR = Path.of(System.getProperty("roomcast.smoke.dir", "target/smoke"));
  private static final String SIMULATIONS = "io.roomcast.loadtests.simulations.";

  private static NodeProcess single;
  private static NodeProcess first;
  private static NodeProcess second;

  @BeforeAll
  static void startNodes() throws Exception {
    Path cluster = LoopbackCluster.write(DIR);
    single = NodeProcess.start("single", DIR, null);
    first = NodeProcess.start("cluster-1", DIR, cluster);
    single.awaitReady(60_000);
    first.awaitReady(60_000);
    // The second member starts once the first is up, so that it joins rather than races it.
    second = NodeProcess.start("cluster-2", DIR, cluster).awaitReady(60_000);
  }

  @AfterAll
  static void stopNodes() throws Exception {
    for (NodeProcess node : new NodeProcess[] {single, first, second}) {
      if (node != null) {
        node.close();
      }
    }
  }

  @Test
  @Order(1)
  void connectAndIdle() {
    simulate("ConnectAndIdle", Map.of("target", single.url(), "users", "20", "ramp", "1", "duration", "2"));
  }

  @Test
  @Order(2)
  void roomFanout() {
    simulate("RoomFanout", Map.of("target", single.url(), "rooms", "2", "members", "10", "publishers", "1",
      "rate", "10", "duration", "2", "ramp", "1"));
  }

  @Test
  @Order(3)
  void chat() {
    simulate("Chat", Map.of("target", single.url(), "users", "10", "members", "5", "messages", "5", "rate", "5", "ramp", "1"));
  }

  @Test
  @Order(4)
  void directMessages() {
    simulate("DirectMessages", Map.of("targets", first.url() + "," + second.url(), "users", "10", "messages", "5",
      "rate", "5", "ramp", "1"));
  }

  @Test
  @Order(5)
  void crossNode() {
    simulate("CrossNode", Map.of("targets", first.url() + "," + second.url(), "users", "10", "members", "5",
      "messages", "5", "rate", "5", "ramp", "1"));
  }

  @Test
  @Order(6)
  void idleMemory() throws Exception {
    JsonNode r = bench("idle", single, "--counts", "100,200", "--settle", "0.5");
    JsonNode last = r.get("points").get(1);
    assertEquals(200, last.get("connections").asInt(), r.toString());
    assertTrue(last.get("rssAfterGcBytes").asLong() > 0, r.toString());
  }

  @Test
  @Order(7)
  void connectRate() throws Exception {
    JsonNode r = bench("connect", single, "--warmup", "200", "--rates", "50,100", "--step-seconds", "1", "--refinements", "0");
    assertEquals(200, r.get("warmup").get("connections").asInt(), r.toString());
    assertTrue(r.get("warmup").get("perSecond").asDouble() > 0, r.toString());
    assertEquals(0, r.get("steps").get(0).get("failed").asInt(), r.toString());
  }

  @Test
  @Order(8)
  void fanout() throws Exception {
    JsonNode r = bench("fanout", single, "--rooms", "2", "--members", "20", "--start-rate", "500", "--step-seconds", "1",
      "--warmup-seconds", "0.5", "--max-steps", "2", "--drain-seconds", "2");
    assertNoLoss(r);
  }

  @Test
  @Order(9)
  void crossnode() throws Exception {
    JsonNode r = bench("crossnode", null, "--rooms", "2", "--members", "20", "--start-rate", "500", "--step-seconds", "1",
      "--warmup-seconds", "0.5", "--max-steps", "2", "--drain-seconds", "2", "--reference-rate", "500");
    assertNoLoss(r);
    assertTrue(r.get("reference").get("latencyRemote").get("count").asLong() > 0, r.toString());
  }

  @Test
  @Order(10)
  void freshServer() throws Exception {
    // The warm-up's server speaks the same protocol: the first cluster node stands in for the ws peer.
    Path out = DIR.resolve("results").resolve("roomcast-fresh.json");
    Path urlFile = DIR.resolve("fresh.url");
    Files.writeString(urlFile, single.url() + "\n" + single.pid() + "\n");
    assertEquals(0, Bench.run("fresh", "--server", "roomcast", "--out", out.toString(), "--url-file", urlFile.toString(),
      "--generator-warmup-url", first.url(), "--generator-warmup-pid", Long.toString(first.pid()), "--generator-warmup-steps", "1",
      "--rooms", "2", "--members", "20", "--start-rate", "500", "--step-seconds", "1", "--steps", "3", "--drain-seconds", "2",
      "--warmup-seconds", "0"));
    JsonNode r = Results.JSON.readTree(out.toFile());
    assertEquals(1, r.get("generatorWarmup").get("steps").size(), r.toString());
    assertEquals(3, r.get("steps").size(), r.toString());
    assertEquals(3, r.get("summary").get("p99Ms").size(), r.toString());
    long timed = 0;
    for (JsonNode step : r.get("steps")) {
      timed += step.get("latency").get("count").asLong();
    }
    assertTrue(timed > 0, r.toString());
    assertEquals(timed, r.get("summary").get("latency").get("count").asLong(), "the minute's latency holds every step's");
    assertNoLoss(r);
  }

  @Test
  @Order(11)
  void report() throws Exception {
    Path docs = DIR.resolve("docs");
    assertEquals(0, Bench.run("report", "--results", DIR.resolve("results").toString(), "--docs", docs.toString(),
      "--markdown", docs.resolve("BENCHMARKS.md").toString()));
    String table = Files.readString(docs.resolve("BENCHMARKS.md"));
    assertTrue(table.contains("| figure |"));
    assertTrue(table.contains("| fan-out in a freshly started server's first minute"), table);
    try (var pngs = Files.list(docs.resolve("bench"))) {
      assertTrue(pngs.anyMatch(p -> p.toString().endsWith(".png")));
    }
  }

  private static void simulate(String simulation, Map<String, String> properties) {
    properties.forEach(System::setProperty);
    System.setProperty("latencyDir", DIR.resolve("gatling").toString());
    try {
      int status = Gatling$.MODULE$.fromArgs(new String[] {
        "--simulation", SIMULATIONS + simulation,
        "--results-folder", DIR.resolve("gatling").toString()});
      assertEquals(0, status, simulation + " failed (its assertions, or the run): see the output above");
    } finally {
      properties.keySet().forEach(System::clearProperty);
    }
  }

  /** Runs a mode against {@code node} (both cluster nodes when null) and returns its results. */
  private static JsonNode bench(String mode, NodeProcess node, String... flags) throws Exception {
    Path out = DIR.resolve("results").resolve("roomcast-" + mode + ".json");
    String urls = node == null ? first.url() + "," + second.url() : node.url();
    String pids = node == null ? first.pid() + "," + second.pid() : Long.toString(node.pid());
    String[] args = new String[flags.length + 9];
    args[0] = mode;
    System.arraycopy(new String[] {"--server", "roomcast", "--url", urls, "--pid", pids, "--out", out.toString()}, 0, args, 1, 8);
    System.arraycopy(flags, 0, args, 9, flags.length);
    assertEquals(0, Bench.run(args), mode);
    return Results.JSON.readTree(out.toFile());
  }

  private static void assertNoLoss(JsonNode r) {
    assertEquals(0, r.get("setup").get("connectFailures").asInt(), r.toString());
    for (JsonNode step : r.get("steps")) {
      assertEquals(0, step.get("lost").asLong(), r.toString());
      assertEquals(0, step.get("duplicates").asLong(), r.toString());
      assertTrue(step.get("delivered").asLong() > 0, r.toString());
    }
  }
}
