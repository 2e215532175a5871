package io.roomcast.gateway.node;

import com.hazelcast.config.Config;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.GatewayVerticle;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.internal.GatewayInternal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * The runnable node: {@code java -jar roomcast-gateway.jar [flags]}. It starts Vert.x (clustered
 * or not, with metrics), the management server (health, metrics, admin API), then the gateway,
 * prints the ready line, and drains on SIGTERM: readiness down and new handshakes refused (503)
 * at once, clients closed with 1001, cluster left, exit 0 within the drain timeout; a second
 * signal exits at once. {@code java -jar roomcast-gateway.jar admin ...} runs an admin command
 * against a running node instead ({@link NodeCommand} reads the command line).
 */
public final class RoomcastNode {

  /** The logger, made on first use: main must set the logging properties before logback starts. */
  private static Logger log() {
    return LoggerFactory.getLogger(RoomcastNode.class);
  }

  private final NodeOptions options;
  private final Config clusterConfig;
  private final String advertisedHost;
  private final NodeMetrics metrics = new NodeMetrics();
  private final AdminApi admin = new AdminApi();
  private volatile Vertx vertx;
  private volatile GatewayVerticle verticle;
  private volatile ManagementServer management;
  private volatile ManagementServer.State state = ManagementServer.State.STARTING;
  private volatile Future<Void> drained;

  /**
   * @param options the node's options
   * @throws IllegalArgumentException when the options break a node rule (see
   *     {@link NodeOptions#validate}), or the node is clustered and its cluster configuration cannot
   *     be found or read
   */
  public RoomcastNode(NodeOptions options) {
    options.validate();
    this.options = new NodeOptions(options);
    this.clusterConfig = NodeVertx.clusterConfig(this.options);
    this.advertisedHost = advertised(this.options.getGateway().getHost());
  }

  /** A wildcard bind address says nothing to an operator: the machine's name does. */
  private static String advertised(String host) {
    if (!host.equals("0.0.0.0") && !host.equals("::") && !host.equals("[::]")) {
      return host;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return host;
    }
  }

  /**
   * Starts everything: the warm-up, beside Vert.x (which may take seconds to join its cluster);
   * the management server (so that health answers, not ready, while the gateway deploys); once
   * warmed up, the gateway.
   *
   * @return the ready line, once the node serves
   */
  public Future<String> start() {
    int[] managementPort = new int[1];
    Future<NodeWarmup.Report> warmedUp = NodeWarmup.run(options.getWarmupConnections());
    return NodeVertx.create(options, clusterConfig, metrics.vertxOptions(), metrics.factory()).compose(vx -> {
      vertx = vx;
      management = new ManagementServer(vx, () -> state, options.getManagementToken(), options.getApiKeys()).metrics(metrics.scrapeHandler());
      admin.mount(management, maxBody(options.getGateway()));
      return management.listen(options.getManagementHost(), options.getManagementPort())
        .recover(t -> Future.failedFuture(new IllegalStateException("management port " + options.getManagementHost() + ":"
          + options.getManagementPort() + ": " + t.getMessage(), t)));
    }).compose(port -> warmedUp.compose(report -> yieldJit()).map(port)).compose(port -> {
      managementPort[0] = port;
      GatewayOptions gatewayOptions = options.getGateway();
      verticle = new GatewayVerticle(gatewayOptions);
      return vertx.deployVerticle(verticle)
        .recover(t -> Future.failedFuture(new IllegalStateException("WebSocket port " + gatewayOptions.getHost() + ":"
          + gatewayOptions.getPort() + ": " + t.getMessage(), t)));
    }).map(id -> {
      Gateway gateway = verticle.gateway();
      DemoHandlers.install(gateway);
      metrics.bind(gateway);
      GatewayInternal.of(gateway).describeNode(new JsonObject()
        .put("address", advertisedHost + ":" + verticle.actualPort())
        .put("management", options.getManagementHost() + ":" + managementPort[0]));
      admin.gateway(gateway);
      synchronized (this) {
        // A drain that began while starting wins.
        if (state == ManagementServer.State.STARTING) {
          state = ManagementServer.State.SERVING;
        }
      }
      log().info("node {} serving: ws={}:{} management={}:{} cluster={} hubs={}", gateway.nodeId(), options.getGateway().getHost(),
        verticle.actualPort(), options.getManagementHost(), managementPort[0], options.isCluster() ? options.getClusterConfig() : "off",
        options.getGateway().getHubs().stream().map(h -> h.getName() + "=" + h.getPath()).toList());
      return "roomcast ready ws=" + verticle.actualPort() + " management=" + managementPort[0] + " node=" + gateway.nodeId();
    });
  }

  /** Once warmed up, the JIT's compilers yield to the event loops ({@link JitPriority}); never fails the start. */
  private Future<Void> yieldJit() {
    int nice = options.getJitNice();
    if (nice == 0) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> JitPriority.lower(nice), false)
      .onSuccess(done -> log().info("{}: they compile mostly in idle CPU time from now on", done))
      .onFailure(t -> log().info("JIT compiler threads keep their priority: {}", t.getMessage()))
      .<Void>mapEmpty()
      .otherwiseEmpty();
  }

  /** The admin API's body limit: the largest hub message, and room for the envelope around it. */
  private static long maxBody(GatewayOptions options) {
    long largest = 0;
    for (HubOptions hub : options.getHubs()) {
      largest = Math.max(largest, hub.getMaxMessageSize());
    }
    return largest + 4096;
  }

  /**
   * Drains, within the drain timeout: readiness goes down and new handshakes are refused with 503
   * at once; connections are closed with 1001 (going away) so that clients reconnect elsewhere,
   * while the server still answers newcomers with 503 rather than a refused connection; then the
   * servers stop and the cluster is left. Calling it again returns the same future.
   *
   * @return completed once Vert.x is closed
   */
  public synchronized Future<Void> drain() {
    if (drained != null) {
      return drained;
    }
    state = ManagementServer.State.DRAINING;
    GatewayVerticle v = verticle;
    Gateway gateway = v == null ? null : v.gateway();
    if (gateway != null) {
      GatewayInternal.of(gateway).drain();
    }
    Vertx vx = vertx;
    if (vx == null) {
      drained = Future.succeededFuture();
      return drained;
    }
    long started = System.nanoTime();
    // Half the budget for the clients' close handshakes: a client that never answers its close
    // frame must not keep the node from leaving the cluster cleanly.
    long budget = options.getDrainTimeout();
    Future<Void> clientsClosed = gateway == null ? Future.succeededFuture() : within(vx, gateway.close(), budget / 2);
    // Closing Vert.x stops its event loops: its completion must not be chained on one of them.
    Promise<Void> closed = Promise.promise();
    clientsClosed
      .onComplete(x -> log().info("clients closed with 1001 in {} ms; leaving the cluster", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)))
      .eventually(() -> v == null || v.deploymentID() == null ? Future.succeededFuture() : within(vx, vx.undeploy(v.deploymentID()), budget / 4))
      .eventually(() -> management == null ? Future.succeededFuture() : management.close())
      .onComplete(ar -> vx.close().onComplete(c -> {
        metrics.close();
        closed.handle(c);
      }));
    drained = closed.future();
    return drained;
  }

  /** @return a future completed with {@code future} or after {@code ms}, whichever comes first */
  private static Future<Void> within(Vertx vx, Future<?> future, long ms) {
    Promise<Void> done = Promise.promise();
    long timer = vx.setTimer(Math.max(1, ms), id -> done.tryComplete());
    future.onComplete(ar -> {
      vx.cancelTimer(timer);
      done.tryComplete();
    });
    return done.future();
  }

  /** @return the node's Vert.x, once started (for tests in this package) */
  Vertx vertx() {
    return vertx;
  }

  /** @return the node's gateway, once started (for tests in this package) */
  Gateway gateway() {
    GatewayVerticle v = verticle;
    return v == null ? null : v.gateway();
  }

  /** @return whether the node is ready to serve */
  public boolean isReady() {
    return state == ManagementServer.State.SERVING;
  }

  /**
   * Runs the command line ({@link NodeCommand}): a node, an admin command, or help.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "roomcast-logback.xml");
    }
    NodeCommand command = new NodeCommand(System.getenv(), RoomcastNode::serve);
    int exit = command.commandLine().execute(args);
    if (!command.launched()) {
      // Help, an admin command or a refused start ends here; a node lives on until a signal.
      System.exit(exit);
    }
  }

  /**
   * Starts a node for {@link #main}: logging first (no logger exists before), then the node, its
   * signal handlers and its ready line; a start that fails exits 1.
   *
   * @throws IllegalArgumentException when the cluster configuration cannot be read: a
   *     configuration error, like a bad flag
   */
  private static void serve(NodeConfig config) {
    System.setProperty("hazelcast.logging.type", "slf4j");
    if (config.logLevel() != null) {
      // Read by roomcast-logback.xml, before the first logger is made.
      System.setProperty("ROOMCAST_LOG_LEVEL", config.logLevel());
    }
    config.notices().forEach(notice -> log().warn(notice));
    RoomcastNode node = new RoomcastNode(config.options());
    long drainTimeout = node.options.getDrainTimeout();
    installSignalHandlers(node, drainTimeout);
    node.start().onComplete(ar -> {
      if (ar.succeeded()) {
        System.out.println(ar.result());
        System.out.flush();
      } else {
        System.err.println("roomcast: could not start: " + ar.cause().getMessage());
        log().error("could not start", ar.cause());
        node.drain().onComplete(v -> System.exit(1));
        exitLater(1, drainTimeout);
      }
    });
  }

  private static void installSignalHandlers(RoomcastNode node, long drainTimeout) {
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> {
        if (node.state == ManagementServer.State.DRAINING) {
          // A second signal does not wait for the drain.
          log().warn("SIG{} received again: exiting without waiting for the drain", name);
          Runtime.getRuntime().halt(0);
        }
        log().info("SIG{} received: draining (readiness down, new connections refused, clients closed with 1001), at most {} ms",
          name, drainTimeout);
        long started = System.nanoTime();
        node.drain().onComplete(ar -> {
          if (ar.failed()) {
            log().warn("drain failed", ar.cause());
          }
          log().info("drained in {} ms: exiting", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
          System.exit(0);
        });
        exitLater(0, drainTimeout);
      });
    }
  }

  private static void exitLater(int status, long delayMs) {
    Thread watchdog = new Thread(() -> {
      try {
        TimeUnit.MILLISECONDS.sleep(delayMs);
      } catch (InterruptedException e) {
        return;
      }
      log().warn("the drain did not finish within {} ms: exiting anyway", delayMs);
      Runtime.getRuntime().halt(status);
    }, "roomcast-exit-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
