package io.roomcast.gateway.node;

import com.hazelcast.config.Config;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.GatewayVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.concurrent.TimeUnit;

/**
 * The runnable node: {@code java -jar roomcast-gateway.jar [flags]}. It starts Vert.x (clustered
 * or not), serves the gateway and the management server, prints the ready line, and drains on
 * SIGTERM: readiness down, clients closed with 1001, cluster left, exit 0.
 */
public final class RoomcastNode {

  /** How long a drain may take before the process exits anyway, in ms. */
  static final long DRAIN_TIMEOUT_MS = 10_000;

  private final GatewayOptions options;
  private final Config clusterConfig;
  private Vertx vertx;
  private GatewayVerticle verticle;
  private ManagementServer management;
  private volatile boolean serving;
  private volatile boolean draining;

  /**
   * @param options the node's options
   * @throws IllegalArgumentException when the node is clustered and its cluster configuration
   *     cannot be found or read
   */
  public RoomcastNode(GatewayOptions options) {
    this.options = new GatewayOptions(options);
    this.clusterConfig = NodeVertx.clusterConfig(this.options);
  }

  /**
   * Starts everything.
   *
   * @return the ready line, once the node serves
   */
  public Future<String> start() {
    return NodeVertx.create(options, clusterConfig).compose(vx -> {
      vertx = vx;
      verticle = new GatewayVerticle(options);
      management = new ManagementServer(vx, () -> serving && !draining);
      return vx.deployVerticle(verticle).onSuccess(id -> DemoHandlers.install(verticle.gateway()));
    }).compose(id -> management.listen(options.getManagementHost(), options.getManagementPort()))
      .map(managementPort -> {
        serving = true;
        return "roomcast ready ws=" + verticle.actualPort() + " management=" + managementPort
          + " node=" + verticle.gateway().nodeId();
      });
  }

  /**
   * Drains: readiness goes down, connections are closed with 1001, the cluster is left.
   *
   * @return completed once Vert.x is closed
   */
  public Future<Void> drain() {
    draining = true;
    if (vertx == null) {
      return Future.succeededFuture();
    }
    Future<Void> undeployed = verticle == null || verticle.deploymentID() == null
      ? Future.succeededFuture()
      : vertx.undeploy(verticle.deploymentID());
    // Closing Vert.x stops its event loops: its completion must not be chained on one of them.
    Promise<Void> closed = Promise.promise();
    undeployed
      .eventually(() -> management == null ? Future.succeededFuture() : management.close())
      .onComplete(ar -> vertx.close().onComplete(closed));
    return closed.future();
  }

  /** @return whether the node is ready to serve */
  public boolean isReady() {
    return serving && !draining;
  }

  public static void main(String[] args) {
    System.setProperty("hazelcast.logging.type", "slf4j");
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "roomcast-logback.xml");
    }
    RoomcastNode node;
    try {
      // A cluster configuration that cannot be read is a configuration error, like a bad flag.
      node = new RoomcastNode(NodeConfig.load(args, System.getenv()).options());
    } catch (NodeConfig.HelpRequested help) {
      System.out.println(help.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("roomcast: " + e.getMessage());
      System.exit(2);
      return;
    }
    Logger log = LoggerFactory.getLogger(RoomcastNode.class);
    installSignalHandlers(node, log);
    node.start().onComplete(ar -> {
      if (ar.succeeded()) {
        System.out.println(ar.result());
        System.out.flush();
      } else {
        System.err.println("roomcast: could not start: " + ar.cause().getMessage());
        log.error("could not start", ar.cause());
        node.drain().onComplete(v -> System.exit(1));
        exitLater(1, DRAIN_TIMEOUT_MS);
      }
    });
  }

  private static void installSignalHandlers(RoomcastNode node, Logger log) {
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> {
        if (node.draining) {
          // A second signal does not wait for the drain.
          Runtime.getRuntime().halt(0);
        }
        log.info("SIG{} received: draining", name);
        node.drain().onComplete(ar -> {
          if (ar.failed()) {
            log.warn("drain failed", ar.cause());
          }
          System.exit(0);
        });
        exitLater(0, DRAIN_TIMEOUT_MS);
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
      Runtime.getRuntime().halt(status);
    }, "roomcast-exit-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
