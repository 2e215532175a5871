package io.roomcast.loadtests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
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
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Mode joinflood, a join/leave flood against one node (the hub options {@code joinRateLimit} and
 * {@code freshRoomRate}): for each gateway configuration of {@code --conf} (a comma list, named
 * by {@code --conf-labels}) and each gateway jar, starts one node from the jar on that
 * configuration (a fresh node for each), connects {@code --flooders} flooders and
 * {@code --clients} normal clients to it, and runs both loads together for
 * {@code --warmup-seconds}, then {@code --seconds} measured.
 *
 * <p>A flooder joins a fresh room of its own ({@code flood:<i>:<n>}, n increasing), then leaves
 * it, as fast as the replies allow: one request in flight, each with an id of its own, the next
 * sent as the reply comes. A join or leave answered {@code rate_limited} is refused, and the
 * flooder goes on after {@code --flood-backoff-ms} (0: at once): after a refused join with its
 * next join (it is in no room to leave), after a refused leave with the same leave again (were it
 * to pile up rooms, its joins would turn {@code forbidden} at the hub's
 * {@code maxRoomsPerConnection}, and measure that instead). Any other error is counted by its code
 * and the flooder moves on to its next join. A flooder closed by the server is counted (with
 * 1008, the close of a sustained excess, or otherwise) and not reconnected.
 *
 * <p>Normal client i has a turn every {@code --client-interval-ms}, the clients' phases spread
 * over the interval: at one turn it joins a fresh room of its own ({@code user:<i>:<n>}), at the
 * next it leaves it. It has one request in flight at most: a turn that comes while the previous
 * request waits is taken as soon as the reply arrives. The normal clients run on an event loop of
 * the generator's own, apart from the flooders', so that their replies never wait in the
 * generator behind the flood's. Join latency runs from the request to its {@code ok} reply
 * (beside it, {@code latencyFromSchedule} runs from the turn, so that a late turn counts its
 * wait). The normal joins measured are those sent in the measured window; after it, the load goes
 * on until each of them is answered, for at most {@code --drain-seconds} (those still waiting
 * then count as unanswered). The flood's figures count the replies that arrive in the window.
 *
 * <p>Measured too: the node's CPU over the window (utime + stime from /proc), in cores and per
 * flood join answered {@code ok} (also net of the node's idle CPU, measured over
 * {@code --idle-seconds} with every connection open before the load starts, as in
 * {@link ChurnMode}), and the generator's. The goal: normal join p99 ≤
 * {@value #NORMAL_JOIN_P99_GOAL_MS} ms with every normal join answered {@code ok}.
 *
 * <p>Flags, beside those of {@link GatewayBuild} ({@code --conf} is a list here, and required):
 * {@code --conf-labels X[,Y]} (default each file's name) {@code --flooders 500 --clients 50
 * --client-interval-ms 200 --flood-backoff-ms 0 --seconds 20 --warmup-seconds 5 --drain-seconds 5
 * --idle-seconds 2 --connect-in-flight 100 --setup-timeout-seconds 300 --start-timeout-seconds 120
 * --sources 16 --settle-cores-per-node 0} (a bound, e.g. 0.1, waits before the idle measurement
 * for the idle node to burn less than that) {@code --settle-timeout-seconds 300}.
 */
final class JoinFloodMode {

  static final double NORMAL_JOIN_P99_GOAL_MS = 100;
  /** The close code of a connection closed for its sustained excess (PROTOCOL.md section 5). */
  static final int POLICY_CLOSE = 1008;
  /** The hub options of the configuration that the results and the table state. */
  private static final String[] LIMITS = {"joinRateLimit", "freshRoomRate", "maxRoomsPerConnection", "rateLimit"};
  private static final int MAX_ERROR_KINDS = 20;
  private static final byte[] RATE_LIMITED = Frames.ascii("\"code\":\"rate_limited\"");
  private static final byte[] CODE = Frames.ascii("\"code\":\"");

  /** A gateway configuration to measure, and its name in the tables. */
  record Conf(String label, Path file) {
  }

  /** How a request was answered. */
  private enum Answer { OK, REFUSED, FAILED }

  private final List<GatewayBuild> builds;
  private final List<Conf> confs;
  private final int flooders;
  private final int clients;
  private final long clientIntervalMs;
  private final long floodBackoffMs;
  private final double seconds;
  private final double warmupSeconds;
  private final double drainSeconds;
  private final double idleSeconds;
  private final int connectInFlight;
  private final long setupTimeoutMs;
  private final long startTimeoutMs;
  private final int sources;
  private final Settle settle;

  JoinFloodMode(Options options, Path out) {
    this.confs = confs(options);
    this.builds = GatewayBuild.fromOptions(options, out, null);
    this.flooders = options.integer("flooders", 500);
    this.clients = options.integer("clients", 50);
    this.clientIntervalMs = options.integer("client-interval-ms", 200);
    this.floodBackoffMs = options.integer("flood-backoff-ms", 0);
    this.seconds = options.decimal("seconds", 20);
    this.warmupSeconds = options.decimal("warmup-seconds", 5);
    this.drainSeconds = options.decimal("drain-seconds", 5);
    this.idleSeconds = options.decimal("idle-seconds", 2);
    this.connectInFlight = options.integer("connect-in-flight", 100);
    this.setupTimeoutMs = (long) (options.decimal("setup-timeout-seconds", 300) * 1000);
    this.startTimeoutMs = (long) (options.decimal("start-timeout-seconds", 120) * 1000);
    this.sources = options.integer("sources", 16);
    this.settle = Settle.fromOptions(options);
    if (flooders < 0 || clients < 1 || clientIntervalMs < 1 || floodBackoffMs < 0 || connectInFlight < 1) {
      throw new IllegalArgumentException("need --flooders >= 0, --clients, --client-interval-ms and --connect-in-flight >= 1,"
        + " and --flood-backoff-ms >= 0");
    }
    if (seconds <= 0 || warmupSeconds < 0 || drainSeconds < 0 || idleSeconds < 0) {
      throw new IllegalArgumentException("need --seconds > 0, and no negative --warmup-seconds, --drain-seconds or --idle-seconds");
    }
    checkOpenFiles();
  }

  /** @return the configurations of {@code --conf}, each with its label */
  private static List<Conf> confs(Options options) {
    List<String> files = options.list("conf", null);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("--conf is required: the gateway configurations to measure in turn, comma-separated"
        + " (e.g. load-tests/conf/bench-joinflood-limited.json,load-tests/conf/bench-joinflood-open.json)");
    }
    List<String> labels = options.list("conf-labels", null);
    if (!labels.isEmpty() && labels.size() != files.size()) {
      throw new IllegalArgumentException("--conf-labels needs one label per configuration (" + files.size() + ")");
    }
    List<Conf> confs = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      Path file = Path.of(files.get(i)).toAbsolutePath();
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("no file " + file);
      }
      String label = labels.isEmpty() ? file.getFileName().toString().replaceFirst("\\.json$", "") : labels.get(i);
      if (!label.matches("[A-Za-z0-9._-]{1,64}")) {
        throw new IllegalArgumentException("a label is 1-64 characters of [A-Za-z0-9._-], not '" + label + "'");
      }
      confs.add(new Conf(label, file));
    }
    if (new HashSet<>(confs.stream().map(Conf::label).toList()).size() != confs.size()) {
      throw new IllegalArgumentException("two configurations have the same label: give --conf-labels");
    }
    return confs;
  }

  /** The generator holds every connection. */
  private void checkOpenFiles() {
    long limit = ProcStats.openFilesLimit(ProcStats.self());
    long needed = flooders + clients + 500L;
    if (limit >= 0 && limit < needed) {
      throw new IllegalArgumentException("the open files limit of the harness is " + limit + ", and " + (flooders + clients)
        + " connections need about " + needed + ": raise it (ulimit -n; bench.sh raises the soft limit to the hard one)");
    }
  }

  ObjectNode run(ObjectNode result) {
    ArrayNode b = result.putArray("builds");
    builds.forEach(build -> b.add(build.toJson()));
    ObjectNode load = result.putObject("load");
    load.put("nodes", 1);
    load.put("flooders", flooders);
    load.put("clients", clients);
    load.put("clientIntervalMs", clientIntervalMs);
    load.put("floodBackoffMs", floodBackoffMs);
    load.put("seconds", seconds);
    load.put("warmupSeconds", warmupSeconds);
    load.put("drainSeconds", drainSeconds);
    load.put("normalJoinP99GoalMs", NORMAL_JOIN_P99_GOAL_MS);
    ArrayNode c = load.putArray("confs");
    for (Conf conf : confs) {
      c.addObject().put("label", conf.label()).put("file", conf.file().toString());
    }
    ArrayNode rows = result.putArray("rows");
    // Two loops: the flood's, and the normal clients' own.
    try (LoadClient floodClient = new LoadClient(new SourceAddresses(sources));
         LoadClient normalClient = new LoadClient(new SourceAddresses(sources))) {
      for (Conf conf : confs) {
        for (GatewayBuild build : builds) {
          rows.add(measure(floodClient, normalClient, build, conf));
        }
      }
    }
    System.out.println();
    System.out.printf("joinflood: one node; %d flooders (a join then a leave of rooms of their own, one request in flight each),"
        + " %d normal clients (a join or a leave every %d ms); %s s measured after %s s of warm-up%n%n", flooders, clients,
      clientIntervalMs, Results.round(seconds), Results.round(warmupSeconds));
    System.out.print(table(rows));
    return result;
  }

  private ObjectNode measure(LoadClient floodClient, LoadClient normalClient, GatewayBuild build, Conf conf) {
    ObjectNode row = Results.object();
    row.put("conf", conf.label());
    row.put("confFile", conf.file().toString());
    row.put("build", build.label());
    row.put("nodes", 1);
    row.set("limits", limits(conf.file()));
    System.out.printf("joinflood %-12s %-12s: starting%n", conf.label(), build.label());
    try (NodeCluster cluster = NodeCluster.start(build.withConf(conf.file()).settings(), "joinflood-" + conf.label(), 1,
      startTimeoutMs)) {
      Target target = cluster.target();
      row.put("pid", target.pids().get(0));
      Fleet floodFleet = new Fleet(floodClient);
      Fleet normalFleet = new Fleet(normalClient);
      try {
        measure(target, floodFleet, normalFleet, row);
      } finally {
        floodFleet.closeAll(30_000);
        normalFleet.closeAll(30_000);
      }
    } catch (IOException | RuntimeException e) {
      row.put("error", String.valueOf(e.getMessage()));
      System.out.printf("joinflood %-12s %-12s: failed: %s%n", conf.label(), build.label(), e.getMessage());
    }
    return row;
  }

  private void measure(Target target, Fleet floodFleet, Fleet normalFleet, ObjectNode row) {
    String label = String.format("%-12s %-12s", row.get("conf").asText(), row.get("build").asText());
    URI url = target.urls().get(0);
    List<ClientConnection> flooderConnections = new ArrayList<>(flooders);
    for (int i = 0; i < flooders; i++) {
      flooderConnections.add(floodFleet.newConnection(url, ServerKind.ROOMCAST));
    }
    List<ClientConnection> normalConnections = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      normalConnections.add(normalFleet.newConnection(url, ServerKind.ROOMCAST));
    }
    Fleet.Batch floodBatch = floodFleet.connect(flooderConnections, connectInFlight, setupTimeoutMs);
    Fleet.Batch normalBatch = normalFleet.connect(normalConnections, connectInFlight, setupTimeoutMs);
    ObjectNode connect = row.putObject("connect");
    connect.put("flooders", floodBatch.ready());
    connect.put("clients", normalBatch.ready());
    connect.put("connectFailures", floodBatch.failed() + normalBatch.failed());
    if (floodBatch.failed() + normalBatch.failed() > 0) {
      throw new IllegalStateException((floodBatch.failed() + normalBatch.failed()) + " of " + (flooders + clients)
        + " connections failed: flooders " + floodFleet.problems() + ", clients " + normalFleet.problems());
    }

    double settled = settle.await(target, 1);
    if (settled >= 0) {
      row.put("settleSeconds", Results.round(settled));
      System.out.printf("joinflood %s: idle below %.2f cores after %.0f s%n", label, settle.coresPerNode(), settled);
    }
    // What the node burns with every connection open and nothing asked, to read the figures against.
    double idleStart = target.cpuSeconds();
    long idleNanos = System.nanoTime();
    Pause.seconds(idleSeconds);
    double idleCores = idleSeconds <= 0 ? 0 : (target.cpuSeconds() - idleStart) / ((System.nanoTime() - idleNanos) / 1e9);

    floodFleet.resetProblems();
    normalFleet.resetProblems();
    Flood flood = new Flood(floodFleet, flooderConnections);
    Normal normal = new Normal(normalFleet, normalConnections);
    floodFleet.onLoop(() -> {
      floodFleet.setObserver(flood);
      flood.start();
      return null;
    });
    normalFleet.onLoop(() -> {
      normalFleet.setObserver(normal);
      normal.start();
      return null;
    });
    Pause.seconds(warmupSeconds);

    double cpuBefore = target.cpuSeconds();
    double generatorBefore = ProcStats.cpuSeconds(ProcStats.self());
    long start = System.nanoTime();
    floodFleet.onLoop(() -> {
      flood.next(flood.measured);
      return null;
    });
    normalFleet.onLoop(() -> {
      normal.next(normal.measured);
      return null;
    });
    Pause.seconds(seconds);
    floodFleet.onLoop(() -> {
      flood.next(flood.after);
      return null;
    });
    normalFleet.onLoop(() -> {
      normal.next(normal.after);
      return null;
    });
    double cpuWindow = (System.nanoTime() - start) / 1e9;
    double cpu = target.cpuSeconds() - cpuBefore;
    double generator = (ProcStats.cpuSeconds(ProcStats.self()) - generatorBefore) / cpuWindow;
    boolean alive = target.alive();

    // The flood goes on while the last normal joins of the window are answered.
    await(normal.drained, (long) (drainSeconds * 1000));
    ObjectNode normalReport = normalFleet.onLoop(() -> {
      ObjectNode r = normal.stop();
      normalFleet.setObserver(new ConnectionListener() { });
      return r;
    });
    ObjectNode floodReport = floodFleet.onLoop(() -> {
      ObjectNode r = flood.stop();
      floodFleet.setObserver(new ConnectionListener() { });
      return r;
    });

    row.set("warmup", phase(normalReport.get("warmup"), floodReport.get("warmup")));
    ObjectNode m = phase(normalReport.get("measured"), floodReport.get("measured"));
    JsonNode f = m.get("flood");
    long floodJoinsOk = f.get("joinsOk").asLong();
    long ok = Math.max(1, floodJoinsOk);
    m.put("nodeCpuSeconds", Results.round(cpu));
    m.put("cpuWindowSeconds", Results.round(cpuWindow));
    m.put("nodeCores", Results.round(cpu / cpuWindow));
    m.put("idleCores", Results.round(idleCores));
    m.put("cpuPerFloodJoinMs", floodJoinsOk == 0 ? -1 : Results.round(cpu * 1000 / ok));
    m.put("cpuPerFloodJoinNetOfIdleMs", floodJoinsOk == 0 ? -1 : Results.round(Math.max(0, cpu - idleCores * cpuWindow) * 1000 / ok));
    m.put("generatorCpu", Results.round(generator));
    m.put("generatorBound", generator > CpuMeter.GENERATOR_LIMIT);
    m.put("nodeAlive", alive);
    row.set("measured", m);
    row.set("flooders", floodReport.get("flooders"));
    row.set("errors", Results.object().<ObjectNode>set("normal", normalReport.get("errors"))
      .set("flood", floodReport.get("errors")));
    // The flood fleet's errors by kind would list each refusal's reply apart (the fleet keys a
    // reply by its whole frame, id included): its counts only; "errors" above has them by code.
    Map<String, Object> floodProblems = new TreeMap<>(floodFleet.problems());
    floodProblems.remove("errors");
    row.set("problems", Results.object().<ObjectNode>set("normal", Results.JSON.valueToTree(normalFleet.problems()))
      .set("flood", Results.JSON.valueToTree(floodProblems)));
    ObjectNode goals = row.putObject("goals");
    goals.set("normalJoinP99", goal(m));

    JsonNode wn = row.get("warmup").get("normal");
    JsonNode wf = row.get("warmup").get("flood");
    System.out.printf("joinflood %s: warm-up %.1f s: flood joins ok %.0f/s, refused %.0f/s; normal join p99 %.1f ms%n", label,
      wf.get("seconds").asDouble(), wf.get("joinsOkPerSecond").asDouble(), wf.get("joinsRefusedPerSecond").asDouble(),
      wn.get("latency").get("p99").asDouble());
    JsonNode n = m.get("normal");
    JsonNode l = n.get("latency");
    JsonNode fl = row.get("flooders");
    System.out.printf("joinflood %s: normal joins p50 %.1f p99 %.1f max %.1f ms, %d ok, %d refused, %d failed or unanswered;"
        + " flood joins ok %.0f/s, refused %.0f/s (leaves ok %.0f/s, refused %.0f/s); flooders closed with 1008: %d of %d"
        + " (%d otherwise); node %.2f cores (idle before %.2f), CPU per flood join %.3f ms (%.3f net of idle);"
        + " generator %.2f cores; goal normal join p99 <= %.0f ms: %s%n", label,
      l.get("p50").asDouble(), l.get("p99").asDouble(), l.get("max").asDouble(), n.get("joinsOk").asLong(),
      n.get("joinsRefused").asLong(), n.get("joinsFailed").asLong() + n.get("joinsUnanswered").asLong(),
      f.get("joinsOkPerSecond").asDouble(), f.get("joinsRefusedPerSecond").asDouble(), f.get("leavesOkPerSecond").asDouble(),
      f.get("leavesRefusedPerSecond").asDouble(), fl.get("closed1008ByWindowEnd").asInt(), flooders,
      fl.get("closedOtherwiseByWindowEnd").asInt(), m.get("nodeCores").asDouble(), m.get("idleCores").asDouble(),
      m.get("cpuPerFloodJoinMs").asDouble(), m.get("cpuPerFloodJoinNetOfIdleMs").asDouble(), m.get("generatorCpu").asDouble(),
      NORMAL_JOIN_P99_GOAL_MS,
      goals.get("normalJoinP99").get("status").asText());
  }

  private static ObjectNode phase(JsonNode normal, JsonNode flood) {
    ObjectNode p = Results.object();
    p.set("normal", normal);
    p.set("flood", flood);
    return p;
  }

  /**
   * The goal on the normal clients' joins of the window: met when p99 is within the bound and
   * every one was answered {@code ok}; not met otherwise, unless every one was answered ok, the
   * p99 over the bound and the generator over its limit (then inconclusive).
   */
  static ObjectNode goal(JsonNode measured) {
    JsonNode n = measured.path("normal");
    ObjectNode g = Results.object();
    double p99 = n.path("latency").path("p99").asDouble(-1);
    boolean answered = n.path("latency").path("count").asLong() > 0;
    boolean allOk = answered && n.path("joinsRefused").asLong() == 0 && n.path("joinsFailed").asLong() == 0
      && n.path("joinsUnanswered").asLong() == 0;
    g.put("boundMs", NORMAL_JOIN_P99_GOAL_MS);
    g.put("p99Ms", p99);
    g.put("everyJoinOk", allOk);
    boolean met = allOk && p99 <= NORMAL_JOIN_P99_GOAL_MS;
    g.put("met", met);
    g.put("status", met ? "met" : allOk && measured.path("generatorBound").asBoolean() ? "inconclusive (generator-bound)" : "not met");
    return g;
  }

  /**
   * @return the hub options of {@link #LIMITS} as the configuration gives them for the hub at
   *     {@code /ws} (the one the harness connects to); null where it leaves the gateway's default
   */
  static ObjectNode limits(Path conf) {
    ObjectNode limits = Results.object();
    try {
      JsonNode hub = null;
      for (JsonNode h : Results.JSON.readTree(conf.toFile()).path("hubs")) {
        if (h.path("path").asText("/ws").equals("/ws")) {
          hub = h;
          break;
        }
      }
      for (String name : LIMITS) {
        limits.set(name, hub != null && hub.has(name) ? hub.get(name) : NullNode.getInstance());
      }
    } catch (IOException | RuntimeException e) {
      limits.put("unreadable", String.valueOf(e.getMessage()));
    }
    return limits;
  }

  private static void await(CountDownLatch latch, long timeoutMs) {
    try {
      latch.await(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Answer answer(boolean ok, ByteBuf frame) {
    return ok ? Answer.OK : Frames.indexOf(frame, RATE_LIMITED, frame.readerIndex()) >= 0 ? Answer.REFUSED : Answer.FAILED;
  }

  private static void countError(Map<String, Integer> errors, String what, ByteBuf frame) {
    String code = frame == null ? "no reply" : Frames.stringAfter(frame, CODE);
    String key = what + " " + (code == null ? "(no code)" : code);
    errors.merge(errors.containsKey(key) || errors.size() < MAX_ERROR_KINDS ? key : "(other)", 1, Integer::sum);
  }

  private static ObjectNode errors(Map<String, Integer> errors) {
    ObjectNode e = Results.object();
    errors.forEach(e::put);
    return e;
  }

  private static double perSecond(long count, double seconds) {
    return seconds <= 0 ? 0 : Results.round(count / seconds);
  }

  /** One connection of the load and where it is in its loop. Confined to its fleet's loop. */
  private static final class Member {
    final ClientConnection connection;
    final int index;
    /** The room it joins next, or is in. */
    int room;
    /** Whether its next (or pending) request is the leave of {@link #room}. */
    boolean leaving;
    int pendingId;
    long sentNanos;
    boolean closed;
    // Normal clients only.
    long firstDueNanos;
    long turn;
    long dueNanos;
    boolean owed;
    ScheduledFuture<?> timer;
    NormalCounts sentIn;

    Member(ClientConnection connection, int index) {
      this.connection = connection;
      this.index = index;
    }
  }

  /** The flood's figures over one phase (warm-up, measured window, after), by reply time. */
  private static final class FloodCounts {
    long startNanos;
    long endNanos;
    long joinsOk;
    long joinsRefused;
    long joinsFailed;
    long leavesOk;
    long leavesRefused;
    long leavesFailed;
    int closed1008;
    int closedOtherwise;
    final Histogram joinMicros = new Histogram(3);

    ObjectNode report() {
      double s = (endNanos - startNanos) / 1e9;
      ObjectNode r = Results.object();
      r.put("seconds", Results.round(s));
      r.put("joinsOk", joinsOk);
      r.put("joinsRefused", joinsRefused);
      r.put("joinsFailed", joinsFailed);
      r.put("leavesOk", leavesOk);
      r.put("leavesRefused", leavesRefused);
      r.put("leavesFailed", leavesFailed);
      r.put("joinsOkPerSecond", perSecond(joinsOk, s));
      r.put("joinsRefusedPerSecond", perSecond(joinsRefused, s));
      r.put("leavesOkPerSecond", perSecond(leavesOk, s));
      r.put("leavesRefusedPerSecond", perSecond(leavesRefused, s));
      r.put("requestsAnsweredPerSecond",
        perSecond(joinsOk + joinsRefused + joinsFailed + leavesOk + leavesRefused + leavesFailed, s));
      r.put("closed1008", closed1008);
      r.put("closedOtherwise", closedOtherwise);
      // Request to ok: what a flood join waits, in the node's queue of fresh rooms among others.
      r.set("joinLatency", Results.latency(joinMicros));
      return r;
    }
  }

  /** The normal clients' figures over one phase, for the requests sent in it. */
  private static final class NormalCounts {
    long startNanos;
    long endNanos;
    long joinsSent;
    long joinsOk;
    long joinsRefused;
    long joinsFailed;
    long joinsUnanswered;
    long leavesSent;
    long leavesOk;
    long leavesRefused;
    long leavesFailed;
    long leavesUnanswered;
    int joinsInFlight;
    int closed;
    final Histogram joinMicros = new Histogram(3);
    final Histogram joinFromScheduleMicros = new Histogram(3);
    final Histogram leaveMicros = new Histogram(3);

    ObjectNode report() {
      ObjectNode r = Results.object();
      r.put("seconds", Results.round((endNanos - startNanos) / 1e9));
      r.put("joinsSent", joinsSent);
      r.put("joinsOk", joinsOk);
      r.put("joinsRefused", joinsRefused);
      r.put("joinsFailed", joinsFailed);
      r.put("joinsUnanswered", joinsUnanswered);
      r.put("leavesSent", leavesSent);
      r.put("leavesOk", leavesOk);
      r.put("leavesRefused", leavesRefused);
      r.put("leavesFailed", leavesFailed);
      r.put("leavesUnanswered", leavesUnanswered);
      r.put("closedByTheServer", closed);
      r.set("latency", Results.latency(joinMicros));
      r.set("latencyFromSchedule", Results.latency(joinFromScheduleMicros));
      r.set("leaveLatency", Results.latency(leaveMicros));
      return r;
    }
  }

  /** The flooders: each joins and leaves rooms of its own as fast as its replies come. Loop-confined. */
  private final class Flood implements ConnectionListener {
    final Fleet fleet;
    final List<Member> members = new ArrayList<>();
    final Map<ClientConnection, Member> byConnection = new IdentityHashMap<>();
    final Map<String, Integer> errors = new TreeMap<>();
    final FloodCounts warmup = new FloodCounts();
    final FloodCounts measured = new FloodCounts();
    final FloodCounts after = new FloodCounts();
    FloodCounts counts = warmup;
    long loadStart;
    long first1008 = -1;
    long last1008 = -1;
    int openAtWindowEnd = -1;
    boolean over;

    Flood(Fleet fleet, List<ClientConnection> connections) {
      this.fleet = fleet;
      for (int i = 0; i < connections.size(); i++) {
        Member m = new Member(connections.get(i), i);
        members.add(m);
        byConnection.put(m.connection, m);
      }
    }

    void start() {
      loadStart = HarnessClock.nanos();
      warmup.startNanos = loadStart;
      for (Member m : members) {
        send(m);
      }
    }

    /** The next phase starts now. */
    void next(FloodCounts phase) {
      long now = HarnessClock.nanos();
      counts.endNanos = now;
      phase.startNanos = now;
      counts = phase;
      if (phase == after) {
        openAtWindowEnd = (int) members.stream().filter(m -> !m.closed).count();
      }
    }

    private void send(Member m) {
      if (over || m.closed || !m.connection.isReady()) {
        return;
      }
      int id = JoinRound.nextId();
      String room = "flood:" + m.index + ":" + m.room;
      m.pendingId = id;
      m.sentNanos = HarnessClock.nanos();
      m.connection.send(m.leaving ? m.connection.dialect().leave(room, id) : m.connection.dialect().join(room, id));
    }

    @Override
    public void onReply(ClientConnection c, int requestId, boolean ok, ByteBuf frame) {
      Member m = byConnection.get(c);
      if (over || m == null || requestId == 0 || m.pendingId != requestId) {
        return;
      }
      m.pendingId = 0;
      Answer a = answer(ok, frame);
      FloodCounts k = counts;
      if (!m.leaving) {
        switch (a) {
          case OK -> {
            k.joinsOk++;
            k.joinMicros.recordValue(Math.max(0, (HarnessClock.nanos() - m.sentNanos) / 1000));
            m.leaving = true;
          }
          case REFUSED -> {
            k.joinsRefused++;
            m.room++;
          }
          case FAILED -> {
            k.joinsFailed++;
            countError(errors, "join", frame);
            m.room++;
          }
        }
      } else {
        switch (a) {
          case OK -> {
            k.leavesOk++;
            m.leaving = false;
            m.room++;
          }
          // Still in the room: the same leave again.
          case REFUSED -> k.leavesRefused++;
          case FAILED -> {
            k.leavesFailed++;
            countError(errors, "leave", frame);
            m.leaving = false;
            m.room++;
          }
        }
      }
      if (a == Answer.OK || floodBackoffMs == 0) {
        send(m);
      } else {
        fleet.loop().schedule(() -> send(m), floodBackoffMs, TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public void onClosed(ClientConnection c, boolean afterFailure) {
      Member m = byConnection.get(c);
      if (m == null || m.closed) {
        return;
      }
      m.closed = true;
      m.pendingId = 0;
      if (over) {
        return;
      }
      if (c.closeCode() == POLICY_CLOSE) {
        long now = HarnessClock.nanos();
        counts.closed1008++;
        first1008 = first1008 < 0 ? now : first1008;
        last1008 = now;
      } else {
        counts.closedOtherwise++;
      }
    }

    ObjectNode stop() {
      over = true;
      counts.endNanos = HarnessClock.nanos();
      ObjectNode r = Results.object();
      r.set("warmup", warmup.report());
      r.set("measured", measured.report());
      ObjectNode f = Results.object();
      f.put("flooders", members.size());
      f.put("closed1008ByWindowEnd", warmup.closed1008 + measured.closed1008);
      f.put("closedOtherwiseByWindowEnd", warmup.closedOtherwise + measured.closedOtherwise);
      f.put("openAtWindowEnd", openAtWindowEnd);
      f.put("closed1008AfterTheWindow", after.closed1008);
      f.put("first1008AfterFloodStartSeconds", first1008 < 0 ? -1 : Results.round((first1008 - loadStart) / 1e9));
      f.put("last1008AfterFloodStartSeconds", last1008 < 0 ? -1 : Results.round((last1008 - loadStart) / 1e9));
      f.put("measuredWindowFromFloodStartSeconds", Results.round((measured.startNanos - loadStart) / 1e9));
      r.set("flooders", f);
      r.set("errors", errors(errors));
      return r;
    }
  }

  /** The normal clients: a join or a leave of a room of their own at each turn. Loop-confined. */
  private final class Normal implements ConnectionListener {
    final Fleet fleet;
    final List<Member> members = new ArrayList<>();
    final Map<ClientConnection, Member> byConnection = new IdentityHashMap<>();
    final Map<String, Integer> errors = new TreeMap<>();
    final NormalCounts warmup = new NormalCounts();
    final NormalCounts measured = new NormalCounts();
    final NormalCounts after = new NormalCounts();
    final CountDownLatch drained = new CountDownLatch(1);
    final long intervalNanos = TimeUnit.MILLISECONDS.toNanos(clientIntervalMs);
    NormalCounts counts = warmup;
    boolean over;

    Normal(Fleet fleet, List<ClientConnection> connections) {
      this.fleet = fleet;
      for (int i = 0; i < connections.size(); i++) {
        Member m = new Member(connections.get(i), i);
        members.add(m);
        byConnection.put(m.connection, m);
      }
    }

    void start() {
      long now = HarnessClock.nanos();
      warmup.startNanos = now;
      for (Member m : members) {
        // Phases spread over the interval.
        m.firstDueNanos = now + m.index * intervalNanos / members.size();
        m.timer = fleet.loop().schedule(() -> turn(m), m.firstDueNanos - now, TimeUnit.NANOSECONDS);
      }
    }

    /** The next phase starts now. */
    void next(NormalCounts phase) {
      long now = HarnessClock.nanos();
      counts.endNanos = now;
      phase.startNanos = now;
      counts = phase;
      checkDrained();
    }

    /** A client's turn: its request, or, while the previous one waits, its request as soon as that is answered. */
    private void turn(Member m) {
      m.timer = null;
      if (over || m.closed) {
        return;
      }
      if (m.pendingId != 0) {
        m.owed = true;
      } else {
        send(m);
      }
    }

    private void send(Member m) {
      if (over || m.closed || !m.connection.isReady()) {
        return;
      }
      long now = HarnessClock.nanos();
      int id = JoinRound.nextId();
      String room = "user:" + m.index + ":" + m.room;
      m.dueNanos = m.firstDueNanos + m.turn * intervalNanos;
      m.turn++;
      m.pendingId = id;
      m.sentNanos = now;
      m.sentIn = counts;
      if (m.leaving) {
        counts.leavesSent++;
        m.connection.send(m.connection.dialect().leave(room, id));
      } else {
        counts.joinsSent++;
        counts.joinsInFlight++;
        m.connection.send(m.connection.dialect().join(room, id));
      }
      long next = m.firstDueNanos + m.turn * intervalNanos;
      m.timer = fleet.loop().schedule(() -> turn(m), Math.max(0, next - now), TimeUnit.NANOSECONDS);
    }

    @Override
    public void onReply(ClientConnection c, int requestId, boolean ok, ByteBuf frame) {
      Member m = byConnection.get(c);
      if (over || m == null || requestId == 0 || m.pendingId != requestId) {
        return;
      }
      long now = HarnessClock.nanos();
      m.pendingId = 0;
      Answer a = answer(ok, frame);
      NormalCounts k = m.sentIn;
      if (!m.leaving) {
        k.joinsInFlight--;
        switch (a) {
          case OK -> {
            k.joinsOk++;
            k.joinMicros.recordValue(Math.max(0, (now - m.sentNanos) / 1000));
            k.joinFromScheduleMicros.recordValue(Math.max(0, (now - m.dueNanos) / 1000));
            m.leaving = true;
          }
          case REFUSED -> {
            k.joinsRefused++;
            m.room++;
          }
          case FAILED -> {
            k.joinsFailed++;
            countError(errors, "join", frame);
            m.room++;
          }
        }
        checkDrained();
      } else {
        switch (a) {
          case OK -> {
            k.leavesOk++;
            k.leaveMicros.recordValue(Math.max(0, (now - m.sentNanos) / 1000));
            m.leaving = false;
            m.room++;
          }
          // Still in the room: the same leave at the next turn.
          case REFUSED -> k.leavesRefused++;
          case FAILED -> {
            k.leavesFailed++;
            countError(errors, "leave", frame);
            m.leaving = false;
            m.room++;
          }
        }
      }
      if (m.owed) {
        m.owed = false;
        send(m);
      }
    }

    @Override
    public void onClosed(ClientConnection c, boolean afterFailure) {
      Member m = byConnection.get(c);
      if (m == null || m.closed) {
        return;
      }
      m.closed = true;
      if (m.timer != null) {
        m.timer.cancel(false);
        m.timer = null;
      }
      if (over) {
        return;
      }
      unanswered(m);
      counts.closed++;
      checkDrained();
    }

    /** A request that will get no reply any more. */
    private void unanswered(Member m) {
      if (m.pendingId == 0) {
        return;
      }
      m.pendingId = 0;
      if (m.leaving) {
        m.sentIn.leavesUnanswered++;
      } else {
        m.sentIn.joinsInFlight--;
        m.sentIn.joinsUnanswered++;
      }
    }

    /** After the window, once every join sent in it is answered, the measurement may end. */
    private void checkDrained() {
      if (counts == after && measured.joinsInFlight == 0) {
        drained.countDown();
      }
    }

    ObjectNode stop() {
      over = true;
      counts.endNanos = HarnessClock.nanos();
      for (Member m : members) {
        if (m.timer != null) {
          m.timer.cancel(false);
          m.timer = null;
        }
        unanswered(m);
      }
      ObjectNode r = Results.object();
      r.set("warmup", warmup.report().put("clients", members.size()).put("intervalMs", clientIntervalMs));
      r.set("measured", measured.report().put("clients", members.size()).put("intervalMs", clientIntervalMs));
      r.set("errors", errors(errors));
      return r;
    }
  }

  /** @return the runs as a Markdown table, a row per configuration and build */
  static String table(JsonNode rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| configuration | build | joinRateLimit / freshRoomRate | normal join p50 / p99 / max (ms) | normal joins ok / refused"
      + " | flood joins ok/s | flood joins refused/s | flooders closed (1008) | node CPU (cores) | CPU per flood join (ms)"
      + " | node idle before (cores) | normal join p99 ≤ 100 ms |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (JsonNode r : rows) {
      JsonNode limits = r.path("limits");
      sb.append("| ").append(r.path("conf").asText()).append(" | ").append(r.path("build").asText()).append(" | ")
        .append(limit(limits.path("joinRateLimit"))).append(" / ").append(limit(limits.path("freshRoomRate"))).append(" | ");
      JsonNode m = r.path("measured");
      if (m.isMissingNode()) {
        sb.append("failed: ").append(r.path("error").asText().replace('|', '/')).append(" | | | | | | | | |\n");
        continue;
      }
      JsonNode n = m.path("normal");
      JsonNode l = n.path("latency");
      JsonNode f = m.path("flood");
      sb.append(String.format("%.1f / %.1f / %.1f | %,d / %d | %,.0f | %,.0f | %d of %d | %.2f | %s | %.2f | %s |%n",
        l.path("p50").asDouble(), l.path("p99").asDouble(), l.path("max").asDouble(), n.path("joinsOk").asLong(),
        n.path("joinsRefused").asLong(), f.path("joinsOkPerSecond").asDouble(), f.path("joinsRefusedPerSecond").asDouble(),
        r.path("flooders").path("closed1008ByWindowEnd").asInt(), r.path("flooders").path("flooders").asInt(),
        m.path("nodeCores").asDouble(),
        m.path("cpuPerFloodJoinMs").asDouble() < 0 ? "–" : String.format("%.3f", m.path("cpuPerFloodJoinMs").asDouble()),
        m.path("idleCores").asDouble(), r.path("goals").path("normalJoinP99").path("status").asText("–")));
    }
    return sb.toString();
  }

  private static String limit(JsonNode value) {
    return value.isMissingNode() || value.isNull() ? "default" : value.asText();
  }
}
