package io.roomcast.gateway.node;

import com.hazelcast.config.Config;
import io.roomcast.cluster.ClusterConfigs;
import io.roomcast.gateway.ClusterTlsOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the node's Vert.x instance: plain, or clustered through the Hazelcast cluster manager.
 * The event bus is left to bind where Hazelcast binds (the cluster manager reports its member's
 * address), on a free port.
 */
final class NodeVertx {

  private static final Logger log = LoggerFactory.getLogger(NodeVertx.class);

  private NodeVertx() {
  }

  /**
   * @param options the node's options
   * @return the Hazelcast configuration the node would cluster with, or {@code null} when it runs alone
   * @throws IllegalArgumentException when the cluster configuration cannot be found or read
   */
  static Config clusterConfig(NodeOptions options) {
    if (!options.isCluster()) {
      return null;
    }
    Config config = ClusterConfigs.load(options.getClusterConfig());
    log.info("cluster configuration: {}", ClusterConfigs.describe(options.getClusterConfig()));
    return config;
  }

  /**
   * @param options the node's options (the event-bus TLS between nodes)
   * @param clusterConfig the configuration from {@link #clusterConfig}, or {@code null} to run alone
   * @param vertxOptions the Vert.x options (the node's metrics options)
   * @param metrics the metrics factory the options' metrics go to, or {@code null} for none
   * @return Vert.x, once it has joined the cluster when clustered
   */
  static Future<Vertx> create(NodeOptions options, Config clusterConfig, VertxOptions vertxOptions, VertxMetricsFactory metrics) {
    // epoll where the platform has it (the jar carries it for Linux); Java NIO elsewhere.
    vertxOptions.setPreferNativeTransport(true);
    VertxBuilder builder = Vertx.builder().with(vertxOptions);
    if (metrics != null) {
      builder.withMetrics(metrics);
    }
    if (clusterConfig == null) {
      return Future.succeededFuture(builder.build()).onSuccess(NodeVertx::logTransport);
    }
    ClusterTlsOptions tls = options.getClusterTls();
    if (tls != null) {
      tls.applyTo(vertxOptions.getEventBusOptions());
      log.info("event-bus links between nodes use TLS with client certificates");
    }
    return builder
      .withClusterManager(new HazelcastClusterManager(clusterConfig))
      .buildClustered()
      .onSuccess(NodeVertx::logTransport);
  }

  private static void logTransport(Vertx vertx) {
    log.info("transport: {}", vertx.isNativeTransportEnabled() ? "native (epoll)" : "Java NIO");
  }
}
