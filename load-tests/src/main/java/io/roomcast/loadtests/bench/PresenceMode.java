package io.roomcast.loadtests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import io.roomcast.loadtests.bench.client.ClientConnection;
import io.roomcast.loadtests.bench.client.ConnectionListener;
import io.roomcast.loadtests.bench.client.Frames;
import io.roomcast.loadtests.bench.client.HarnessClock;
import io.roomcast.loadtests.bench.client.LoadClient;
import io.roomcast.loadtests.bench.client.SourceAddresses;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Mode presence, one big presence room across the cluster (PROTOCOL.md section 7): for each
 * gateway jar, starts a cluster (3 nodes by default) on a configuration with presence in
 * {@code presence:*} rooms ({@code load-tests/conf/bench-presence.json}), connects the members
 * spread over the nodes in turn, and has member {@code i} join {@value #ROOM} with
 * {@code "data":{"info":{"name":"m<i>"}}}, a bounded number of joins awaiting their reply across
 * the fleet. Measured: join latency (request to its {@code ok}), joins/s, and CPU per join summed
 * over every node process (utime + stime from /proc over the round, and net of the nodes' idle CPU
 * measured just before, as in {@link ChurnMode}).
 *
 * <p>In a room of the hub's {@code presenceEvents}, every join sends a {@code joined} event to
 * every member already in the room: N(N − 1) / 2 events in all, about 50 million for 10,000
 * members, which the members read (and count), and the join figures include that fan-out.
 * {@code bench-presence.json} leaves the room out of {@code presenceEvents}, as an audience of
 * that size should be, so that the figures are those of the roster itself.
 *
 * <p>Then the mode waits until a {@code countOnly} presence request on every node answers
 * {@code count == members} (asked by the node's last member, one request in flight per node, the
 * next {@value #POLL_MS} ms after each answer, for at most {@code --converge-timeout-seconds}) and
 * states how long after the last join reply each node got there (to within a request's round
 * trip); and until no event has arrived for {@code --quiet-seconds}, so
 * that the requests measured next do not queue behind the last presence events. Then, from the
 * members in turn (so from every node in turn), {@code --requests} countOnly requests
 * ({@code {"event":"presence","id":N,"room":"presence:big","data":{"countOnly":true}}}) with
 * {@code --request-in-flight} awaiting their answer, then {@code --list-requests} requests for the
 * full member list with {@code --list-in-flight}, each after an unmeasured warm-up of the same
 * kind ({@code --warmup-requests}, {@code --warmup-list-requests}; 0 for none). Each answer is
 * checked: {@code count == members}, no {@code members} in a countOnly answer, and as many
 * members listed as that in a full one; the first full answer is also read whole (every member
 * once, every info name there). Latency is request to answer, p50/p99/max; the goals are
 * countOnly p99 ≤ {@value #COUNT_ONLY_P99_GOAL_MS} ms and full list p99 ≤
 * {@value #LIST_P99_GOAL_MS} ms, with every answer right.
 *
 * <p>Flags, beside those of {@link GatewayBuild}: {@code --nodes 3 --members 10000 --in-flight 64
 * --connect-in-flight 200 --idle-seconds 2 --converge-timeout-seconds 60 --quiet-seconds 1
 * --quiet-timeout-seconds 300 --requests 500 --request-in-flight 8 --list-requests 100
 * --list-in-flight 2 --warmup-requests 50 --warmup-list-requests 10 --setup-timeout-seconds 900
 * (connects and joins) --request-timeout-seconds 120 (each round of requests)
 * --start-timeout-seconds 120 --sources 16 --settle-cores-per-node 0 (a bound, e.g. 0.08, waits
 * before the joins and before the requests for the nodes to burn less than that each, as in
 * {@link ChurnMode}) --settle-timeout-seconds 300}.
 */
final class PresenceMode {

  static final String ROOM = "presence:big";
  static final double COUNT_ONLY_P99_GOAL_MS = 50;
  static final double LIST_P99_GOAL_MS = 500;
  private static final long POLL_MS = 10;
  private static final long TICK_MS = 50;
  private static final int MAX_PROBLEM_KINDS = 20;
  private static final byte[] PRESENCE_EVENT = Frames.ascii("{\"event\":\"presence\"");
  private static final byte[] COUNT = Frames.ascii("\"count\":");
  private static final byte[] MEMBERS = Frames.ascii("\"members\":");
  private static final byte[] CLIENT = Frames.ascii("\"client\":");

  private final List<GatewayBuild> builds;
  private final int nodes;
  private final int members;
  private final int inFlight;
  private final int connectInFlight;
  private final double idleSeconds;
  private final long convergeTimeoutMs;
  private final double quietSeconds;
  private final long quietTimeoutMs;
  private final int requests;
  private final int requestInFlight;
  private final int listRequests;
  private final int listInFlight;
  private final int warmupRequests;
  private final int warmupListRequests;
  private final long setupTimeoutMs;
  private final long requestTimeoutMs;
  private final long startTimeoutMs;
  private final int sources;
  private final Settle settle;

  PresenceMode(Options options, Path out) {
    this.builds = GatewayBuild.fromOptions(options, out);
    this.nodes = options.integer("nodes", 3);
    this.members = options.integer("members", 10_000);
    this.inFlight = options.integer("in-flight", 64);
    this.connectInFlight = options.integer("connect-in-flight", 200);
    this.idleSeconds = options.decimal("idle-seconds", 2);
    this.convergeTimeoutMs = (long) (options.decimal("converge-timeout-seconds", 60) * 1000);
    this.quietSeconds = options.decimal("quiet-seconds", 1);
    this.quietTimeoutMs = (long) (options.decimal("quiet-timeout-seconds", 300) * 1000);
    this.requests = options.integer("requests", 500);
    this.requestInFlight = options.integer("request-in-flight", 8);
    this.listRequests = options.integer("list-requests", 100);
    this.listInFlight = options.integer("list-in-flight", 2);
    this.warmupRequests = options.integer("warmup-requests", 50);
    this.warmupListRequests = options.integer("warmup-list-requests", 10);
    this.setupTimeoutMs = (long) (options.decimal("setup-timeout-seconds", 900) * 1000);
    this.requestTimeoutMs = (long) (options.decimal("request-timeout-seconds", 120) * 1000);
    this.startTimeoutMs = (long) (options.decimal("start-timeout-seconds", 120) * 1000);
    this.settle = Settle.fromOptions(options);
    this.sources = options.integer("sources", 16);
    if (nodes < 1 || nodes > NodeCluster.PORTS) {
      throw new IllegalArgumentException("--nodes must be 1 to " + NodeCluster.PORTS);
    }
    if (members < nodes || inFlight < 1 || connectInFlight < 1 || requestInFlight < 1 || listInFlight < 1) {
      throw new IllegalArgumentException("need --members >= --nodes, and --in-flight, --connect-in-flight, --request-in-flight"
        + " and --list-in-flight >= 1");
    }
    if (requests < 1 || listRequests < 1 || warmupRequests < 0 || warmupListRequests < 0 || idleSeconds < 0
      || quietSeconds < 0 || convergeTimeoutMs < 0 || quietTimeoutMs < 0) {
      throw new IllegalArgumentException("need --requests and --list-requests >= 1, and no negative warm-up, time or timeout");
    }
    checkOpenFiles();
  }

  /** The generator holds every member's connection. */
  private void checkOpenFiles() {
    long limit = ProcStats.openFilesLimit(ProcStats.self());
    long needed = members + 500L;
    if (limit >= 0 && limit < needed) {
      throw new IllegalArgumentException("the open files limit of the harness is " + limit + ", and " + members
        + " members need about " + needed + ": raise it (ulimit -n; bench.sh raises the soft limit to the hard one)");
    }
  }

  ObjectNode run(ObjectNode result) {
    ArrayNode b = result.putArray("builds");
    builds.forEach(build -> b.add(build.toJson()));
    ObjectNode load = result.putObject("load");
    load.put("nodes", nodes);
    load.put("members", members);
    load.put("room", ROOM);
    load.put("inFlight", inFlight);
    load.put("requests", requests);
    load.put("requestInFlight", requestInFlight);
    load.put("listRequests", listRequests);
    load.put("listInFlight", listInFlight);
    load.put("warmupRequests", warmupRequests);
    load.put("warmupListRequests", warmupListRequests);
    load.put("countOnlyP99GoalMs", COUNT_ONLY_P99_GOAL_MS);
    load.put("listP99GoalMs", LIST_P99_GOAL_MS);
    ArrayNode rows = result.putArray("rows");
    try (LoadClient client = new LoadClient(new SourceAddresses(sources))) {
      for (GatewayBuild build : builds) {
        rows.add(measure(client, build));
      }
    }
    System.out.println();
    System.out.printf("presence: %d nodes, %d members in %s (joins with info, %d in flight); %d countOnly requests"
        + " (%d in flight), %d full lists (%d in flight); latency in ms%n%n", nodes, members, ROOM, inFlight, requests,
      requestInFlight, listRequests, listInFlight);
    System.out.print(table(rows));
    return result;
  }

  private ObjectNode measure(LoadClient client, GatewayBuild build) {
    ObjectNode row = Results.object();
    row.put("build", build.label());
    row.put("nodes", nodes);
    row.put("members", members);
    System.out.printf("presence %-12s %d node(s): starting%n", build.label(), nodes);
    try (NodeCluster cluster = NodeCluster.start(build.settings(), "presence", nodes, startTimeoutMs)) {
      ArrayNode pids = row.putArray("pids");
      cluster.target().pids().forEach(pids::add);
      Fleet fleet = new Fleet(client);
      try {
        measure(cluster.target(), fleet, row);
      } finally {
        fleet.closeAll(60_000);
      }
    } catch (IOException | RuntimeException e) {
      row.put("error", String.valueOf(e.getMessage()));
      System.out.printf("presence %-12s %d node(s): failed: %s%n", build.label(), nodes, e.getMessage());
    }
    return row;
  }

  private void measure(Target target, Fleet fleet, ObjectNode row) {
    String label = row.get("build").asText();
    Events events = new Events();
    fleet.onLoop(() -> {
      fleet.setDeliveries(events);
      return null;
    });

    // Connect: member i on node i % nodes.
    List<ClientConnection> connections = new ArrayList<>(members);
    for (int i = 0; i < members; i++) {
      connections.add(fleet.newConnection(target.urls().get(i % nodes), ServerKind.ROOMCAST));
    }
    Fleet.Batch batch = fleet.connect(connections, connectInFlight, setupTimeoutMs);
    ObjectNode connect = row.putObject("connect");
    connect.put("connected", batch.ready());
    connect.put("connectFailures", batch.failed());
    connect.put("seconds", Results.round(batch.seconds()));
    connect.set("latency", Results.latency(batch.connectMicros()));
    System.out.printf("presence %-12s %d node(s): %d members connected in %.1f s, failed %d%n", label, nodes, batch.ready(),
      batch.seconds(), batch.failed());
    if (batch.failed() > 0) {
      throw new IllegalStateException(batch.failed() + " of " + members + " connections failed: " + fleet.problems());
    }

    settled(target, row, "settleBeforeJoinsSeconds", "before the joins");
    // What the nodes burn doing nothing, to read the CPU per join against.
    double idleStart = target.cpuSeconds();
    long idleNanos = System.nanoTime();
    Pause.seconds(idleSeconds);
    double idleCores = idleSeconds <= 0 ? 0 : (target.cpuSeconds() - idleStart) / ((System.nanoTime() - idleNanos) / 1e9);

    // The joins, each with its info.
    List<JoinRound.Join> joins = new ArrayList<>(members);
    for (int i = 0; i < members; i++) {
      joins.add(new JoinRound.Join(connections.get(i), ROOM, "{\"info\":{\"name\":\"m" + i + "\"}}"));
    }
    fleet.resetProblems();
    double[] before = perNode(target);
    double generatorBefore = ProcStats.cpuSeconds(ProcStats.self());
    long start = System.nanoTime();
    JoinRound.Outcome o = JoinRound.run(fleet, joins, inFlight, setupTimeoutMs);
    double window = (System.nanoTime() - start) / 1e9;
    double generator = (ProcStats.cpuSeconds(ProcStats.self()) - generatorBefore) / window;
    double[] after = perNode(target);
    long eventsInRound = fleet.onLoop(() -> events.presence);

    ObjectNode j = row.putObject("joins");
    j.put("joins", o.joins());
    j.put("ok", o.ok());
    j.put("failed", o.failed());
    j.put("unanswered", o.unanswered());
    j.put("seconds", Results.round(o.seconds()));
    j.put("joinsPerSecond", Math.round(o.joinsPerSecond()));
    j.set("latency", Results.latency(o.micros()));
    double cpu = 0;
    ArrayNode perNode = j.putArray("nodeCpuSeconds");
    for (int i = 0; i < nodes; i++) {
      cpu += after[i] - before[i];
      perNode.add(Results.round(after[i] - before[i]));
    }
    int ok = Math.max(1, o.ok());
    j.put("cpuSeconds", Results.round(cpu));
    j.put("windowSeconds", Results.round(window));
    j.put("cpuPerJoinMs", Results.round(cpu * 1000 / ok));
    j.put("idleCores", Results.round(idleCores));
    j.put("cpuPerJoinNetOfIdleMs", Results.round(Math.max(0, cpu - idleCores * window) * 1000 / ok));
    j.put("presenceEventsInRound", eventsInRound);
    j.put("generatorCpu", Results.round(generator));
    j.put("generatorBound", generator > CpuMeter.GENERATOR_LIMIT);
    j.set("problems", Results.JSON.valueToTree(fleet.problems()));
    System.out.printf("presence %-12s %d node(s): %d joins, %.0f joins/s, p50 %.1f p99 %.1f max %.1f ms, CPU per join %.2f ms"
        + " over all nodes (%.2f net of %.2f idle cores), %d presence events received meanwhile, failed %d, generator %.2f cores%n",
      label, nodes, o.joins(), o.joinsPerSecond(), j.get("latency").get("p50").asDouble(), j.get("latency").get("p99").asDouble(),
      j.get("latency").get("max").asDouble(), cpu * 1000 / ok, j.get("cpuPerJoinNetOfIdleMs").asDouble(), idleCores, eventsInRound,
      o.failed() + o.unanswered(), generator);
    if (o.failed() + o.unanswered() > 0) {
      throw new IllegalStateException((o.failed() + o.unanswered()) + " of " + members + " joins failed: " + fleet.problems());
    }

    // Every node counts every member, and the last presence events have arrived.
    ObjectNode c = converge(fleet, connections, events, o.endNanos());
    double[] settled = perNode(target);
    double settledWindow = (System.nanoTime() - start) / 1e9;
    double settledCpu = 0;
    for (int i = 0; i < nodes; i++) {
      settledCpu += settled[i] - before[i];
    }
    c.put("cpuSecondsFromFirstJoin", Results.round(settledCpu));
    c.put("windowSecondsFromFirstJoin", Results.round(settledWindow));
    c.put("cpuPerJoinToQuietMs", Results.round(settledCpu * 1000 / ok));
    c.put("cpuPerJoinToQuietNetOfIdleMs", Results.round(Math.max(0, settledCpu - idleCores * settledWindow) * 1000 / ok));
    row.set("convergence", c);
    System.out.printf("presence %-12s %d node(s): %s; presence events %s, %d received in all (N(N-1)/2 = %d); CPU per join"
        + " to then %.2f ms (%.2f net of idle)%n", label, nodes,
      c.get("converged").asBoolean()
        ? String.format("count %d on every node %.1f ms after the last join reply (per node %s ms)", members,
          c.get("afterLastJoinMs").asDouble(), c.get("perNodeMs"))
        : String.format("NOT every node counted %d within %d s (last counts %s)", members, convergeTimeoutMs / 1000, c.get("lastCounts")),
      c.get("quiet").asBoolean()
        ? String.format("quiet %.1f ms after the last join reply", c.get("lastEventAfterLastJoinMs").asDouble())
        : "still arriving at the deadline", c.get("presenceEvents").asLong(), c.get("presenceEventsIfEachPairOnce").asLong(),
      c.get("cpuPerJoinToQuietMs").asDouble(), c.get("cpuPerJoinToQuietNetOfIdleMs").asDouble());

    // The requests: countOnly, then full lists, each after its warm-up.
    settled(target, row, "settleBeforeRequestsSeconds", "before the requests");
    fleet.resetProblems();
    long eventsBefore = fleet.onLoop(() -> events.presence);
    ObjectNode warmup = row.putObject("warmup");
    if (warmupRequests > 0) {
      warmup.set("countOnly", requests(target, fleet, connections, false, warmupRequests, requestInFlight));
    }
    ObjectNode countOnly = requests(target, fleet, connections, false, requests, requestInFlight);
    row.set("countOnly", countOnly);
    summary(label, "countOnly", countOnly, COUNT_ONLY_P99_GOAL_MS);
    if (warmupListRequests > 0) {
      warmup.set("list", requests(target, fleet, connections, true, warmupListRequests, listInFlight));
    }
    ObjectNode list = requests(target, fleet, connections, true, listRequests, listInFlight);
    row.set("list", list);
    summary(label, "full list", list, LIST_P99_GOAL_MS);
    row.set("problems", Results.JSON.valueToTree(fleet.problems()));
    // Should be none: a presence event still on its way delays the answers queued behind it.
    row.put("presenceEventsDuringRequests", fleet.onLoop(() -> events.presence) - eventsBefore);
    row.put("nodesAlive", target.alive());

    ObjectNode goals = row.putObject("goals");
    goals.set("countOnlyP99", goal(countOnly, COUNT_ONLY_P99_GOAL_MS));
    goals.set("listP99", goal(list, LIST_P99_GOAL_MS));
  }

  /** Waits for the nodes to go quiet when {@code --settle-cores-per-node} asks for it, and says how long it took. */
  private void settled(Target target, ObjectNode row, String field, String when) {
    double seconds = settle.await(target, nodes);
    if (seconds >= 0) {
      row.put(field, Results.round(seconds));
      System.out.printf("presence %-12s %d node(s): idle below %.2f cores per node %s after %.0f s%n", row.get("build").asText(), nodes,
        settle.coresPerNode(), when, seconds);
    }
  }

  private void summary(String label, String what, ObjectNode phase, double goalMs) {
    JsonNode l = phase.get("latency");
    ObjectNode g = goal(phase, goalMs);
    System.out.printf("presence %-12s %d node(s): %s: %d requests, %.0f/s, p50 %.1f p99 %.1f max %.1f ms, failed %d, wrong %d,"
        + " CPU per request %.3f ms over all nodes, generator %.2f cores; goal p99 <= %.0f ms: %s%n", label, nodes, what,
      phase.get("requests").asInt(), phase.get("requestsPerSecond").asDouble(), l.get("p50").asDouble(), l.get("p99").asDouble(),
      l.get("max").asDouble(), phase.get("failed").asInt() + phase.get("unanswered").asInt(), phase.get("wrongAnswers").asInt(),
      phase.get("cpuPerRequestMs").asDouble(), phase.get("generatorCpu").asDouble(), goalMs, g.get("status").asText());
  }

  /**
   * A goal on a request round's p99: met when p99 is within the bound and every request was
   * answered right; not met otherwise, unless the generator was over its limit and the p99 over
   * the bound (then inconclusive).
   */
  static ObjectNode goal(JsonNode phase, double boundMs) {
    ObjectNode g = Results.object();
    double p99 = phase.path("latency").path("p99").asDouble(-1);
    boolean answered = phase.path("latency").path("count").asLong() > 0;
    boolean allRight = answered && phase.path("ok").asInt() == phase.path("requests").asInt()
      && phase.path("wrongAnswers").asInt() == 0;
    g.put("boundMs", boundMs);
    g.put("p99Ms", p99);
    g.put("everyAnswerRight", allRight);
    boolean met = allRight && p99 <= boundMs;
    g.put("met", met);
    g.put("status", met ? "met" : allRight && phase.path("generatorBound").asBoolean() ? "inconclusive (generator-bound)" : "not met");
    return g;
  }

  /** Waits for every node to count every member, then for the events to stop; see the class comment. */
  private ObjectNode converge(Fleet fleet, List<ClientConnection> connections, Events events, long lastJoinNanos) {
    // The last member on each node asks: the last to join, it has almost no presence event queued
    // ahead of its answer (the first members get one for every later join).
    List<ClientConnection> probes = new ArrayList<>(nodes);
    int base = members - nodes;
    for (int k = 0; k < nodes; k++) {
      probes.add(connections.get(base + Math.floorMod(k - base, nodes)));
    }
    Convergence conv = new Convergence(fleet, probes, events, lastJoinNanos);
    fleet.onLoop(() -> {
      fleet.setObserver(conv);
      conv.start();
      return null;
    });
    await(conv.converged, convergeTimeoutMs);
    fleet.onLoop(() -> {
      conv.polling = false;
      return null;
    });
    await(conv.quiet, quietTimeoutMs);
    return fleet.onLoop(() -> {
      conv.stop();
      fleet.setObserver(new ConnectionListener() { });
      return conv.report();
    });
  }

  /** One round of presence requests, measured; runs as the fleet's observer for the round. */
  private ObjectNode requests(Target target, Fleet fleet, List<ClientConnection> connections, boolean full, int count, int limit) {
    Requests round = new Requests(connections, full, count, limit);
    CpuMeter meter = new CpuMeter(target);
    fleet.onLoop(() -> {
      fleet.setObserver(round);
      round.start();
      return null;
    });
    await(round.done, requestTimeoutMs);
    ObjectNode r = fleet.onLoop(() -> {
      round.over = true;
      fleet.setObserver(new ConnectionListener() { });
      return round.report();
    });
    double generator = meter.generator();
    double serverCpu = meter.server() * meter.elapsedSeconds();
    r.put("cpuSeconds", Results.round(serverCpu));
    r.put("cpuPerRequestMs", Results.round(serverCpu * 1000 / Math.max(1, r.get("ok").asInt())));
    r.put("generatorCpu", Results.round(generator));
    r.put("generatorBound", generator > CpuMeter.GENERATOR_LIMIT);
    String first = round.firstAnswer;
    if (full) {
      r.set("answerCheck", checkList(first));
    } else if (first != null) {
      try {
        r.set("firstAnswer", Results.JSON.readTree(first));
      } catch (IOException e) {
        r.put("firstAnswer", "not JSON: " + e.getMessage());
      }
    }
    return r;
  }

  /** @return what a whole full answer says: every member once, with its info, and the count */
  ObjectNode checkList(String answer) {
    ObjectNode check = Results.object();
    if (answer == null) {
      check.put("ok", false);
      check.put("problem", "no answer to check");
      return check;
    }
    String problem;
    try {
      JsonNode data = Results.JSON.readTree(answer).path("data");
      JsonNode list = data.path("members");
      check.put("count", data.path("count").asLong(-1));
      check.put("users", data.path("users").asLong(-1));
      check.put("listed", list.size());
      Set<String> clients = new HashSet<>();
      Set<String> names = new HashSet<>();
      for (JsonNode m : list) {
        clients.add(m.path("client").asText());
        names.add(m.path("info").path("name").asText());
      }
      int missingNames = 0;
      for (int i = 0; i < members; i++) {
        missingNames += names.contains("m" + i) ? 0 : 1;
      }
      check.put("distinctClients", clients.size());
      check.put("missingInfoNames", missingNames);
      problem = !data.path("room").asText().equals(ROOM) ? "room " + data.path("room")
        : data.path("count").asLong(-1) != members ? "count " + data.path("count")
        : !list.isArray() || list.size() != members ? list.size() + " members listed"
        : clients.size() != members ? clients.size() + " distinct clients listed"
        : missingNames > 0 ? missingNames + " info names missing"
        : null;
    } catch (IOException e) {
      problem = "not JSON: " + e.getMessage();
    }
    check.put("ok", problem == null);
    if (problem != null) {
      check.put("problem", problem);
    }
    return check;
  }

  private static void await(CountDownLatch latch, long timeoutMs) {
    try {
      latch.await(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static double[] perNode(Target target) {
    double[] cpu = new double[target.pids().size()];
    for (int i = 0; i < cpu.length; i++) {
      cpu[i] = ProcStats.cpuSeconds(target.pids().get(i));
    }
    return cpu;
  }

  static String presenceRequest(int id, boolean full) {
    return full
      ? "{\"event\":\"presence\",\"id\":" + id + ",\"room\":\"" + ROOM + "\"}"
      : "{\"event\":\"presence\",\"id\":" + id + ",\"room\":\"" + ROOM + "\",\"data\":{\"countOnly\":true}}";
  }

  /** The events the members receive (presence events, and any other delivery). Loop-confined. */
  private static final class Events implements Fleet.Deliveries {
    long presence;
    long other;
    long last;

    @Override
    public void onDelivery(ClientConnection c, ByteBuf frame, long receivedNanos) {
      if (Frames.startsWith(frame, PRESENCE_EVENT)) {
        presence++;
      } else {
        other++;
      }
      last = receivedNanos;
    }
  }

  /** Polls each node with countOnly requests until it counts every member, and watches for quiet. Loop-confined. */
  private final class Convergence implements ConnectionListener {
    final Fleet fleet;
    final List<ClientConnection> probes;
    final Events events;
    final long lastJoinNanos;
    final int[] pending;
    final long[] convergedAt;
    final long[] lastCount;
    final CountDownLatch converged = new CountDownLatch(1);
    final CountDownLatch quiet = new CountDownLatch(1);
    boolean polling = true;
    boolean over;
    int polls;
    int pollErrors;
    long quietSeen;
    ScheduledFuture<?> ticker;

    Convergence(Fleet fleet, List<ClientConnection> probes, Events events, long lastJoinNanos) {
      this.fleet = fleet;
      this.probes = probes;
      this.events = events;
      this.lastJoinNanos = lastJoinNanos;
      this.pending = new int[probes.size()];
      this.convergedAt = new long[probes.size()];
      this.lastCount = new long[probes.size()];
      Arrays.fill(lastCount, -1);
    }

    void start() {
      for (int k = 0; k < probes.size(); k++) {
        poll(k);
      }
      ticker = fleet.loop().scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    void stop() {
      over = true;
      polling = false;
      if (ticker != null) {
        ticker.cancel(false);
      }
    }

    private void poll(int k) {
      if (over || !polling || convergedAt[k] > 0) {
        return;
      }
      ClientConnection c = probes.get(k);
      if (!c.isReady()) {
        // Its connection is gone: this node's count cannot be read any more.
        pollErrors++;
        return;
      }
      int id = JoinRound.nextId();
      pending[k] = id;
      polls++;
      c.send(presenceRequest(id, false));
    }

    @Override
    public void onReply(ClientConnection c, int requestId, boolean ok, ByteBuf frame) {
      if (over) {
        return;
      }
      for (int k = 0; k < pending.length; k++) {
        if (pending[k] != requestId || requestId == 0) {
          continue;
        }
        long now = HarnessClock.nanos();
        pending[k] = 0;
        if (ok) {
          lastCount[k] = Frames.numberAfter(frame, COUNT);
          if (lastCount[k] == members) {
            convergedAt[k] = now;
            tick();
            return;
          }
        } else {
          pollErrors++;
        }
        int at = k;
        fleet.loop().schedule(() -> poll(at), POLL_MS, TimeUnit.MILLISECONDS);
        return;
      }
    }

    private void tick() {
      if (over) {
        return;
      }
      boolean all = true;
      for (long t : convergedAt) {
        all &= t > 0;
      }
      if (all) {
        converged.countDown();
      }
      long lastActivity = Math.max(events.last, lastJoinNanos);
      if (quietSeen == 0 && HarnessClock.nanos() - lastActivity >= (long) (quietSeconds * 1e9)) {
        quietSeen = lastActivity;
        quiet.countDown();
      }
    }

    ObjectNode report() {
      ObjectNode r = Results.object();
      boolean all = true;
      long latest = 0;
      ArrayNode perNode = r.putArray("perNodeMs");
      ArrayNode counts = r.putArray("lastCounts");
      for (int k = 0; k < convergedAt.length; k++) {
        all &= convergedAt[k] > 0;
        latest = Math.max(latest, convergedAt[k]);
        perNode.add(convergedAt[k] > 0 ? Results.round((convergedAt[k] - lastJoinNanos) / 1e6) : -1);
        counts.add(lastCount[k]);
      }
      r.put("converged", all);
      r.put("afterLastJoinMs", all ? Results.round((latest - lastJoinNanos) / 1e6) : -1);
      r.put("timeoutSeconds", convergeTimeoutMs / 1000.0);
      r.put("polls", polls);
      r.put("pollErrors", pollErrors);
      r.put("pollMs", POLL_MS);
      r.put("quiet", quietSeen > 0);
      r.put("quietSeconds", quietSeconds);
      r.put("lastEventAfterLastJoinMs", events.last > lastJoinNanos ? Results.round((events.last - lastJoinNanos) / 1e6) : 0);
      r.put("presenceEvents", events.presence);
      r.put("otherDeliveries", events.other);
      r.put("presenceEventsIfEachPairOnce", (long) members * (members - 1) / 2);
      return r;
    }
  }

  /** A round of presence requests with a bounded number awaiting their answer. Loop-confined. */
  private final class Requests implements ConnectionListener {

    private record Pending(ClientConnection connection, long sentNanos) {
    }

    final List<ClientConnection> clients;
    final boolean full;
    final int count;
    final int inFlightLimit;
    final CountDownLatch done = new CountDownLatch(1);
    final Histogram micros = new Histogram(3);
    final Map<Integer, Pending> pending = new HashMap<>();
    final Map<String, Integer> problems = new TreeMap<>();
    int next;
    int ok;
    int failed;
    int wrong;
    long firstSent;
    long lastAnswered;
    boolean over;
    String firstAnswer;

    Requests(List<ClientConnection> clients, boolean full, int count, int inFlightLimit) {
      this.clients = clients;
      this.full = full;
      this.count = count;
      this.inFlightLimit = inFlightLimit;
    }

    void start() {
      firstSent = HarnessClock.nanos();
      fill();
    }

    /** Request i from member i (modulo the members): every node in turn, since member i is on node i % nodes. */
    private void fill() {
      while (next < count && pending.size() < inFlightLimit) {
        ClientConnection c = clients.get(next++ % clients.size());
        if (!c.isReady()) {
          settled(false);
          continue;
        }
        int id = JoinRound.nextId();
        pending.put(id, new Pending(c, HarnessClock.nanos()));
        c.send(presenceRequest(id, full));
      }
    }

    @Override
    public void onReply(ClientConnection c, int requestId, boolean answeredOk, ByteBuf frame) {
      Pending p = pending.remove(requestId);
      if (p == null || over) {
        return;
      }
      long now = HarnessClock.nanos();
      lastAnswered = now;
      if (answeredOk) {
        micros.recordValue(Math.max(0, (now - p.sentNanos()) / 1000));
        // Read after the time is taken: scanning a long list costs the loop a millisecond or so.
        String problem = problem(frame);
        if (problem != null) {
          wrong++;
          String key = problems.containsKey(problem) || problems.size() < MAX_PROBLEM_KINDS ? problem : "(other)";
          problems.merge(key, 1, Integer::sum);
        }
        if (firstAnswer == null) {
          firstAnswer = frame.toString(StandardCharsets.UTF_8);
        }
      }
      settled(answeredOk);
      fill();
    }

    private String problem(ByteBuf frame) {
      long answered = Frames.numberAfter(frame, COUNT);
      if (answered != members) {
        return answered < 0 ? "no count" : "count " + answered;
      }
      if (!full) {
        return Frames.indexOf(frame, MEMBERS, frame.readerIndex()) >= 0 ? "members in a countOnly answer" : null;
      }
      int listed = Frames.count(frame, CLIENT);
      return listed == members ? null : listed + " members listed";
    }

    @Override
    public void onClosed(ClientConnection c, boolean afterFailure) {
      if (over) {
        return;
      }
      int lost = 0;
      var it = pending.values().iterator();
      while (it.hasNext()) {
        if (it.next().connection() == c) {
          it.remove();
          lost++;
        }
      }
      for (int i = 0; i < lost; i++) {
        settled(false);
      }
      fill();
    }

    private void settled(boolean answeredOk) {
      if (answeredOk) {
        ok++;
      } else {
        failed++;
      }
      if (ok + failed == count) {
        done.countDown();
      }
    }

    ObjectNode report() {
      ObjectNode r = Results.object();
      long end = lastAnswered > 0 ? lastAnswered : HarnessClock.nanos();
      double seconds = (end - firstSent) / 1e9;
      r.put("kind", full ? "list" : "countOnly");
      r.put("requests", count);
      r.put("inFlight", inFlightLimit);
      r.put("ok", ok);
      r.put("failed", failed);
      r.put("unanswered", count - ok - failed);
      r.put("wrongAnswers", wrong);
      r.set("wrong", Results.JSON.valueToTree(problems));
      r.put("seconds", Results.round(seconds));
      r.put("requestsPerSecond", seconds <= 0 ? 0 : Math.round(ok / seconds));
      r.set("latency", Results.latency(micros));
      return r;
    }
  }

  /** @return the runs as a Markdown table, a row per build */
  static String table(JsonNode rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| build | nodes | members | joins/s | join p50 / p99 (ms) | CPU per join, all nodes (ms) | every node counts all after"
      + " (ms) | countOnly p50 / p99 / max (ms) | full list p50 / p99 / max (ms) | goals: countOnly p99 ≤ 50, list p99 ≤ 500 |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (JsonNode r : rows) {
      sb.append("| ").append(r.path("build").asText()).append(" | ").append(r.path("nodes").asInt()).append(" | ")
        .append(String.format("%,d", r.path("members").asInt())).append(" | ");
      if (r.has("error")) {
        sb.append("failed: ").append(r.path("error").asText().replace('|', '/')).append(" | | | | | | |\n");
        continue;
      }
      JsonNode j = r.path("joins");
      JsonNode c = r.path("convergence");
      JsonNode q = r.path("countOnly").path("latency");
      JsonNode l = r.path("list").path("latency");
      sb.append(String.format("%,d | %.1f / %.1f | %.2f | %s | %.1f / %.1f / %.1f | %.1f / %.1f / %.1f | %s / %s |%n",
        j.path("joinsPerSecond").asLong(), j.path("latency").path("p50").asDouble(), j.path("latency").path("p99").asDouble(),
        j.path("cpuPerJoinMs").asDouble(),
        c.path("converged").asBoolean() ? String.format("%.1f", c.path("afterLastJoinMs").asDouble()) : "not converged",
        q.path("p50").asDouble(), q.path("p99").asDouble(), q.path("max").asDouble(),
        l.path("p50").asDouble(), l.path("p99").asDouble(), l.path("max").asDouble(),
        r.path("goals").path("countOnlyP99").path("status").asText("–"), r.path("goals").path("listP99").path("status").asText("–")));
    }
    return sb.toString();
  }
}
