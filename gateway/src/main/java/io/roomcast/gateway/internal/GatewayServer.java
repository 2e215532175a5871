package io.roomcast.gateway.internal;

import io.vertx.core.Future;

/**
 * The gateway's own HTTP server: several instances on one port, each on its own event loop,
 * each serving the hubs, the echo endpoint and the page at {@code /}.
 */
public interface GatewayServer {

  /**
   * Starts the instances; port 0 picks one free port that every instance shares.
   *
   * @param instances how many server instances
   * @return completed once every instance listens
   */
  Future<Void> start(int instances);

  /** @return the port the server listens on, once started */
  int actualPort();

  /** @return completed once every instance has shut down gracefully */
  Future<Void> stop();
}
