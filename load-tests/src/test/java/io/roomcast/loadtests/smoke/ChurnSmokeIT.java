package io.roomcast.loadtests.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.loadtests.bench.Bench;
import io.roomcast.loadtests.bench.Results;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The modes that start their own nodes from the built jar, on tiny numbers: they complete, stop
 * their nodes, and write what they should. Smoke runs, not measurements.
 */
class ChurnSmokeIT {

  private static final Path DIR = Path.of(System.getProperty("roomcast.smoke.dir", "target/smoke")).resolve("churn");
  private static final String JAR = Path.of(System.getProperty("roomcast.jar", "../gateway/target/roomcast-gateway.jar"))
    .toAbsolutePath().toString();
  private static final String CONF = Path.of("conf", "bench-gateway.json").toAbsolutePath().toString();
  private static final String PRESENCE_CONF = Path.of("conf", "bench-presence.json").toAbsolutePath().toString();
  private static final String JOINFLOOD_CONF = Path.of("conf", "bench-joinflood-limited.json").toAbsolutePath().toString();
  private static final String SERVICE_JAR = Path.of(System.getProperty("roomcast.example.jar",
    "../examples/order-service/target/order-service.jar")).toAbsolutePath().toString();
  private static final String SMOKE_JAVA_OPTS = "-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

  @Test
  void churnMeasuresFreshRoomJoinsOnEachNodeCount() throws Exception {
    JsonNode r = run("churn", "--nodes", "1,2", "--clients", "10", "--rooms-per-client", "2", "--in-flight", "8",
      "--idle-seconds", "0.2");
    assertEquals(2, r.get("rows").size(), r.toString());
    for (JsonNode row : r.get("rows")) {
      assertFalse(row.has("error"), row.toString());
      JsonNode m = row.get("measured");
      assertEquals(20, m.get("ok").asInt(), row.toString());
      assertEquals(20, m.get("latency").get("count").asInt(), row.toString());
      assertTrue(m.get("cpuPerJoinMs").asDouble() >= 0, row.toString());
      assertEquals(row.get("nodes").asInt(), m.get("nodeCpuSeconds").size(), row.toString());
    }
  }

  @Test
  void stormBringsEveryClientOfTheKilledNodeBackInItsRooms() throws Exception {
    JsonNode r = run("storm", "--nodes", "2", "--clients", "40", "--shared-rooms", "4", "--settle-seconds", "0.5",
      "--storm-timeout-seconds", "60");
    JsonNode row = r.get("rows").get(0);
    assertFalse(row.has("error"), row.toString());
    assertEquals(20, row.get("victimClients").asInt(), row.toString());
    assertEquals(0, row.get("notBack").asInt(), row.toString());
    assertEquals(20, row.get("timeToBack").get("count").asInt(), row.toString());
    assertTrue(row.get("allBackMs").asDouble() >= row.get("firstWelcomeMs").asDouble(), row.toString());
    assertTrue(row.get("survivorsAlive").asBoolean(), row.toString());
  }

  @Test
  void presenceCountsEveryMemberOnEveryNodeAndAnswersEveryRequestRight() throws Exception {
    JsonNode r = runWith(PRESENCE_CONF, "presence", "--nodes", "2", "--members", "40", "--requests", "20", "--list-requests", "5",
      "--warmup-requests", "4", "--warmup-list-requests", "2", "--idle-seconds", "0.2", "--quiet-seconds", "0.3");
    JsonNode row = r.get("rows").get(0);
    assertFalse(row.has("error"), row.toString());
    assertEquals(40, row.get("joins").get("ok").asInt(), row.toString());
    assertEquals(40, row.get("joins").get("latency").get("count").asInt(), row.toString());
    assertTrue(row.get("joins").get("cpuPerJoinMs").asDouble() >= 0, row.toString());
    JsonNode c = row.get("convergence");
    assertTrue(c.get("converged").asBoolean(), row.toString());
    assertEquals(2, c.get("perNodeMs").size(), row.toString());
    for (JsonNode count : c.get("lastCounts")) {
      assertEquals(40, count.asInt(), row.toString());
    }
    JsonNode countOnly = row.get("countOnly");
    assertEquals(20, countOnly.get("ok").asInt(), row.toString());
    assertEquals(0, countOnly.get("wrongAnswers").asInt(), row.toString());
    assertEquals(20, countOnly.get("latency").get("count").asInt(), row.toString());
    assertEquals(40, countOnly.get("firstAnswer").get("data").get("count").asInt(), row.toString());
    JsonNode list = row.get("list");
    assertEquals(5, list.get("ok").asInt(), row.toString());
    assertEquals(0, list.get("wrongAnswers").asInt(), row.toString());
    assertEquals(5, list.get("latency").get("count").asInt(), row.toString());
    assertTrue(list.get("answerCheck").get("ok").asBoolean(), row.toString());
    assertEquals(40, list.get("answerCheck").get("listed").asInt(), row.toString());
    assertTrue(row.get("goals").get("countOnlyP99").has("met"), row.toString());
    assertTrue(row.get("goals").get("listP99").has("met"), row.toString());
    assertTrue(row.get("nodesAlive").asBoolean(), row.toString());
  }

  @Test
  void joinFloodAnswersTheNormalClientsBesideTheFlood() throws Exception {
    JsonNode r = runWith(JOINFLOOD_CONF, "joinflood", "--conf-labels", "limited", "--flooders", "10", "--clients", "3",
      "--seconds", "2", "--warmup-seconds", "0.5", "--idle-seconds", "0.2");
    assertEquals(1, r.get("rows").size(), r.toString());
    JsonNode row = r.get("rows").get(0);
    assertFalse(row.has("error"), row.toString());
    assertEquals("limited", row.get("conf").asText(), row.toString());
    assertEquals(20, row.get("limits").get("joinRateLimit").asInt(), row.toString());
    JsonNode normal = row.get("measured").get("normal");
    assertTrue(normal.get("joinsOk").asLong() > 0, row.toString());
    assertEquals(normal.get("joinsOk").asLong(), normal.get("latency").get("count").asLong(), row.toString());
    assertEquals(0, normal.get("joinsRefused").asLong(), row.toString());
    assertEquals(0, normal.get("joinsFailed").asLong(), row.toString());
    assertEquals(0, normal.get("joinsUnanswered").asLong(), row.toString());
    JsonNode flood = row.get("measured").get("flood");
    assertTrue(flood.get("joinsOk").asLong() > 0, row.toString());
    assertTrue(row.get("measured").get("nodeCores").asDouble() >= 0, row.toString());
    assertTrue(row.get("goals").get("normalJoinP99").has("met"), row.toString());
    assertTrue(row.get("measured").get("nodeAlive").asBoolean(), row.toString());
  }

  @Test
  void servicesAnswersTheServiceAndTheHubOnHandler() throws Exception {
    // No --conf: the node's default hub forwards order.* to the order service's app.orders.
    Path out = DIR.resolve("services.json");
    assertEquals(0, Bench.run("services", "--jar", JAR, "--service-jar", SERVICE_JAR, "--node-java-opts", SMOKE_JAVA_OPTS,
      "--out", out.toString(), "--clients", "2", "--rate", "50", "--seconds", "2", "--warmup-seconds", "1", "--idle-seconds", "0.2"),
      "services");
    JsonNode r = Results.JSON.readTree(out.toFile());
    assertEquals(1, r.get("rows").size(), r.toString());
    JsonNode row = r.get("rows").get(0);
    assertFalse(row.has("error"), row.toString());
    for (String phase : new String[] {"service", "hubOn"}) {
      JsonNode p = row.get(phase);
      assertTrue(p.get("ok").asLong() > 0, phase + ": " + row);
      assertEquals(p.get("ok").asLong(), p.get("latency").get("count").asLong(), phase + ": " + row);
    }
    assertTrue(row.get("goals").get("serviceP99").has("met"), row.toString());
    assertTrue(row.get("nodesAlive").asBoolean(), row.toString());
    assertTrue(row.get("serviceAlive").asBoolean(), row.toString());
  }

  private static JsonNode run(String mode, String... flags) throws Exception {
    return runWith(CONF, mode, flags);
  }

  private static JsonNode runWith(String conf, String mode, String... flags) throws Exception {
    Path out = DIR.resolve(mode + ".json");
    String[] args = new String[flags.length + 9];
    args[0] = mode;
    System.arraycopy(new String[] {"--jar", JAR, "--node-java-opts", SMOKE_JAVA_OPTS, "--conf", conf, "--out", out.toString()},
      0, args, 1, 8);
    System.arraycopy(flags, 0, args, 9, flags.length);
    assertEquals(0, Bench.run(args), mode);
    return Results.JSON.readTree(out.toFile());
  }
}
