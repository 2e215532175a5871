package io.roomcast.cluster;

import com.hazelcast.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Clustered Vert.x nodes over the shipped {@code loopback} configuration, the way the gateway node builds them. */
final class ClusteredVertx implements AutoCloseable {

  static final long TIMEOUT_SECONDS = 30;

  private final List<Vertx> started = new ArrayList<>();

  /** A started node and its cluster manager. */
  record Node(Vertx vertx, HazelcastClusterManager clusterManager) {
  }

  Node start(String clusterName) {
    Config config = Members.loopback(clusterName);
    HazelcastClusterManager clusterManager = new HazelcastClusterManager(config);
    Vertx vertx = await(Vertx.builder().withClusterManager(clusterManager).buildClustered());
    started.add(vertx);
    return new Node(vertx, clusterManager);
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result in " + TIMEOUT_SECONDS + " s", e);
    }
  }

  @Override
  public void close() {
    for (Vertx vertx : started) {
      try {
        vertx.close().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("a clustered Vert.x did not close in " + TIMEOUT_SECONDS + " s", e);
      }
    }
    started.clear();
  }
}
