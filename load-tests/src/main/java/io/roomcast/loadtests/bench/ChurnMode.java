package io.roomcast.loadtests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.loadtests.bench.client.ClientConnection;
import io.roomcast.loadtests.bench.client.LoadClient;
import io.roomcast.loadtests.bench.client.SourceAddresses;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mode churn, fresh-room joins: for each node count and each gateway jar, starts that many
 * clustered nodes from the jar, spreads the clients over them in turn, and has each client join
 * rooms of its own ({@code user:<client>:<i>}, so that every join is a room's first member), a
 * bounded number of joins awaiting their reply across the fleet. A warm-up round on other rooms
 * comes first; the second round is measured: fresh-room joins per second (first request to last
 * reply), join latency (request to its {@code ok} reply), and CPU per join summed over every node
 * process (utime + stime from /proc over the round). The node's idle CPU, measured just before the
 * round, is reported beside it, and the figure net of it.
 *
 * <p>Jars are measured in turn for each node count (A then B at 1 node, A then B at 3, ...), so that
 * a drift of the machine's load touches both alike. Flags, beside those of {@link GatewayBuild}:
 * {@code --nodes 1,3,5 --clients 200 --rooms-per-client 10 --in-flight 64 --connect-in-flight 100
 * --idle-seconds 2 --settle-cores-per-node 0 (a bound, e.g. 0.1, waits for idle nodes to burn less than that
 * each before the idle measurement) --settle-timeout-seconds 300 --round-timeout-seconds 300 --start-timeout-seconds 120 --sources 16}.
 */
final class ChurnMode {

  private final List<GatewayBuild> builds;
  private final List<Integer> nodeCounts;
  private final int clients;
  private final int roomsPerClient;
  private final int inFlight;
  private final int connectInFlight;
  private final double idleSeconds;
  private final Settle settle;
  private final long roundTimeoutMs;
  private final long startTimeoutMs;
  private final int sources;

  ChurnMode(Options options, Path out) {
    this.builds = GatewayBuild.fromOptions(options, out);
    this.nodeCounts = options.integers("nodes", "1,3,5");
    this.clients = options.integer("clients", 200);
    this.roomsPerClient = options.integer("rooms-per-client", 10);
    this.inFlight = options.integer("in-flight", 64);
    this.connectInFlight = options.integer("connect-in-flight", 100);
    this.idleSeconds = options.decimal("idle-seconds", 2);
    // Fresh JVMs sharing a core compile for minutes: 0 measures at once, a bound waits for it.
    this.settle = Settle.fromOptions(options);
    this.roundTimeoutMs = (long) (options.decimal("round-timeout-seconds", 300) * 1000);
    this.startTimeoutMs = (long) (options.decimal("start-timeout-seconds", 120) * 1000);
    this.sources = options.integer("sources", 16);
    if (nodeCounts.isEmpty() || nodeCounts.stream().anyMatch(n -> n < 1 || n > NodeCluster.PORTS)) {
      throw new IllegalArgumentException("--nodes takes node counts from 1 to " + NodeCluster.PORTS);
    }
    if (clients < 1 || roomsPerClient < 1 || inFlight < 1 || connectInFlight < 1 || idleSeconds < 0) {
      throw new IllegalArgumentException("need --clients, --rooms-per-client, --in-flight and --connect-in-flight >= 1");
    }
  }

  ObjectNode run(ObjectNode result) {
    ArrayNode b = result.putArray("builds");
    builds.forEach(build -> b.add(build.toJson()));
    ObjectNode load = result.putObject("load");
    load.put("clients", clients);
    load.put("roomsPerClient", roomsPerClient);
    load.put("inFlight", inFlight);
    ArrayNode rows = result.putArray("rows");
    try (LoadClient client = new LoadClient(new SourceAddresses(sources))) {
      for (int nodes : nodeCounts) {
        for (GatewayBuild build : builds) {
          rows.add(measure(client, build, nodes));
        }
      }
    }
    System.out.println();
    System.out.printf("churn: fresh-room joins, %d clients x %d rooms of their own, %d joins in flight (second round)%n%n",
      clients, roomsPerClient, inFlight);
    System.out.print(table(rows));
    return result;
  }

  private ObjectNode measure(LoadClient client, GatewayBuild build, int nodes) {
    ObjectNode row = Results.object();
    row.put("build", build.label());
    row.put("nodes", nodes);
    System.out.printf("churn %-12s %d node(s): starting%n", build.label(), nodes);
    try (NodeCluster cluster = NodeCluster.start(build.settings(), "nodes-" + nodes, nodes, startTimeoutMs)) {
      Target target = cluster.target();
      ArrayNode pids = row.putArray("pids");
      target.pids().forEach(pids::add);
      Fleet fleet = new Fleet(client);
      try {
        measure(cluster, fleet, row);
      } finally {
        fleet.closeAll(30_000);
      }
    } catch (IOException | RuntimeException e) {
      row.put("error", String.valueOf(e.getMessage()));
      System.out.printf("churn %-12s %d node(s): failed: %s%n", build.label(), nodes, e.getMessage());
    }
    return row;
  }

  private void measure(NodeCluster cluster, Fleet fleet, ObjectNode row) {
    Target target = cluster.target();
    String label = row.get("build").asText();
    int nodes = target.urls().size();
    List<ClientConnection> connections = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      connections.add(fleet.newConnection(target.urls().get(i % nodes), ServerKind.ROOMCAST));
    }
    Fleet.Batch batch = fleet.connect(connections, connectInFlight, startTimeoutMs);
    row.put("connectFailures", batch.failed());
    if (batch.failed() > 0) {
      throw new IllegalStateException(batch.failed() + " of " + clients + " connections failed: " + fleet.problems());
    }
    JoinRound.Outcome warm = JoinRound.run(fleet, joins(connections, "warm"), inFlight, roundTimeoutMs);
    row.set("warmup", outcome(warm));
    System.out.printf("churn %-12s %d node(s): warm-up %.0f joins/s, p99 %.1f ms, failed %d%n", label, nodes,
      warm.joinsPerSecond(), warm.micros().getValueAtPercentile(99) / 1000.0, warm.failed() + warm.unanswered());

    double settled = settle.await(target, nodes);
    if (settled >= 0) {
      row.put("settleSeconds", Results.round(settled));
      System.out.printf("churn %-12s %d node(s): idle below %.2f cores per node after %.0f s%n", label, nodes, settle.coresPerNode(), settled);
    }

    // What the nodes burn doing nothing (heartbeats, timers), to read the figure against.
    double idleStart = target.cpuSeconds();
    long idleNanos = System.nanoTime();
    Pause.seconds(idleSeconds);
    double idleCores = idleSeconds <= 0 ? 0 : (target.cpuSeconds() - idleStart) / ((System.nanoTime() - idleNanos) / 1e9);

    fleet.resetProblems();
    double[] before = perNode(target);
    double generatorBefore = ProcStats.cpuSeconds(ProcStats.self());
    long start = System.nanoTime();
    JoinRound.Outcome measured = JoinRound.run(fleet, joins(connections, "user"), inFlight, roundTimeoutMs);
    double window = (System.nanoTime() - start) / 1e9;
    double generator = (ProcStats.cpuSeconds(ProcStats.self()) - generatorBefore) / window;
    double[] after = perNode(target);

    ObjectNode m = outcome(measured);
    double cpu = 0;
    ArrayNode perNode = m.putArray("nodeCpuSeconds");
    for (int i = 0; i < nodes; i++) {
      cpu += after[i] - before[i];
      perNode.add(Results.round(after[i] - before[i]));
    }
    int ok = Math.max(1, measured.ok());
    m.put("cpuSeconds", Results.round(cpu));
    m.put("windowSeconds", Results.round(window));
    m.put("cpuPerJoinMs", Results.round(cpu * 1000 / ok));
    m.put("idleCores", Results.round(idleCores));
    m.put("cpuPerJoinNetOfIdleMs", Results.round(Math.max(0, cpu - idleCores * window) * 1000 / ok));
    m.put("generatorCpu", Results.round(generator));
    m.put("generatorBound", generator > CpuMeter.GENERATOR_LIMIT);
    m.put("nodesAlive", target.alive());
    row.set("measured", m);
    row.set("problems", Results.JSON.valueToTree(fleet.problems()));
    System.out.printf("churn %-12s %d node(s): %.0f joins/s, p50 %.1f p99 %.1f ms, CPU per join %.2f ms over all nodes"
        + " (%.2f net of %.2f idle cores), failed %d, generator %.2f cores%n", label, nodes, measured.joinsPerSecond(),
      m.get("latency").get("p50").asDouble(), m.get("latency").get("p99").asDouble(), cpu * 1000 / ok,
      m.get("cpuPerJoinNetOfIdleMs").asDouble(), idleCores, measured.failed() + measured.unanswered(), generator);
  }

  /** Join i of every client, then join i + 1: the joins in flight are on as many clients as possible. */
  private List<JoinRound.Join> joins(List<ClientConnection> connections, String prefix) {
    List<JoinRound.Join> joins = new ArrayList<>(connections.size() * roomsPerClient);
    for (int i = 0; i < roomsPerClient; i++) {
      for (ClientConnection c : connections) {
        joins.add(new JoinRound.Join(c, prefix + ":" + c.index() + ":" + i));
      }
    }
    return joins;
  }

  private static double[] perNode(Target target) {
    double[] cpu = new double[target.pids().size()];
    for (int i = 0; i < cpu.length; i++) {
      cpu[i] = ProcStats.cpuSeconds(target.pids().get(i));
    }
    return cpu;
  }

  private static ObjectNode outcome(JoinRound.Outcome o) {
    ObjectNode n = Results.object();
    n.put("joins", o.joins());
    n.put("ok", o.ok());
    n.put("failed", o.failed());
    n.put("unanswered", o.unanswered());
    n.put("seconds", Results.round(o.seconds()));
    n.put("joinsPerSecond", Math.round(o.joinsPerSecond()));
    n.set("latency", Results.latency(o.micros()));
    return n;
  }

  /** @return the measured rounds as a Markdown table, a row per node count and build */
  static String table(JsonNode rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| nodes | build | fresh-room joins/s | join p50 / p99 (ms) | CPU per join, all nodes (ms) | net of idle (ms) | failed |\n");
    sb.append("|---:|---|---:|---:|---:|---:|---:|\n");
    for (JsonNode r : rows) {
      JsonNode m = r.path("measured");
      sb.append("| ").append(r.path("nodes").asInt()).append(" | ").append(r.path("build").asText()).append(" | ");
      if (m.isMissingNode()) {
        sb.append("failed: ").append(r.path("error").asText().replace('|', '/')).append(" | | | | |\n");
        continue;
      }
      sb.append(String.format("%,d | %.1f / %.1f | %.2f | %.2f | %d |%n", m.path("joinsPerSecond").asLong(),
        m.path("latency").path("p50").asDouble(), m.path("latency").path("p99").asDouble(), m.path("cpuPerJoinMs").asDouble(),
        m.path("cpuPerJoinNetOfIdleMs").asDouble(), m.path("failed").asInt() + m.path("unanswered").asInt()));
    }
    return sb.toString();
  }
}
