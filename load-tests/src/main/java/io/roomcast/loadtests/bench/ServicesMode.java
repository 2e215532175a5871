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

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mode services, request → service → reply over the event bus (docs/SERVICES.md): for each
 * gateway jar, starts {@code --nodes} (2) clustered nodes from the jar, then the example order
 * service ({@code examples/order-service}) as a process of its own joined to the same cluster
 * (the cluster's own Hazelcast file, {@link NodeCluster#clusterConfig()}), pinned to the same
 * {@code --cpus} as the nodes. Without a {@code --conf} the mode writes the nodes' own: a hub
 * {@code default} at {@code /ws} that forwards {@code order.*} to {@code app.orders} and
 * {@value #HTTP_EVENT} to {@link HttpBackend} (a URL rule), both with a 3 s timeout; every hub
 * has the {@code hub.on} handler {@code members} (DemoHandlers). A {@code --conf} of the user's
 * must forward {@code order.*} to {@code app.orders}, and the {@code http} phase is left out.
 * The mode waits for the service's ready line and then for a first {@code order.quote} to be
 * answered {@code ok} (the nodes learn of its consumer through the cluster) before anything is
 * measured.
 *
 * <p>{@code --clients} (50) clients connect to node 1, each joins a small room
 * ({@code services:<i / room-size>}, {@code --room-size} 5), and then the phases run one after
 * the other, each at a fixed total rate of {@code --rate} (1,000) requests per second spread
 * evenly over the clients, open-loop: each client sends on its schedule whether or not its
 * earlier requests were answered (request k of the fleet is due at k / rate), for
 * {@code --warmup-seconds} (10), then {@code --seconds} (20) measured:
 * <ol>
 *   <li>{@code service}: {@code {"event":"order.quote","id":N,"data":{"item":"tea"}}}, which the
 *   hub forwards as an event-bus request to {@code app.orders}, where the service answers the
 *   item's price with no side effect (an {@code order.create} would also publish to a room with
 *   history through the api: the round trip is what is measured here). The service process is a
 *   Hazelcast member but not a gateway node, so the client (on node 1) and the service are always
 *   in different processes, and the request crosses the cluster both ways; the consumer is
 *   whichever the cluster picks (here the one instance).</li>
 *   <li>{@code hubOn}: {@code {"event":"members","id":N,"room":R}} in the client's own room,
 *   answered by the {@code hub.on} handler in the gateway's own process, which asks every node
 *   for the room's members (a survey: one event-bus request to each other node).</li>
 *   <li>{@code http}: {@code {"event":"quote.http","id":N,"data":{"item":"tea"}}}, POSTed by the
 *   node to the HTTP backend, a Vert.x server on one event loop of its own in the harness's JVM,
 *   which answers the item's price; the backend's own handling time and CPU per request are
 *   reported apart ({@code backend}). Goal (the HTTP backends issue): p99 ≤
 *   {@value #HTTP_P99_GOAL_MS} ms at 1,000 requests/s.</li>
 * </ol>
 * Latency runs from a request's send to its reply (HdrHistogram, 3 digits); beside it,
 * {@code latencyFromSchedule} from its planned time. Counted per phase, for the requests sent in
 * the measured window: replies ok, failed (by error code), wrong (ok, without the expected data),
 * unanswered (no reply by {@code --drain-seconds}, 5, after the window, while no more are sent),
 * sends more than {@value #LATE_SEND_MS} ms behind schedule ({@code sentLate}), and replies ok
 * later than the goal's bound ({@code lateReplies}, and {@code lateReplyBursts}: in how many tenths
 * of a second they were sent, the most in one tenth, and in the five fullest, which tells a few
 * stalls from a tail spread over the window); the rate sent and answered ok. CPU over the
 * window: the nodes' (per node and summed) and the service process's (utime + stime from /proc),
 * per request answered ok, also net of their idle CPU measured over {@code --idle-seconds} just
 * before the phase; and the generator's. Goal (the services issue): {@code order.quote} p99 ≤
 * {@value #P99_GOAL_MS} ms at 1,000 requests/s with every request answered ok; {@code members}
 * is the reference beside it.
 *
 * <p>Flags, beside those of {@link GatewayBuild} ({@code --conf} is optional here: a file must
 * forward {@code order.*} to {@code app.orders} as the default hub does): {@code --service-jar
 * examples/order-service/target/order-service.jar --service-java-opts S} (default the nodes')
 * {@code --service-args A} (more of the service's own options, e.g. {@code "--event-loops 4"})
 * {@code --nodes 2 --clients 50 --room-size 5 --rate 1000 --seconds 20 --warmup-seconds 10
 * --drain-seconds 5 --idle-seconds 2 --connect-in-flight 50 --setup-timeout-seconds 120
 * --start-timeout-seconds 120 --sources 16 --settle-cores-per-node 0} (a bound, e.g. 0.08, waits
 * before each phase until each node and the service process burn less than that)
 * {@code --settle-timeout-seconds 300}.
 */
final class ServicesMode {

  static final double P99_GOAL_MS = 5;
  /** The HTTP proxy's goal (the backends issue): p99 within this at {@link #GOAL_RATE} to a local backend. */
  static final double HTTP_P99_GOAL_MS = 10;
  /** The event the mode's configuration forwards to {@link HttpBackend}. */
  static final String HTTP_EVENT = "quote.http";
  /** The rate the goal is stated at. */
  static final double GOAL_RATE = 1000;
  static final String DEFAULT_SERVICE_JAR = "examples/order-service/target/order-service.jar";
  /** A send later than this behind its schedule counts as late: the generator fell behind. */
  static final long LATE_SEND_MS = 1;
  /** The hub's {@code rateLimit} when its configuration gives none (HubOptions.DEFAULT_RATE_LIMIT). */
  static final int DEFAULT_HUB_RATE_LIMIT = 200;
  /** How long a probe waits for its answer: beyond the default hub's 3 s service timeout. */
  private static final long PROBE_TIMEOUT_MS = 5_000;
  private static final int MAX_ERROR_KINDS = 20;
  private static final long TENTH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final byte[] CODE = Frames.ascii("\"code\":\"");
  private static final byte[] ITEM = Frames.ascii("\"item\":\"tea\"");
  private static final byte[] MEMBERS = Frames.ascii("\"members\":[");

  /** The kinds of request measured side by side, each with the p99 bound of its goal. */
  enum Phase {
    SERVICE("service", "order.quote", "order service (own process, via app.orders)", P99_GOAL_MS),
    HUB_ON("hubOn", "members", "hub.on handler (gateway process)", P99_GOAL_MS),
    HTTP("http", HTTP_EVENT, "HTTP backend (own event loop, harness process)", HTTP_P99_GOAL_MS);

    final String key;
    final String event;
    final String handledBy;
    final double boundMs;

    Phase(String key, String event, String handledBy, double boundMs) {
      this.key = key;
      this.event = event;
      this.handledBy = handledBy;
      this.boundMs = boundMs;
    }

    String request(int id, String room) {
      return this == HUB_ON
        ? "{\"event\":\"members\",\"id\":" + id + ",\"room\":\"" + room + "\"}"
        : "{\"event\":\"" + event + "\",\"id\":" + id + ",\"data\":{\"item\":\"tea\"}}";
    }

    /** @return whether an ok reply says what it should: the item asked about, or a member list */
    boolean right(ByteBuf frame) {
      return Frames.indexOf(frame, this == HUB_ON ? MEMBERS : ITEM, frame.readerIndex()) >= 0;
    }
  }

  private final List<GatewayBuild> builds;
  private final Path serviceJar;
  private final List<String> serviceJavaOptions;
  private final List<String> serviceArgs;
  private final int nodes;
  private final int clients;
  private final int roomSize;
  private final double rate;
  private final double seconds;
  private final double warmupSeconds;
  private final double drainSeconds;
  private final double idleSeconds;
  private final int connectInFlight;
  private final long setupTimeoutMs;
  private final long startTimeoutMs;
  private final int sources;
  private final Settle settle;

  ServicesMode(Options options, Path out) {
    this.builds = GatewayBuild.fromOptions(options, out);
    this.serviceJar = Path.of(options.string("service-jar", DEFAULT_SERVICE_JAR)).toAbsolutePath();
    String serviceOpts = options.string("service-java-opts", null);
    this.serviceJavaOptions = serviceOpts == null ? null : words(serviceOpts);
    this.serviceArgs = words(options.string("service-args", ""));
    this.nodes = options.integer("nodes", 2);
    this.clients = options.integer("clients", 50);
    this.roomSize = options.integer("room-size", 5);
    this.rate = options.decimal("rate", 1000);
    this.seconds = options.decimal("seconds", 20);
    this.warmupSeconds = options.decimal("warmup-seconds", 10);
    this.drainSeconds = options.decimal("drain-seconds", 5);
    this.idleSeconds = options.decimal("idle-seconds", 2);
    this.connectInFlight = options.integer("connect-in-flight", 50);
    this.setupTimeoutMs = (long) (options.decimal("setup-timeout-seconds", 120) * 1000);
    this.startTimeoutMs = (long) (options.decimal("start-timeout-seconds", 120) * 1000);
    this.sources = options.integer("sources", 16);
    this.settle = Settle.fromOptions(options);
    if (!Files.isRegularFile(serviceJar)) {
      throw new IllegalArgumentException("no order service jar at " + serviceJar + ": build it (./mvnw -B -q package -DskipTests, or"
        + " -pl examples/order-service -am) or give --service-jar");
    }
    // The service process is a member of the cluster too: it takes one of its member ports.
    if (nodes < 1 || nodes >= NodeCluster.PORTS) {
      throw new IllegalArgumentException("--nodes must be 1 to " + (NodeCluster.PORTS - 1) + " (the service takes a member port)");
    }
    if (clients < 1 || roomSize < 1 || connectInFlight < 1 || rate <= 0) {
      throw new IllegalArgumentException("need --clients, --room-size and --connect-in-flight >= 1, and --rate > 0");
    }
    if (seconds <= 0 || warmupSeconds < 0 || drainSeconds < 0 || idleSeconds < 0) {
      throw new IllegalArgumentException("need --seconds > 0, and no negative --warmup-seconds, --drain-seconds or --idle-seconds");
    }
    if (serviceJavaOptions != null && serviceJavaOptions.isEmpty()) {
      throw new IllegalArgumentException("--service-java-opts is empty: leave it out for the nodes' options");
    }
    checkRateLimit();
  }

  private static List<String> words(String text) {
    return Arrays.stream(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  /** Each client sends rate / clients requests a second: the hub's rateLimit must let them through. */
  private void checkRateLimit() {
    Path conf = builds.get(0).settings().conf();
    int limit = DEFAULT_HUB_RATE_LIMIT;
    if (conf != null) {
      JsonNode given = JoinFloodMode.limits(conf).path("rateLimit");
      limit = given.isNumber() ? given.asInt() : DEFAULT_HUB_RATE_LIMIT;
    }
    double perClient = rate / clients;
    if (limit > 0 && perClient > limit) {
      throw new IllegalArgumentException(String.format("--rate %s over --clients %d is %.0f requests/s per client, over the hub's"
        + " rateLimit of %d/s: give more --clients (or a --conf with a higher rateLimit that forwards order.* to app.orders)",
        Results.round(rate), clients, perClient, limit));
    }
  }

  ObjectNode run(ObjectNode result) {
    ArrayNode b = result.putArray("builds");
    builds.forEach(build -> b.add(build.toJson()));
    ObjectNode load = result.putObject("load");
    load.put("nodes", nodes);
    load.put("clients", clients);
    load.put("clientsOnNode", 1);
    load.put("roomSize", roomSize);
    load.put("rate", rate);
    load.put("ratePerClient", Results.round(rate / clients));
    load.put("seconds", seconds);
    load.put("warmupSeconds", warmupSeconds);
    load.put("drainSeconds", drainSeconds);
    load.put("serviceJar", serviceJar.toString());
    load.put("serviceJavaOptions", serviceJavaOptions == null ? "the nodes'" : String.join(" ", serviceJavaOptions));
    load.put("serviceArgs", String.join(" ", serviceArgs));
    load.put("p99GoalMs", P99_GOAL_MS);
    load.put("httpP99GoalMs", HTTP_P99_GOAL_MS);
    load.put("goalRate", GOAL_RATE);
    load.put("lateSendMs", LATE_SEND_MS);
    ArrayNode rows = result.putArray("rows");
    // With a --conf of the user's, the nodes know no HTTP backend: the http phase is left out.
    try (HttpBackend backend = builds.get(0).settings().conf() == null ? new HttpBackend() : null;
         LoadClient client = new LoadClient(new SourceAddresses(sources))) {
      List<Phase> phases = backend == null ? List.of(Phase.SERVICE, Phase.HUB_ON) : List.of(Phase.values());
      ArrayNode p = load.putArray("phases");
      phases.forEach(ph -> p.addObject().put("key", ph.key).put("event", ph.event).put("handledBy", ph.handledBy)
        .put("boundMs", ph.boundMs));
      if (backend != null) {
        load.put("httpBackend", backend.url());
      }
      for (GatewayBuild build : builds) {
        rows.add(measure(client, backend == null ? build : build.withConf(confWithBackend(build, backend)), backend, phases));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println();
    System.out.printf("services: %d node(s) and the order service in a process of its own (a cluster member, not a node: client"
        + " and service always in different processes); %d clients on node 1, %s requests/s open-loop per phase, %s s measured"
        + " after %s s of warm-up; latency request to reply in ms%n%n", nodes, clients, Results.round(rate), Results.round(seconds),
      Results.round(warmupSeconds));
    System.out.print(table(rows));
    return result;
  }

  /**
   * The node's default hub as far as the phases need it ({@code order.*} to {@code app.orders},
   * 3 s, the api for the service), plus {@value #HTTP_EVENT} POSTed to the backend, 3 s.
   *
   * @return the configuration file, beside the build's logs
   */
  private static Path confWithBackend(GatewayBuild build, HttpBackend backend) throws IOException {
    ObjectNode hub = Results.object();
    hub.put("name", "default").put("path", "/ws");
    ArrayNode services = hub.putArray("services");
    services.addObject().put("events", "order.*").put("address", "app.orders").put("timeout", 3000);
    services.addObject().put("events", HTTP_EVENT).put("url", backend.url()).put("timeout", 3000);
    hub.putArray("api").add("publish").add("sendToUser");
    ObjectNode conf = Results.object();
    conf.putArray("hubs").add(hub);
    Path dir = build.settings().logs() == null ? Path.of("load-tests", "target", "bench") : build.settings().logs();
    Files.createDirectories(dir);
    Path file = dir.resolve("services-" + build.label() + "-conf.json");
    Files.writeString(file, Results.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(conf));
    return file;
  }

  private ObjectNode measure(LoadClient client, GatewayBuild build, HttpBackend backend, List<Phase> phases) {
    ObjectNode row = Results.object();
    row.put("build", build.label());
    row.put("nodes", nodes);
    System.out.printf("services %-12s %d node(s): starting%n", build.label(), nodes);
    try (NodeCluster cluster = NodeCluster.start(build.settings(), "services", nodes, startTimeoutMs);
         ServiceProcess service = ServiceProcess.start(build.settings(), serviceJar,
           serviceJavaOptions == null ? build.settings().javaOptions() : serviceJavaOptions, serviceArgs, cluster.clusterConfig(),
           cluster.dir(), "orders-" + build.label(), startTimeoutMs)) {
      Target target = cluster.target();
      ArrayNode pids = row.putArray("pids");
      target.pids().forEach(pids::add);
      row.put("servicePid", service.pid());
      row.put("serviceLog", service.log.toString());
      row.put("clusterConfig", cluster.clusterConfig().toString());
      System.out.printf("services %-12s %d node(s): order service ready (pid %d) %.1f s after its start%n", build.label(), nodes,
        service.pid(), service.readySeconds);
      Fleet fleet = new Fleet(client);
      try {
        measure(target, service, fleet, row, backend, phases);
      } finally {
        fleet.closeAll(30_000);
      }
    } catch (IOException | RuntimeException e) {
      row.put("error", String.valueOf(e.getMessage()));
      System.out.printf("services %-12s %d node(s): failed: %s%n", build.label(), nodes, e.getMessage());
    }
    return row;
  }

  private void measure(Target target, ServiceProcess service, Fleet fleet, ObjectNode row, HttpBackend backend, List<Phase> phases) {
    String label = row.get("build").asText();
    // Every client on node 1: the service is reached over the cluster whichever node it is.
    List<ClientConnection> connections = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      connections.add(fleet.newConnection(target.urls().get(0), ServerKind.ROOMCAST));
    }
    Fleet.Batch batch = fleet.connect(connections, connectInFlight, setupTimeoutMs);
    row.put("connectFailures", batch.failed());
    if (batch.failed() > 0) {
      throw new IllegalStateException(batch.failed() + " of " + clients + " connections failed: " + fleet.problems());
    }
    int joinFailures = fleet.joinAll(c -> room(c.index()), connectInFlight, setupTimeoutMs);
    if (joinFailures > 0) {
      throw new IllegalStateException(joinFailures + " of " + clients + " joins failed: " + fleet.problems());
    }

    // The nodes learn of the service's consumer through the cluster: a first order, answered ok.
    ObjectNode startup = row.putObject("startup");
    startup.put("serviceReadySeconds", Results.round(service.readySeconds));
    ClientConnection probe = connections.get(0);
    long first = System.nanoTime();
    long deadline = first + TimeUnit.MILLISECONDS.toNanos(startTimeoutMs);
    int attempts = 0;
    Answer order;
    do {
      if (attempts > 0) {
        Pause.seconds(0.2);
      }
      attempts++;
      order = ask(fleet, probe, id -> Phase.SERVICE.request(id, null));
      if (!service.alive()) {
        throw new IllegalStateException("the order service exited (" + service.process.exitValue() + "); see " + service.log);
      }
    } while (!order.ok() && System.nanoTime() < deadline);
    startup.put("orderProbes", attempts);
    startup.put("firstOrderOkAfterServiceReadyMs", Results.round((System.nanoTime() - service.readyNanos) / 1e6));
    startup.set("firstOrderAnswer", json(order.frame()));
    if (!order.ok()) {
      throw new IllegalStateException("no order.quote answered ok within " + startTimeoutMs / 1000 + " s of the service's ready line"
        + " (last answer: " + order.frame() + "); see " + service.log);
    }
    Answer members = ask(fleet, probe, id -> Phase.HUB_ON.request(id, room(0)));
    startup.set("firstMembersAnswer", json(members.frame()));
    if (!members.ok()) {
      throw new IllegalStateException("the members request failed: " + members.frame());
    }
    if (backend != null) {
      Answer quote = ask(fleet, probe, id -> Phase.HTTP.request(id, null));
      startup.set("firstHttpAnswer", json(quote.frame()));
      if (!quote.ok()) {
        throw new IllegalStateException("the " + HTTP_EVENT + " request to the HTTP backend failed: " + quote.frame());
      }
    }
    System.out.printf("services %-12s %d node(s): first order.quote ok after %d attempt(s), %.0f ms after the service's ready line%n",
      label, nodes, attempts, startup.get("firstOrderOkAfterServiceReadyMs").asDouble());

    for (Phase phase : phases) {
      ObjectNode p = phase(target, service, fleet, connections, phase, label, phase == Phase.HTTP ? backend : null);
      row.set(phase.key, p);
      summary(label, phase, p);
    }
    ObjectNode goals = row.putObject("goals");
    ObjectNode g = goal(row.get(Phase.SERVICE.key), rate, P99_GOAL_MS);
    goals.set("serviceP99", g);
    if (row.has(Phase.HTTP.key)) {
      ObjectNode h = goal(row.get(Phase.HTTP.key), rate, HTTP_P99_GOAL_MS);
      goals.set("httpP99", h);
      System.out.printf("services %-12s %d node(s): goal %s -> HTTP backend -> reply p99 <= %.0f ms at %.0f requests/s: %s (p99 %.2f"
          + " ms; the backend's own handling p99 %.3f ms)%n", label, nodes, HTTP_EVENT, HTTP_P99_GOAL_MS, GOAL_RATE,
        h.get("status").asText(), h.get("p99Ms").asDouble(),
        row.get(Phase.HTTP.key).path("backend").path("handling").path("p99").asDouble());
    }
    row.put("nodesAlive", target.alive());
    row.put("serviceAlive", service.alive());
    System.out.printf("services %-12s %d node(s): goal order.quote -> service -> reply p99 <= %.0f ms at %.0f requests/s: %s"
        + " (p99 %.2f ms; members -> hub.on p99 %.2f ms beside it)%n", label, nodes, P99_GOAL_MS, GOAL_RATE, g.get("status").asText(),
      g.get("p99Ms").asDouble(), row.get(Phase.HUB_ON.key).path("latency").path("p99").asDouble());
  }

  private String room(int client) {
    return "services:" + client / roomSize;
  }

  /** One phase: settle, idle CPU, warm-up, the measured window, the drain. */
  private ObjectNode phase(Target target, ServiceProcess service, Fleet fleet, List<ClientConnection> connections, Phase phase,
      String label, HttpBackend backend) {
    List<Long> pids = new ArrayList<>(target.pids());
    pids.add(service.pid());
    Target all = new Target(target.kind(), target.urls(), pids);
    double settled = settle.await(all, pids.size());
    if (settled >= 0) {
      System.out.printf("services %-12s %d node(s): idle below %.2f cores per process (nodes and service) before %s after %.0f s%n",
        label, nodes, settle.coresPerNode(), phase.key, settled);
    }
    // What the nodes and the service burn doing nothing, to read the figures against.
    double nodesIdleStart = target.cpuSeconds();
    double serviceIdleStart = ProcStats.cpuSeconds(service.pid());
    long idleNanos = System.nanoTime();
    Pause.seconds(idleSeconds);
    double idleWindow = (System.nanoTime() - idleNanos) / 1e9;
    double nodesIdleCores = idleSeconds <= 0 ? 0 : (target.cpuSeconds() - nodesIdleStart) / idleWindow;
    double serviceIdleCores = idleSeconds <= 0 ? 0 : (ProcStats.cpuSeconds(service.pid()) - serviceIdleStart) / idleWindow;

    fleet.resetProblems();
    Load load = new Load(connections, phase);
    fleet.onLoop(() -> {
      fleet.setObserver(load);
      load.start(fleet);
      return null;
    });
    Pause.seconds(warmupSeconds);

    double[] before = perNode(target);
    double serviceBefore = ProcStats.cpuSeconds(service.pid());
    double generatorBefore = ProcStats.cpuSeconds(ProcStats.self());
    long start = System.nanoTime();
    if (backend != null) {
      backend.reset();
    }
    fleet.onLoop(() -> {
      load.next(load.measured);
      return null;
    });
    Pause.seconds(seconds);
    fleet.onLoop(() -> {
      load.stopSending();
      return null;
    });
    double window = (System.nanoTime() - start) / 1e9;
    double generator = (ProcStats.cpuSeconds(ProcStats.self()) - generatorBefore) / window;
    double[] after = perNode(target);
    double serviceCpu = ProcStats.cpuSeconds(service.pid()) - serviceBefore;

    // No more requests: those of the window still waiting get until the drain's end.
    await(load.drained, (long) (drainSeconds * 1000));
    ObjectNode r = fleet.onLoop(() -> {
      ObjectNode report = load.stop();
      fleet.setObserver(new ConnectionListener() { });
      return report;
    });
    r.put("event", phase.event);
    r.put("handledBy", phase.handledBy);
    if (backend != null) {
      r.set("backend", backend.measure());
    }
    r.put("rate", rate);
    r.put("clients", clients);
    if (settled >= 0) {
      r.put("settleSeconds", Results.round(settled));
    }
    long ok = Math.max(1, r.get("ok").asLong());
    double nodesCpu = 0;
    ArrayNode perNode = r.putArray("nodeCpuSeconds");
    for (int i = 0; i < before.length; i++) {
      nodesCpu += after[i] - before[i];
      perNode.add(Results.round(after[i] - before[i]));
    }
    r.put("cpuWindowSeconds", Results.round(window));
    r.put("nodesCpuSeconds", Results.round(nodesCpu));
    r.put("nodesCores", Results.round(nodesCpu / window));
    r.put("nodesIdleCores", Results.round(nodesIdleCores));
    r.put("cpuPerRequestNodesMs", Results.round(nodesCpu * 1000 / ok));
    r.put("cpuPerRequestNodesNetOfIdleMs", Results.round(Math.max(0, nodesCpu - nodesIdleCores * window) * 1000 / ok));
    r.put("serviceCpuSeconds", Results.round(serviceCpu));
    r.put("serviceCores", Results.round(serviceCpu / window));
    r.put("serviceIdleCores", Results.round(serviceIdleCores));
    r.put("cpuPerRequestServiceMs", Results.round(serviceCpu * 1000 / ok));
    r.put("cpuPerRequestServiceNetOfIdleMs", Results.round(Math.max(0, serviceCpu - serviceIdleCores * window) * 1000 / ok));
    r.put("generatorCpu", Results.round(generator));
    r.put("generatorBound", generator > CpuMeter.GENERATOR_LIMIT);
    r.set("problems", Results.JSON.valueToTree(fleet.problems()));
    return r;
  }

  private void summary(String label, Phase phase, ObjectNode p) {
    JsonNode l = p.get("latency");
    System.out.printf("services %-12s %d node(s): %s -> %s: %d requests at %s/s asked (%.0f/s sent, %d late by > %d ms), %d ok"
        + " (%.0f/s), failed %d, wrong %d, unanswered %d; p50 %.2f p99 %.2f max %.2f ms (%d ok replies over %.0f ms); CPU per"
        + " request %.3f ms over the nodes (%.3f net of idle), %.3f ms in the service process (%.3f net of idle); generator"
        + " %.2f cores%n", label, nodes, phase.event, phase.handledBy, p.get("sent").asLong(), Results.round(rate),
      p.get("sentPerSecond").asDouble(), p.get("sentLate").asLong(), LATE_SEND_MS, p.get("ok").asLong(), p.get("okPerSecond").asDouble(),
      p.get("failed").asLong(), p.get("wrongAnswers").asLong(), p.get("unanswered").asLong() + p.get("notSent").asLong(),
      l.get("p50").asDouble(), l.get("p99").asDouble(), l.get("max").asDouble(), p.get("lateReplies").asLong(), phase.boundMs,
      p.get("cpuPerRequestNodesMs").asDouble(), p.get("cpuPerRequestNodesNetOfIdleMs").asDouble(),
      p.get("cpuPerRequestServiceMs").asDouble(), p.get("cpuPerRequestServiceNetOfIdleMs").asDouble(),
      p.get("generatorCpu").asDouble());
  }

  /**
   * The goal on a phase's p99: met when p99 is within the bound and every request of the window
   * was answered ok (and right); not met otherwise, unless only the p99 failed with the generator
   * over its limit (then inconclusive). A rate below the goal's is said in the status.
   */
  static ObjectNode goal(JsonNode phase, double rate, double boundMs) {
    ObjectNode g = Results.object();
    double p99 = phase.path("latency").path("p99").asDouble(-1);
    boolean answered = phase.path("latency").path("count").asLong() > 0;
    boolean allOk = answered && phase.path("failed").asLong() == 0 && phase.path("wrongAnswers").asLong() == 0
      && phase.path("unanswered").asLong() == 0 && phase.path("notSent").asLong() == 0;
    g.put("boundMs", boundMs);
    g.put("p99Ms", p99);
    g.put("rate", rate);
    g.put("goalRate", GOAL_RATE);
    g.put("everyRequestOk", allOk);
    boolean met = allOk && p99 <= boundMs;
    g.put("met", met);
    String status = met ? "met" : allOk && phase.path("generatorBound").asBoolean() ? "inconclusive (generator-bound)" : "not met";
    if (rate < GOAL_RATE) {
      status += String.format(" at %s/s (the goal is at %,.0f/s)", Results.round(rate), GOAL_RATE);
    }
    g.put("status", status);
    return g;
  }

  /** A probe's answer: whether it was ok, and the reply's text (or why there was none). */
  private record Answer(boolean ok, String frame) {
  }

  /** Sends one request on a connection and waits for its reply (at most {@value #PROBE_TIMEOUT_MS} ms). */
  private static Answer ask(Fleet fleet, ClientConnection c, IntFunction<String> request) {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    int id = JoinRound.nextId();
    fleet.onLoop(() -> {
      fleet.setObserver(new ConnectionListener() {
        @Override
        public void onReply(ClientConnection from, int requestId, boolean ok, ByteBuf frame) {
          if (requestId == id) {
            answer.complete(new Answer(ok, frame.toString(StandardCharsets.UTF_8)));
          }
        }

        @Override
        public void onClosed(ClientConnection from, boolean afterFailure) {
          if (from == c) {
            answer.complete(new Answer(false, "the connection closed"));
          }
        }
      });
      if (c.isReady()) {
        c.send(request.apply(id));
      } else {
        answer.complete(new Answer(false, "the connection is not open"));
      }
      return null;
    });
    try {
      return answer.get(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return new Answer(false, "no answer within " + PROBE_TIMEOUT_MS + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } finally {
      fleet.onLoop(() -> {
        fleet.setObserver(new ConnectionListener() { });
        return null;
      });
    }
  }

  private static JsonNode json(String text) {
    try {
      return Results.JSON.readTree(text);
    } catch (IOException e) {
      return Results.JSON.getNodeFactory().textNode(text);
    }
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

  private static String code(ByteBuf frame) {
    String code = Frames.stringAfter(frame, CODE);
    return code == null ? "(no code)" : code;
  }

  /** One client of the load and its schedule. Loop-confined. */
  private static final class Client {
    final ClientConnection connection;
    final String room;
    long firstDueNanos;
    long turn;
    boolean closed;
    ScheduledFuture<?> timer;

    Client(ClientConnection connection, String room) {
      this.connection = connection;
      this.room = room;
    }
  }

  /** A request awaiting its reply. */
  private record Pending(Client client, long dueNanos, long sentNanos, Counts in) {
  }

  /** The figures of one part of a phase (warm-up, measured window), for the requests sent in it. */
  private static final class Counts {
    long startNanos;
    long endNanos;
    long sent;
    long notSent;
    long sentLate;
    long maxSendLagNanos;
    long ok;
    long failed;
    long wrong;
    long unanswered;
    long lateReplies;
    long inFlight;
    int closed;
    final Histogram micros = new Histogram(3);
    final Histogram fromScheduleMicros = new Histogram(3);
    /** Late replies by the tenth of a second they were sent in: a few stalls, or a tail spread over the window. */
    final Map<Long, Integer> lateByTenth = new HashMap<>();

    void lateReply(long sentNanos) {
      lateReplies++;
      lateByTenth.merge((sentNanos - startNanos) / TENTH_NANOS, 1, Integer::sum);
    }

    /** {@code {"tenths","largest","inTheFiveLargest","byTenth"}}: in how many tenths of a second late replies were sent, and how bunched. */
    ObjectNode lateBursts() {
      List<Integer> sizes = lateByTenth.values().stream().sorted(Comparator.reverseOrder()).toList();
      ObjectNode r = Results.object();
      r.put("tenths", sizes.size());
      r.put("largest", sizes.isEmpty() ? 0 : sizes.get(0));
      r.put("inTheFiveLargest", sizes.stream().limit(5).mapToInt(Integer::intValue).sum());
      ObjectNode byTenth = r.putObject("byTenth");
      new TreeMap<>(lateByTenth).forEach((tenth, n) -> byTenth.put(String.valueOf(tenth), n));
      return r;
    }

    ObjectNode report() {
      double s = (endNanos - startNanos) / 1e9;
      ObjectNode r = Results.object();
      r.put("seconds", Results.round(s));
      r.put("sent", sent);
      r.put("sentPerSecond", s <= 0 ? 0 : Results.round(sent / s));
      r.put("ok", ok);
      r.put("okPerSecond", s <= 0 ? 0 : Results.round(ok / s));
      r.put("failed", failed);
      r.put("wrongAnswers", wrong);
      r.put("unanswered", unanswered);
      r.put("notSent", notSent);
      r.put("sentLate", sentLate);
      r.put("maxSendLagMs", Results.round(maxSendLagNanos / 1e6));
      r.put("lateReplies", lateReplies);
      r.set("lateReplyBursts", lateBursts());
      r.put("closedByTheServer", closed);
      r.set("latency", Results.latency(micros));
      r.set("latencyFromSchedule", Results.latency(fromScheduleMicros));
      return r;
    }
  }

  /**
   * The open-loop load of one phase: client i's requests are due at {@code first + i / rate + n *
   * clients / rate}, each sent on its turn whatever is still awaited. Loop-confined.
   */
  private final class Load implements ConnectionListener {
    final Phase phase;
    final List<Client> members = new ArrayList<>();
    final Map<ClientConnection, Client> byConnection = new IdentityHashMap<>();
    final Map<Integer, Pending> pending = new HashMap<>();
    final Map<String, Integer> errors = new TreeMap<>();
    final Counts warmup = new Counts();
    final Counts measured = new Counts();
    final CountDownLatch drained = new CountDownLatch(1);
    final long intervalNanos;
    final long lateNanos = TimeUnit.MILLISECONDS.toNanos(LATE_SEND_MS);
    final long goalMicros;
    Fleet fleet;
    Counts counts = warmup;
    boolean sending = true;
    boolean over;

    Load(List<ClientConnection> connections, Phase phase) {
      this.phase = phase;
      this.goalMicros = (long) (phase.boundMs * 1000);
      this.intervalNanos = Math.max(1, (long) (connections.size() * 1e9 / rate));
      for (ClientConnection c : connections) {
        Client m = new Client(c, room(c.index()));
        members.add(m);
        byConnection.put(c, m);
      }
    }

    void start(Fleet fleet) {
      this.fleet = fleet;
      long now = HarnessClock.nanos();
      warmup.startNanos = now;
      for (int i = 0; i < members.size(); i++) {
        Client m = members.get(i);
        // Phases spread over the interval: the fleet's requests evenly apart.
        m.firstDueNanos = now + i * intervalNanos / members.size();
        m.closed = !m.connection.isReady();
        if (!m.closed) {
          m.timer = fleet.loop().schedule(() -> turn(m), m.firstDueNanos - now, TimeUnit.NANOSECONDS);
        }
      }
    }

    /** The measured window starts now. */
    void next(Counts part) {
      long now = HarnessClock.nanos();
      counts.endNanos = now;
      part.startNanos = now;
      counts = part;
    }

    /** The window ends: no request more; those awaited may still be answered. */
    void stopSending() {
      sending = false;
      counts.endNanos = HarnessClock.nanos();
      for (Client m : members) {
        if (m.timer != null) {
          m.timer.cancel(false);
          m.timer = null;
        }
      }
      checkDrained();
    }

    private void turn(Client m) {
      m.timer = null;
      if (!sending || m.closed) {
        return;
      }
      long now = HarnessClock.nanos();
      long due = m.firstDueNanos + m.turn * intervalNanos;
      m.turn++;
      Counts k = counts;
      k.sent++;
      if (!m.connection.isReady()) {
        k.notSent++;
      } else {
        long lag = now - due;
        if (lag > lateNanos) {
          k.sentLate++;
        }
        k.maxSendLagNanos = Math.max(k.maxSendLagNanos, lag);
        int id = JoinRound.nextId();
        pending.put(id, new Pending(m, due, now, k));
        k.inFlight++;
        m.connection.send(phase.request(id, m.room));
      }
      long next = m.firstDueNanos + m.turn * intervalNanos;
      m.timer = fleet.loop().schedule(() -> turn(m), Math.max(0, next - HarnessClock.nanos()), TimeUnit.NANOSECONDS);
    }

    @Override
    public void onReply(ClientConnection c, int requestId, boolean ok, ByteBuf frame) {
      if (over) {
        return;
      }
      Pending p = pending.remove(requestId);
      if (p == null) {
        return;
      }
      long now = HarnessClock.nanos();
      Counts k = p.in();
      k.inFlight--;
      if (!ok) {
        k.failed++;
        String key = phase.event + " " + code(frame);
        errors.merge(errors.containsKey(key) || errors.size() < MAX_ERROR_KINDS ? key : "(other)", 1, Integer::sum);
      } else if (!phase.right(frame)) {
        k.wrong++;
      } else {
        k.ok++;
        long micros = Math.max(0, (now - p.sentNanos()) / 1000);
        k.micros.recordValue(micros);
        k.fromScheduleMicros.recordValue(Math.max(0, (now - p.dueNanos()) / 1000));
        if (micros > goalMicros) {
          k.lateReply(p.sentNanos());
        }
      }
      checkDrained();
    }

    @Override
    public void onClosed(ClientConnection c, boolean afterFailure) {
      Client m = byConnection.get(c);
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
      counts.closed++;
      // Its requests awaiting a reply will get none.
      Iterator<Pending> it = pending.values().iterator();
      while (it.hasNext()) {
        Pending p = it.next();
        if (p.client() == m) {
          it.remove();
          p.in().inFlight--;
          p.in().unanswered++;
        }
      }
      checkDrained();
    }

    /** After the window, once every request sent in it is answered, the phase may end. */
    private void checkDrained() {
      if (!sending && measured.inFlight == 0) {
        drained.countDown();
      }
    }

    ObjectNode stop() {
      over = true;
      sending = false;
      for (Client m : members) {
        if (m.timer != null) {
          m.timer.cancel(false);
          m.timer = null;
        }
      }
      for (Pending p : pending.values()) {
        p.in().inFlight--;
        p.in().unanswered++;
      }
      pending.clear();
      ObjectNode r = measured.report();
      r.set("warmup", warmup.report());
      ObjectNode e = r.putObject("errors");
      errors.forEach(e::put);
      return r;
    }
  }

  /** @return the runs as a Markdown table, a row per build and phase */
  static String table(JsonNode rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| build | request → handler | requests/s asked / sent / ok | p50 / p99 / max (ms) | ok / failed / unanswered"
      + " | replies over the bound | node CPU per request (ms) | service CPU per request (ms) | generator (cores) | p99 goal |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (JsonNode r : rows) {
      if (r.has("error")) {
        sb.append("| ").append(r.path("build").asText()).append(" | failed: ").append(r.path("error").asText().replace('|', '/'))
          .append(" | | | | | | | | |\n");
        continue;
      }
      for (Phase phase : Phase.values()) {
        JsonNode p = r.path(phase.key);
        if (p.isMissingNode()) {
          continue;
        }
        JsonNode l = p.path("latency");
        String goal = switch (phase) {
          case SERVICE -> r.path("goals").path("serviceP99").path("status").asText("–") + " (≤ " + Results.round(phase.boundMs) + " ms)";
          case HTTP -> r.path("goals").path("httpP99").path("status").asText("–") + " (≤ " + Results.round(phase.boundMs) + " ms)";
          case HUB_ON -> "reference";
        };
        sb.append(String.format("| %s | %s → %s | %,.0f / %,.0f / %,.0f | %.2f / %.2f / %.2f | %,d / %d / %d | %d (%s ms) | %.3f | %.3f"
            + " | %.2f | %s |%n",
          r.path("build").asText(), phase.event, phase.handledBy, p.path("rate").asDouble(), p.path("sentPerSecond").asDouble(),
          p.path("okPerSecond").asDouble(), l.path("p50").asDouble(), l.path("p99").asDouble(), l.path("max").asDouble(),
          p.path("ok").asLong(), p.path("failed").asLong() + p.path("wrongAnswers").asLong(),
          p.path("unanswered").asLong() + p.path("notSent").asLong(), p.path("lateReplies").asLong(), Results.round(phase.boundMs),
          p.path("cpuPerRequestNodesMs").asDouble(), p.path("cpuPerRequestServiceMs").asDouble(), p.path("generatorCpu").asDouble(),
          goal));
      }
    }
    return sb.toString();
  }

  /**
   * The order service as a process of its own, joined to a cluster of {@link NodeCluster}: pinned
   * to the nodes' CPUs, logging to {@code service.log} beside the nodes' logs, stopped when closed
   * (SIGTERM, then SIGKILL after 10 s) and by a shutdown hook when the harness is stopped.
   */
  static final class ServiceProcess implements AutoCloseable {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "services-reaper"));
    }

    final Process process;
    final Path log;
    final String instance;
    final long startNanos = System.nanoTime();
    long readyNanos;
    double readySeconds;

    private ServiceProcess(Process process, Path log, String instance) {
      this.process = process;
      this.log = log;
      this.instance = instance;
    }

    /**
     * Starts the service and waits for its ready line.
     *
     * @throws IllegalStateException when it exits or is not ready in time (it is stopped)
     */
    static ServiceProcess start(NodeCluster.Settings settings, Path jar, List<String> javaOptions, List<String> args,
        Path clusterConfig, Path dir, String instance, long timeoutMs) throws IOException {
      Path log = dir.resolve("service.log");
      List<String> command = new ArrayList<>();
      if (settings.cpus() != null) {
        // taskset execs java: the pid stays the service's own.
        command.addAll(List.of("taskset", "-c", settings.cpus()));
      }
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(javaOptions);
      command.add("-Xlog:gc:file=" + dir.resolve("service-gc.log") + ":uptime");
      command.addAll(List.of("-jar", jar.toString(), "--cluster-config", clusterConfig.toString(), "--instance", instance));
      command.addAll(args);
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      LIVE.add(p);
      ServiceProcess service = new ServiceProcess(p, log, instance);
      try {
        service.awaitReady(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
        return service;
      } catch (IOException | RuntimeException e) {
        service.close();
        throw e;
      }
    }

    private void awaitReady(long deadline) throws IOException {
      Pattern ready = Pattern.compile("order-service ready instance=" + Pattern.quote(instance) + " address=(\\S+)");
      while (System.nanoTime() < deadline) {
        Matcher m = ready.matcher(Files.readString(log, StandardCharsets.UTF_8));
        if (m.find()) {
          readyNanos = System.nanoTime();
          readySeconds = (readyNanos - startNanos) / 1e9;
          return;
        }
        if (!process.isAlive()) {
          throw new IllegalStateException("the order service exited (" + process.exitValue() + ") before it was ready; see " + log);
        }
        Pause.seconds(0.05);
      }
      throw new IllegalStateException("the order service was not ready in time; see " + log);
    }

    long pid() {
      return process.pid();
    }

    boolean alive() {
      return process.isAlive();
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      LIVE.remove(process);
    }
  }
}
