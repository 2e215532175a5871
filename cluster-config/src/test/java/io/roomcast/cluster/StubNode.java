package io.roomcast.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.concurrent.TimeUnit;

/**
 * Stands in for the gateway node in the cluster script tests: the same flags, the same cluster configuration
 * lookup and the same ready line, with {@code GET /admin/nodes} on the management port. SIGTERM leaves the
 * cluster.
 */
public final class StubNode {

  private StubNode() {
  }

  /**
   * Starts the stub.
   *
   * @param args {@code --cluster --port N --management-port N [--cluster-config NAME-or-PATH]}
   * @throws Exception when the node cannot start; the JVM then exits non-zero before the ready line
   */
  public static void main(String[] args) throws Exception {
    int port = -1;
    int managementPort = -1;
    String clusterConfig = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--cluster":
          break;
        case "--port":
          port = Integer.parseInt(args[++i]);
          break;
        case "--management-port":
          managementPort = Integer.parseInt(args[++i]);
          break;
        case "--cluster-config":
          clusterConfig = args[++i];
          break;
        default:
          throw new IllegalArgumentException("unknown flag " + args[i]);
      }
    }
    System.out.println("stub node: cluster configuration " + ClusterConfigs.describe(clusterConfig));
    HazelcastClusterManager clusterManager = new HazelcastClusterManager(ClusterConfigs.load(clusterConfig));
    Vertx vertx = Vertx.builder().withClusterManager(clusterManager).buildClustered().await(60, TimeUnit.SECONDS);
    HttpServer ws = vertx.createHttpServer()
        .requestHandler(req -> req.response().end("stub"))
        .listen(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
    HttpServer management = vertx.createHttpServer()
        .requestHandler(req -> {
          if ("/admin/nodes".equals(req.path())) {
            req.response().putHeader("content-type", "application/json")
                .end(new JsonArray(clusterManager.getNodes()).encode());
          } else {
            req.response().setStatusCode(404).end();
          }
        })
        .listen(managementPort, "127.0.0.1").await(10, TimeUnit.SECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("stub node: leaving the cluster");
      try {
        vertx.close().await(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        e.printStackTrace();
      }
      System.out.println("stub node: stopped");
    }));
    System.out.println("roomcast ready ws=" + ws.actualPort() + " management=" + management.actualPort()
        + " node=" + clusterManager.getNodeId());
  }
}
