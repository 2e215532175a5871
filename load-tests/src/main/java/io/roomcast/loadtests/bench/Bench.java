package io.roomcast.loadtests.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.loadtests.bench.client.LoadClient;
import io.roomcast.loadtests.bench.client.SourceAddresses;
import io.roomcast.loadtests.bench.report.ChurnPlot;
import io.roomcast.loadtests.bench.report.JfrHotspots;
import io.roomcast.loadtests.bench.report.Report;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The benchmark harness: {@code java -jar roomcast-bench.jar MODE --flag value ...}.
 *
 * <pre>
 * idle       RSS growth per idle connection at each of --counts (default 2500,...,19500)
 * connect    connects/s until the first error or p99 connect time over --p99-bound-ms
 * fanout     highest deliveries/s with nothing lost and p99 within the bound (step search)
 * crossnode  the same over several nodes (--url takes one URL per node)
 * fresh      fan-out at one --start-rate through a fresh server's first --steps (default 12) steps,
 *            after the harness warmed up on a `ws` peer (--generator-warmup-url, --generator-warmup-pid);
 *            the server is started after that and named in --url-file (a line with its URL, one with its pid)
 * churn      fresh-room joins/s, join latency and CPU per join at each of --nodes (default 1,3,5),
 *            on nodes it starts itself from each of --jar A[,B]
 * storm      a reconnect storm: one node of --nodes (default 3) killed, its clients back in their rooms
 *            on the others; nodes started from each of --jar A[,B]
 * presence   one presence room of --members (default 10000) over --nodes (default 3): join latency and
 *            CPU per join, time until every node counts every member, then the latency of countOnly
 *            and full-list presence requests; nodes started from each of --jar A[,B]
 * joinflood  a join/leave flood from --flooders (default 500) against one node, once per gateway
 *            configuration of --conf A[,B]: the join latency of --clients (default 50) normal
 *            clients beside it (goal p99 <= 100 ms), the flood's joins ok and refused per second,
 *            flooders closed with 1008, the node's CPU per flood join; nodes started from --jar
 * services   request -> service -> reply over the event bus: --clients (default 50) on node 1 of --nodes
 *            (default 2) send --rate (default 1000) requests/s open-loop, order.quote to the example
 *            order service in a process of its own (--service-jar), then members to a hub.on handler in
 *            the gateway's own process; latency p50/p99/max, replies ok/failed/unanswered, CPU per request
 *            of the nodes and of the service (goal order.quote p99 <= 5 ms); nodes started from --jar
 * report     the table and plots from a directory of results (--results DIR --docs DIR)
 * jfr        the hottest frames and allocation sites of a JFR recording (--file F)
 * </pre>
 *
 * Every measuring mode takes {@code --server roomcast|ws|socketio --url URL[,URL] --pid PID[,PID]
 * --out FILE [--sources N]}; the pids are the server processes whose memory and CPU are read.
 * {@code churn}, {@code storm}, {@code presence}, {@code joinflood} and {@code services} start their
 * own nodes instead, and take {@code --jar} and {@code --out} (see {@link GatewayBuild},
 * {@link ChurnMode}, {@link StormMode}, {@link PresenceMode}, {@link JoinFloodMode},
 * {@link ServicesMode}).
 */
public final class Bench {

  private Bench() {
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  /**
   * Runs a mode in this JVM (the smoke tests call it directly).
   *
   * @return the exit status: 0, or 2 for bad arguments
   */
  public static int run(String... args) throws Exception {
    if (args.length == 0 || args[0].equals("--help")) {
      System.out.println("usage: java -jar roomcast-bench.jar idle|connect|fanout|crossnode|fresh|churn|storm|presence|joinflood|services|report|churn-plot|jfr --flag value ...");
      return args.length == 0 ? 2 : 0;
    }
    String mode = args[0];
    try {
      Options options = new Options(Arrays.copyOfRange(args, 1, args.length));
      switch (mode) {
        case "report" -> Report.main(options);
        case "jfr" -> JfrHotspots.main(options);
        case "churn-plot" -> ChurnPlot.main(options);
        case "idle", "connect", "fanout", "crossnode" -> measure(mode, options);
        case "fresh" -> freshServer(options);
        case "churn", "storm", "presence", "joinflood", "services" -> startingNodes(mode, options);
        default -> throw new IllegalArgumentException("unknown mode '" + mode + "'");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      return 2;
    }
    return 0;
  }

  private static void measure(String mode, Options options) throws Exception {
    Target target = Target.from(options);
    Path out = Path.of(options.required("out"));
    int sources = options.integer("sources", 16);
    if (mode.equals("crossnode") && target.urls().size() < 2) {
      throw new IllegalArgumentException("crossnode needs one --url per node, at least two");
    }
    ObjectNode result = Results.head(mode, target, options);
    try (LoadClient client = new LoadClient(new SourceAddresses(sources))) {
      Fleet fleet = new Fleet(client);
      switch (mode) {
        case "idle" -> new IdleMemoryMode(target, fleet, options).run(readAll(options, result));
        case "connect" -> new ConnectRateMode(target, fleet, options).run(readAll(options, result));
        default -> new FanoutMode(target, fleet, options).run(readAll(options, result));
      }
    }
    Results.write(out, result);
    System.out.println("bench: wrote " + out);
  }

  /** Mode fresh: the server under test starts once the harness has warmed up (see {@link FreshServerMode}). */
  private static void freshServer(Options options) throws Exception {
    ServerKind kind = ServerKind.of(options.required("server"));
    Path out = Path.of(options.required("out"));
    int sources = options.integer("sources", 16);
    ObjectNode result = Results.head("fresh", kind, options);
    try (LoadClient client = new LoadClient(new SourceAddresses(sources))) {
      new FreshServerMode(kind, new Fleet(client), options).run(result);
    }
    Results.write(out, result);
    System.out.println("bench: wrote " + out);
  }

  /** The modes that start gateway nodes themselves, from one jar or two. */
  private static void startingNodes(String mode, Options options) throws Exception {
    Path out = Path.of(options.required("out"));
    ObjectNode result = Results.head(mode, ServerKind.ROOMCAST, options);
    switch (mode) {
      case "churn" -> new ChurnMode(options, out).run(readAll(options, result));
      case "storm" -> new StormMode(options, out).run(readAll(options, result));
      case "joinflood" -> new JoinFloodMode(options, out).run(readAll(options, result));
      case "services" -> new ServicesMode(options, out).run(readAll(options, result));
      default -> new PresenceMode(options, out).run(readAll(options, result));
    }
    Results.write(out, result);
    System.out.println("bench: wrote " + out);
  }

  /** Every flag has been read by the mode's constructor by now: refuse the unknown ones. */
  private static ObjectNode readAll(Options options, ObjectNode result) {
    options.checkAllRead();
    return result;
  }
}
