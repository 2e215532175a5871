package io.roomcast.gateway.node;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.GatewayVerticle;
import io.roomcast.gateway.HubOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the transport's hot paths before the node serves: a node that has just started (a restart,
 * a scale-out) is the one that receives a dead node's clients, and a JVM that has not yet loaded
 * and compiled its handshake, join and delivery paths takes its first thousands of connections
 * several times slower than it takes the next ones.
 *
 * <p>It runs on a Vert.x instance of its own, with a gateway of its own on a free loopback port,
 * so that nothing of it reaches the node's cluster, hubs, callbacks, services or metrics: only the
 * compiled code stays. That Vert.x reports to metrics of its own, as the node's does to its
 * registry: code compiled without them would be thrown away and compiled again once the node's
 * first clients came, on the core that serves them. First a fan-out in rooms of many members
 * ({@link WarmupFanout}); then clients ({@link WarmupClient}) that each connect and close, one in
 * {@link #JOINING} joining one of a few rooms and publishing there first, a bounded number at a
 * time. They go on, round after round, until the JIT has settled (it compiled for less than a
 * quarter of the last round's time and has nothing queued for the optimizing compiler:
 * {@link JitQueue}), at most for the clients asked and for its time limit. It never fails the
 * node's start: what went wrong is logged.
 */
final class NodeWarmup {

  private static final Logger log = LoggerFactory.getLogger(NodeWarmup.class);
  private static final int IN_FLIGHT = 32;
  private static final int ROOMS = 8;
  /**
   * One client in this many also joins and publishes; the others connect and close. The handshake
   * is what C2 takes last: on one core, with a long compile queue, it compiled the handshake only
   * after 15,000-20,000 of them.
   */
  private static final int JOINING = 4;
  private static final long TIME_LIMIT_MS = 40_000;
  /** Clients per round: after each, the warm-up stops if the JIT has settled. */
  private static final int ROUND = 500;
  /** Settled: the JIT compiled for less than this share of a round's time, and has nothing queued. */
  private static final double SETTLED_SHARE = 0.25;

  /** What a warm-up did: at most {@code connections} clients, fewer once the JIT had settled. */
  record Report(int connections, int completed, int failed, long fanoutDeliveries, long millis, boolean settled) {
  }

  private final int connections;
  private final NodeMetrics metrics = new NodeMetrics();
  private final Vertx vertx;
  private final Promise<Report> done = Promise.promise();
  private final long startedAt = System.nanoTime();
  private NetClient client;
  private WarmupFanout fanout;
  private long fanoutDeliveries;
  private int port;
  private int started;
  private int completed;
  private int failed;
  private boolean timedOut;
  private boolean settled;
  private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
  private final JitQueue jitQueue = new JitQueue();
  private long roundStartedAt = System.nanoTime();
  private long roundCompileMs = compileMs();

  private NodeWarmup(int connections) {
    this.connections = connections;
    VertxOptions options = metrics.vertxOptions().setPreferNativeTransport(true);
    // The JVM's meters are the node's to keep: here they would only leave GC listeners behind.
    ((MicrometerMetricsOptions) options.getMetricsOptions()).setJvmMetricsEnabled(false);
    this.vertx = Vertx.builder().with(options).withMetrics(metrics.factory()).build();
  }

  /**
   * @param connections how many clients to run through the paths; 0 for none
   * @return completed once the warm-up is over and its Vert.x closed; never failed
   */
  static Future<Report> run(int connections) {
    if (connections <= 0) {
      return Future.succeededFuture(new Report(0, 0, 0, 0, 0, true));
    }
    return new NodeWarmup(connections).start();
  }

  private Future<Report> start() {
    // Every callback runs on this one context, which opened every client: no locking.
    Context context = vertx.getOrCreateContext();
    // No rate limit: the fan-out's publishers send as fast as their replies come back.
    GatewayVerticle gateway = new GatewayVerticle(new GatewayOptions().setHost("127.0.0.1").setPort(0)
      .setHubs(List.of(new HubOptions().setRateLimit(0))));
    context.runOnContext(v -> vertx.deployVerticle(gateway).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("warm-up skipped: its gateway did not start: {}", ar.cause().getMessage());
        finish();
        return;
      }
      port = gateway.actualPort();
      metrics.bind(gateway.gateway());
      client = vertx.createNetClient();
      vertx.setTimer(TIME_LIMIT_MS, id -> {
        timedOut = true;
        fanout.stop();
        finish();
      });
      fanout = WarmupFanout.start(vertx, port, connections);
      fanout.done().onComplete(f -> {
        if (f.failed()) {
          log.warn("warm-up: its fan-out stopped: {}", f.cause().getMessage());
        } else {
          fanoutDeliveries = f.result();
        }
        refill();
      });
    }));
    return done.future();
  }

  private void next() {
    if (timedOut || settled || started >= connections) {
      return;
    }
    int n = started++;
    String room = n % JOINING == 0 ? "warmup-" + (n / JOINING % ROOMS) : null;
    WarmupClient.run(client, port, room, n).onComplete(ar -> ended(ar.result()));
  }

  private void ended(boolean published) {
    if (published) {
      completed++;
    } else {
      failed++;
    }
    if ((completed + failed) % ROUND == 0) {
      settled = settled || jitSettled();
    }
    if (completed + failed >= started && (settled || started >= connections)) {
      finish();
    } else {
      next();
    }
  }

  /** Starts clients until {@link #IN_FLIGHT} are under way. */
  private void refill() {
    for (int i = started - completed - failed; i < IN_FLIGHT; i++) {
      next();
    }
  }

  /** @return whether the JIT compiled for less than {@link #SETTLED_SHARE} of the last round's time */
  private boolean jitSettled() {
    long now = System.nanoTime();
    long compiled = compileMs();
    double roundMs = (now - roundStartedAt) / 1e6;
    boolean quiet = compiled >= 0 && compiled - roundCompileMs < SETTLED_SHARE * roundMs && jitQueue.waiting() <= 0;
    roundStartedAt = now;
    roundCompileMs = compiled;
    return quiet;
  }

  /** @return the JIT's compilation time so far (ms), or -1 where the JVM does not tell */
  private long compileMs() {
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
  }

  private void finish() {
    if (done.future().isComplete()) {
      return;
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
    Report report = new Report(connections, completed, failed, fanoutDeliveries, millis, settled);
    if (timedOut) {
      log.warn("warm-up stopped at its time limit of {} ms: {} of {} clients done, {} failed", TIME_LIMIT_MS, completed, connections, failed);
    } else if (failed > 0) {
      log.warn("warm-up: {} of {} clients failed", failed, connections);
    }
    log.info("warm-up: {} deliveries in rooms of {}, {} clients connected and closed (one in {} joined and published first), in {} ms{}",
      fanoutDeliveries, WarmupFanout.MEMBERS, completed, JOINING, millis, settled ? "; the JIT settled" : "");
    vertx.close().onComplete(ar -> {
      metrics.close();
      done.complete(report);
    });
  }
}
