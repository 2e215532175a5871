package io.roomcast.gateway.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.roomcast.gateway.Gateway;
import io.vertx.core.Handler;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.UUID;

/**
 * The node's metrics: one Prometheus registry that holds the Vert.x meters (HTTP server,
 * event bus, pools, through vertx-micrometer-metrics), the JVM's, and Roomcast's own
 * ({@link GatewayMeters}); served as Prometheus text on the management port.
 */
final class NodeMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  // vertx-micrometer-metrics keeps its backends in a static map by name: a name per node keeps
  // two nodes in one JVM (tests) apart.
  private final String registryName = "roomcast-" + UUID.randomUUID();

  /** @return the Vert.x options with metrics on, into this registry */
  VertxOptions vertxOptions() {
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
      .setEnabled(true)
      .setJvmMetricsEnabled(true)
      // The local address tells the WebSocket server's meters from the management server's;
      // it has two values, so the label costs nothing in cardinality.
      .addLabels(Label.LOCAL)
      .setRegistryName(registryName));
  }

  /** @return the factory that makes Vert.x report into this registry */
  VertxMetricsFactory factory() {
    return new MicrometerMetricsFactory(registry);
  }

  /** Adds Roomcast's meters for a gateway's hubs. */
  void bind(Gateway gateway) {
    GatewayMeters.bind(gateway, registry);
  }

  /** @return the handler that serves the registry as Prometheus text */
  Handler<RoutingContext> scrapeHandler() {
    return PrometheusScrapingHandler.create(registry);
  }

  /** @return the registry */
  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Forgets the registry once the node's Vert.x is closed. */
  void close() {
    BackendRegistries.stop(registryName);
    registry.close();
  }
}
