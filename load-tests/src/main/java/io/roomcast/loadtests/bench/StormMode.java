package io.roomcast.loadtests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.loadtests.bench.client.ClientConnection;
import io.roomcast.loadtests.bench.client.ConnectionListener;
import io.roomcast.loadtests.bench.client.HarnessClock;
import io.roomcast.loadtests.bench.client.LoadClient;
import io.roomcast.loadtests.bench.client.SourceAddresses;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Mode storm, a reconnect storm: for each gateway jar, starts a cluster (3 nodes by default),
 * connects the clients spread over the nodes in turn, each a member of three rooms (one of its
 * own, {@code user:<client>}, and two of {@code --shared-rooms} rooms shared by many,
 * {@code shared:<k>}), then kills one node with SIGKILL. Each of its clients reconnects as soon as
 * its socket closes, to the survivors in turn, and joins its three rooms again, all three at once.
 * Measured from the kill: each client's time to its new {@code welcome} and to the last {@code ok}
 * of its three joins (p50, p99, max), the first welcome (what the clients wait before any
 * survivor serves them), and when every one of them is back in all its rooms. The failure
 * detector's share is stated apart: when each survivor's {@code GET /admin/nodes} first lists one
 * node fewer (polled every 100 ms).
 *
 * <p>A reconnect that fails, or a join answered with an error, is tried again at once (a failed
 * connect after 100 ms), at most {@code --max-retries} times per client; those counts are
 * reported. Flags, beside those of {@link GatewayBuild}: {@code --nodes 3 --clients 10000
 * --shared-rooms 100 --victim N} (1-based, default the last node, not the cluster's first member)
 * {@code --in-flight 64} (joins of the set-up) {@code --connect-in-flight 200 --settle-seconds 2
 * --storm-timeout-seconds 120 --setup-timeout-seconds 900 --start-timeout-seconds 120
 * --max-retries 10 --sources 16}.
 */
final class StormMode {

  private static final int ROOMS = 3;
  private static final long POLL_MS = 100;
  private static final long RETRY_CONNECT_MS = 100;

  private final List<GatewayBuild> builds;
  private final int nodes;
  private final int clients;
  private final int sharedRooms;
  private final int victim;
  private final int inFlight;
  private final int connectInFlight;
  private final double settleSeconds;
  private final long stormTimeoutMs;
  private final long setupTimeoutMs;
  private final long startTimeoutMs;
  private final int maxRetries;
  private final int sources;

  StormMode(Options options, Path out) {
    this.builds = GatewayBuild.fromOptions(options, out);
    this.nodes = options.integer("nodes", 3);
    this.clients = options.integer("clients", 10_000);
    this.sharedRooms = options.integer("shared-rooms", 100);
    this.victim = options.integer("victim", nodes) - 1;
    this.inFlight = options.integer("in-flight", 64);
    this.connectInFlight = options.integer("connect-in-flight", 200);
    this.settleSeconds = options.decimal("settle-seconds", 2);
    this.stormTimeoutMs = (long) (options.decimal("storm-timeout-seconds", 120) * 1000);
    this.setupTimeoutMs = (long) (options.decimal("setup-timeout-seconds", 900) * 1000);
    this.startTimeoutMs = (long) (options.decimal("start-timeout-seconds", 120) * 1000);
    this.maxRetries = options.integer("max-retries", 10);
    this.sources = options.integer("sources", 16);
    if (nodes < 2 || nodes > NodeCluster.PORTS) {
      throw new IllegalArgumentException("--nodes must be 2 to " + NodeCluster.PORTS + " for a storm");
    }
    if (victim < 0 || victim >= nodes) {
      throw new IllegalArgumentException("--victim must be 1 to " + nodes);
    }
    if (clients < nodes || sharedRooms < 2 || inFlight < 1 || connectInFlight < 1 || maxRetries < 0) {
      throw new IllegalArgumentException("need --clients >= --nodes, --shared-rooms >= 2, --in-flight and --connect-in-flight >= 1");
    }
    checkOpenFiles();
  }

  /** The generator holds every client and, for a moment, the victim's clients twice. */
  private void checkOpenFiles() {
    long limit = ProcStats.openFilesLimit(ProcStats.self());
    long needed = clients + clients / nodes + 1 + 500;
    if (limit >= 0 && limit < needed) {
      throw new IllegalArgumentException("the open files limit of the harness is " + limit + ", and " + clients
        + " clients need about " + needed + ": raise it (ulimit -n; bench.sh raises the soft limit to the hard one)");
    }
  }

  /** @return the rooms of client {@code i}: its own, and two distinct shared rooms */
  static String[] roomsOf(int i, int sharedRooms) {
    int a = i % sharedRooms;
    int b = (a + 1 + (i / sharedRooms) % (sharedRooms - 1)) % sharedRooms;
    return new String[] {"user:" + i, "shared:" + a, "shared:" + b};
  }

  ObjectNode run(ObjectNode result) {
    ArrayNode b = result.putArray("builds");
    builds.forEach(build -> b.add(build.toJson()));
    ObjectNode load = result.putObject("load");
    load.put("nodes", nodes);
    load.put("clients", clients);
    load.put("sharedRooms", sharedRooms);
    load.put("victim", victim + 1);
    // What bounds a burst of connections on loopback, beside the nodes themselves.
    load.put("ephemeralPorts", sysctl("net/ipv4/ip_local_port_range"));
    load.put("somaxconn", sysctl("net/core/somaxconn"));
    load.put("sourceAddresses", sources);
    ArrayNode rows = result.putArray("rows");
    try (LoadClient client = new LoadClient(new SourceAddresses(sources))) {
      for (GatewayBuild build : builds) {
        rows.add(measure(client, build));
      }
    }
    System.out.println();
    System.out.printf("storm: %d nodes, %d clients in 3 rooms each (one their own, two of %d shared); node %d killed"
      + " (SIGKILL); times from the kill, in ms%n%n", nodes, clients, sharedRooms, victim + 1);
    System.out.print(table(rows));
    return result;
  }

  private ObjectNode measure(LoadClient client, GatewayBuild build) {
    ObjectNode row = Results.object();
    row.put("build", build.label());
    row.put("nodes", nodes);
    System.out.printf("storm %-12s %d nodes: starting%n", build.label(), nodes);
    try (NodeCluster cluster = NodeCluster.start(build.settings(), "storm", nodes, startTimeoutMs)) {
      ArrayNode pids = row.putArray("pids");
      cluster.target().pids().forEach(pids::add);
      ArrayNode limits = row.putArray("nodeOpenFilesLimits");
      cluster.target().pids().forEach(pid -> limits.add(ProcStats.openFilesLimit(pid)));
      Fleet fleet = new Fleet(client);
      try {
        new Storm(cluster, fleet, build.label()).run(row);
      } finally {
        fleet.closeAll(60_000);
      }
    } catch (IOException | RuntimeException e) {
      row.put("error", String.valueOf(e.getMessage()));
      System.out.printf("storm %-12s failed: %s%n", build.label(), e.getMessage());
    }
    return row;
  }

  /** A client across its reconnections. Loop-confined once the storm starts. */
  private static final class Member {
    final int index;
    final String[] rooms;
    final int node;
    ClientConnection connection;
    /** Request ids of the joins awaiting a reply on the current connection, by room. */
    final int[] requests = new int[ROOMS];
    final long[] sent = new long[ROOMS];
    int roomsOk;
    int retries;
    long closedNanos;
    long welcomeNanos;
    long backNanos;
    boolean gaveUp;

    Member(int index, String[] rooms, int node) {
      this.index = index;
      this.rooms = rooms;
      this.node = node;
    }
  }

  /** One cluster's storm. */
  private final class Storm implements ConnectionListener {
    final NodeCluster cluster;
    final Fleet fleet;
    final String label;
    final Map<Integer, Member> byConnection = new HashMap<>();
    final List<Member> members = new ArrayList<>();
    final List<URI> survivors = new ArrayList<>();
    final CountDownLatch done = new CountDownLatch(1);
    final Histogram welcome = new Histogram(3);
    final Histogram back = new Histogram(3);
    final Histogram joinMicros = new Histogram(3);
    long killNanos;
    long firstClose;
    long lastClose;
    long firstWelcome;
    long lastBack;
    int victims;
    int settled;
    int reconnects;
    int joinErrors;
    int connectFailures;
    int survivorClientsLost;
    int nextSurvivor;

    Storm(NodeCluster cluster, Fleet fleet, String label) {
      this.cluster = cluster;
      this.fleet = fleet;
      this.label = label;
    }

    void run(ObjectNode row) {
      Target target = cluster.target();
      setUp(target, row);
      Pause.seconds(settleSeconds);
      row.set("problemsBeforeKill", Results.JSON.valueToTree(fleet.problems()));
      fleet.resetProblems();
      for (int i = 0; i < nodes; i++) {
        if (i != victim) {
          survivors.add(target.urls().get(i));
        }
      }
      Target left = cluster.without(victim);
      MemberWatch watch = new MemberWatch(cluster, victim);
      fleet.onLoop(() -> {
        for (Member m : members) {
          if (m.node == victim) {
            victims++;
          }
        }
        fleet.setObserver(this);
        return null;
      });
      double cpuBefore = left.cpuSeconds();
      long start = System.nanoTime();
      fleet.onLoop(() -> {
        killNanos = HarnessClock.nanos();
        return null;
      });
      cluster.kill(victim);
      System.out.printf("storm %-12s node %d killed; %d of its clients reconnect to the %d others%n", label, victim + 1,
        victims, survivors.size());
      try {
        done.await(stormTimeoutMs, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      double window = (System.nanoTime() - start) / 1e9;
      double survivorCpu = left.cpuSeconds() - cpuBefore;
      // The detector's share is stated even when the clients were back before it had run.
      watch.await(start + TimeUnit.MILLISECONDS.toNanos(stormTimeoutMs));
      watch.close();
      fleet.onLoop(() -> {
        fleet.setObserver(new ConnectionListener() { });
        report(row, watch);
        return null;
      });
      row.put("survivorCpuSeconds", Results.round(survivorCpu));
      row.put("stormWindowSeconds", Results.round(window));
      row.put("survivorsAlive", left.alive());
      row.set("problemsDuringStorm", Results.JSON.valueToTree(fleet.problems()));
      JsonNode w = row.get("timeToWelcome");
      JsonNode b = row.get("timeToBack");
      System.out.printf("storm %-12s from the kill: first welcome %.0f ms; welcome p50 %.0f p99 %.0f max %.0f ms; back in all"
          + " rooms p50 %.0f p99 %.0f max %.0f ms; all back %.0f ms; survivors saw the death at %s ms; not back %d;"
          + " %d reconnects, %d join errors%n", label, row.get("firstWelcomeMs").asDouble(), w.get("p50").asDouble(),
        w.get("p99").asDouble(), w.get("max").asDouble(), b.get("p50").asDouble(), b.get("p99").asDouble(), b.get("max").asDouble(),
        row.get("allBackMs").asDouble(), row.get("survivorsSawDeathMs"), row.get("notBack").asInt(), row.get("reconnects").asInt(),
        row.get("joinErrors").asInt());
    }

    private void setUp(Target target, ObjectNode row) {
      List<ClientConnection> connections = new ArrayList<>(clients);
      List<JoinRound.Join> joins = new ArrayList<>(clients * ROOMS);
      for (int i = 0; i < clients; i++) {
        int node = i % nodes;
        Member m = new Member(i, roomsOf(i, sharedRooms), node);
        m.connection = fleet.newConnection(target.urls().get(node), ServerKind.ROOMCAST);
        members.add(m);
        connections.add(m.connection);
      }
      for (int r = 0; r < ROOMS; r++) {
        for (Member m : members) {
          joins.add(new JoinRound.Join(m.connection, m.rooms[r]));
        }
      }
      for (Member m : members) {
        byConnection.put(m.connection.index(), m);
      }
      long t = System.nanoTime();
      Fleet.Batch batch = fleet.connect(connections, connectInFlight, setupTimeoutMs);
      ObjectNode setup = row.putObject("setup");
      setup.put("connected", batch.ready());
      setup.put("connectFailures", batch.failed());
      setup.put("connectSeconds", Results.round(batch.seconds()));
      if (batch.failed() > 0) {
        throw new IllegalStateException("set-up: " + batch.failed() + " of " + clients + " connections failed: " + fleet.problems());
      }
      JoinRound.Outcome o = JoinRound.run(fleet, joins, inFlight, setupTimeoutMs);
      setup.put("joins", o.joins());
      setup.put("joinFailures", o.failed() + o.unanswered());
      setup.put("joinSeconds", Results.round(o.seconds()));
      setup.put("joinsPerSecond", Math.round(o.joinsPerSecond()));
      setup.set("joinLatency", Results.latency(o.micros()));
      setup.put("seconds", Results.round((System.nanoTime() - t) / 1e9));
      System.out.printf("storm %-12s %d clients connected in %.1f s, %d joins in %.1f s (%.0f/s), failed %d%n", label, clients,
        batch.seconds(), o.joins(), o.seconds(), o.joinsPerSecond(), o.failed() + o.unanswered());
      if (o.failed() + o.unanswered() > 0) {
        throw new IllegalStateException("set-up: " + (o.failed() + o.unanswered()) + " joins failed: " + fleet.problems());
      }
    }

    // The storm itself, on the loop.

    @Override
    public void onReady(ClientConnection c) {
      Member m = byConnection.get(c.index());
      if (m == null || m.connection != c || killNanos == 0) {
        return;
      }
      long now = HarnessClock.nanos();
      m.welcomeNanos = now;
      if (firstWelcome == 0) {
        firstWelcome = now;
      }
      // A new connection is in no room yet: all three again, at once, as a client does.
      m.roomsOk = 0;
      for (int r = 0; r < ROOMS; r++) {
        sendJoin(m, r);
      }
    }

    private void sendJoin(Member m, int r) {
      int id = JoinRound.nextId();
      m.requests[r] = id;
      m.sent[r] = HarnessClock.nanos();
      m.connection.send(m.connection.dialect().join(m.rooms[r], id));
    }

    @Override
    public void onAck(ClientConnection c, int requestId, boolean ok) {
      Member m = byConnection.get(c.index());
      if (m == null || m.connection != c || m.backNanos > 0 || m.gaveUp) {
        return;
      }
      for (int r = 0; r < ROOMS; r++) {
        if (m.requests[r] != requestId) {
          continue;
        }
        long now = HarnessClock.nanos();
        m.requests[r] = 0;
        if (ok) {
          joinMicros.recordValue(Math.max(0, (now - m.sent[r]) / 1000));
          m.roomsOk |= 1 << r;
          if (m.roomsOk == (1 << ROOMS) - 1) {
            m.backNanos = now;
            lastBack = now;
            back.recordValue(Math.max(0, (now - killNanos) / 1000));
            welcome.recordValue(Math.max(0, (m.welcomeNanos - killNanos) / 1000));
            settledOne();
          }
        } else {
          joinErrors++;
          if (retry(m)) {
            sendJoin(m, r);
          }
        }
        return;
      }
    }

    @Override
    public void onFailure(ClientConnection c, String reason) {
      lost(c, c.readyNanos == 0);
    }

    @Override
    public void onClosed(ClientConnection c, boolean afterFailure) {
      lost(c, false);
    }

    /** A connection is gone: a victim's client reconnects (after a pause when its connect failed). */
    private void lost(ClientConnection c, boolean connectFailed) {
      Member m = byConnection.get(c.index());
      if (m == null || m.connection != c || killNanos == 0 || m.gaveUp) {
        return;
      }
      m.connection = null;
      if (m.node != victim) {
        survivorClientsLost++;
        return;
      }
      if (m.backNanos > 0) {
        // Back already, then dropped by a survivor: counted, not measured again.
        survivorClientsLost++;
        return;
      }
      long now = HarnessClock.nanos();
      if (m.closedNanos == 0) {
        m.closedNanos = now;
        firstClose = firstClose == 0 ? now : firstClose;
        lastClose = now;
      } else {
        // A reconnection failed, or a survivor dropped it before it was back.
        if (connectFailed) {
          connectFailures++;
        }
        if (!retry(m)) {
          return;
        }
      }
      if (connectFailed) {
        fleet.loop().schedule(() -> reconnect(m), RETRY_CONNECT_MS, TimeUnit.MILLISECONDS);
      } else {
        reconnect(m);
      }
    }

    private void reconnect(Member m) {
      URI uri = survivors.get(nextSurvivor++ % survivors.size());
      ClientConnection c = fleet.newConnection(uri, ServerKind.ROOMCAST);
      m.connection = c;
      m.requests[0] = m.requests[1] = m.requests[2] = 0;
      byConnection.put(c.index(), m);
      reconnects++;
      fleet.connectNow(c);
    }

    private boolean retry(Member m) {
      if (++m.retries > maxRetries) {
        m.gaveUp = true;
        settledOne();
        return false;
      }
      return true;
    }

    private void settledOne() {
      if (++settled == victims) {
        done.countDown();
      }
    }

    private void report(ObjectNode row, MemberWatch watch) {
      int back = 0;
      int gaveUp = 0;
      int neverClosed = 0;
      for (Member m : members) {
        if (m.node != victim) {
          continue;
        }
        back += m.backNanos > 0 ? 1 : 0;
        gaveUp += m.gaveUp ? 1 : 0;
        neverClosed += m.closedNanos == 0 ? 1 : 0;
      }
      row.put("victimClients", victims);
      row.put("back", back);
      row.put("notBack", victims - back);
      row.put("gaveUp", gaveUp);
      row.put("neverSawTheClose", neverClosed);
      row.put("firstCloseMs", ms(firstClose));
      row.put("lastCloseMs", ms(lastClose));
      row.put("firstWelcomeMs", ms(firstWelcome));
      row.put("allBackMs", back == victims ? ms(lastBack) : -1);
      row.set("timeToWelcome", Results.latency(welcome));
      row.set("timeToBack", Results.latency(this.back));
      row.set("joinLatency", Results.latency(joinMicros));
      row.put("reconnects", reconnects);
      row.put("reconnectFailures", connectFailures);
      row.put("joinErrors", joinErrors);
      row.put("survivorClientsLost", survivorClientsLost);
      ArrayNode saw = row.putArray("survivorsSawDeathMs");
      for (long nanos : watch.sawNanos()) {
        saw.add(ms(nanos));
      }
      row.put("pollMs", POLL_MS);
    }

    private double ms(long nanos) {
      return nanos == 0 ? -1 : Results.round((nanos - killNanos) / 1e6);
    }
  }

  /**
   * Polls each survivor's {@code GET /admin/nodes} every {@link #POLL_MS} ms, without waiting for
   * an answer before the next request, and notes when each first answers 200 with one node fewer.
   */
  private final class MemberWatch implements AutoCloseable {
    final List<NodeCluster.Node> watched = new ArrayList<>();
    final long[] saw;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "storm-member-watch");
      t.setDaemon(true);
      return t;
    });

    MemberWatch(NodeCluster cluster, int victim) {
      for (int i = 0; i < cluster.nodes().size(); i++) {
        if (i != victim) {
          watched.add(cluster.nodes().get(i));
        }
      }
      saw = new long[watched.size()];
      timer.scheduleAtFixedRate(this::poll, 0, POLL_MS, TimeUnit.MILLISECONDS);
    }

    private void poll() {
      for (int i = 0; i < watched.size(); i++) {
        if (seen(i) > 0) {
          continue;
        }
        int at = i;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + watched.get(i).managementPort + "/admin/nodes"))
          .timeout(Duration.ofSeconds(10)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).thenAccept(response -> {
          long now = HarnessClock.nanos();
          if (response.statusCode() == 200 && count(response.body()) == nodes - 1) {
            synchronized (saw) {
              if (saw[at] == 0) {
                saw[at] = now;
              }
            }
          }
        });
      }
    }

    private long seen(int i) {
      synchronized (saw) {
        return saw[i];
      }
    }

    private int count(String body) {
      try {
        return Results.JSON.readTree(body).path("nodes").size();
      } catch (IOException e) {
        return -1;
      }
    }

    /** Waits until every survivor has seen the death, or the deadline ({@link System#nanoTime()}) passes. */
    void await(long deadline) {
      while (System.nanoTime() < deadline && Arrays.stream(sawNanos()).anyMatch(n -> n == 0)) {
        Pause.seconds(0.05);
      }
    }

    long[] sawNanos() {
      synchronized (saw) {
        return saw.clone();
      }
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }

  private static String sysctl(String name) {
    try {
      return Files.readString(Path.of("/proc/sys", name)).trim().replaceAll("\\s+", "-");
    } catch (IOException e) {
      return "?";
    }
  }

  /** @return the storms as a Markdown table, a row per build */
  static String table(JsonNode rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| build | victim's clients | survivors saw the death | first welcome | welcome p50 / p99 / max"
      + " | back in all rooms p50 / p99 / max | all back | not back |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (JsonNode r : rows) {
      sb.append("| ").append(r.path("build").asText()).append(" | ");
      if (r.has("error")) {
        sb.append("failed: ").append(r.path("error").asText().replace('|', '/')).append(" | | | | | | |\n");
        continue;
      }
      // The last survivor to see it: the detector's share for the whole cluster.
      double saw = 0;
      for (JsonNode s : r.path("survivorsSawDeathMs")) {
        saw = s.asDouble() < 0 || saw < 0 ? -1 : Math.max(saw, s.asDouble());
      }
      JsonNode w = r.path("timeToWelcome");
      JsonNode b = r.path("timeToBack");
      sb.append(String.format("%,d | %s | %.0f | %.0f / %.0f / %.0f | %.0f / %.0f / %.0f | %s | %d |%n",
        r.path("victimClients").asInt(), saw < 0 ? "not seen" : String.format("%.0f", saw),
        r.path("firstWelcomeMs").asDouble(), w.path("p50").asDouble(), w.path("p99").asDouble(), w.path("max").asDouble(),
        b.path("p50").asDouble(), b.path("p99").asDouble(), b.path("max").asDouble(),
        r.path("allBackMs").asDouble() < 0 ? "not all" : String.format("%.0f", r.path("allBackMs").asDouble()),
        r.path("notBack").asInt()));
    }
    return sb.toString();
  }
}
