package io.roomcast.gateway;

import io.roomcast.gateway.internal.GatewayInternal;
import io.roomcast.gateway.internal.GatewayServer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;

/**
 * Serves a {@link Gateway} on its own HTTP server: every hub on its path, the echo endpoint, and
 * a page at {@code /}. It deploys {@link GatewayOptions#getServerInstances()} server instances
 * on one port, each on its own event loop.
 *
 * <pre>{@code
 * vertx.deployVerticle(new GatewayVerticle(new GatewayOptions().setPort(8080)));
 * }</pre>
 */
public class GatewayVerticle extends VerticleBase {

  private final GatewayOptions options;
  private Gateway gateway;
  private GatewayServer server;

  /** A verticle on the default options. */
  public GatewayVerticle() {
    this(new GatewayOptions());
  }

  /** @param options the gateway's options */
  public GatewayVerticle(GatewayOptions options) {
    this.options = new GatewayOptions(options);
  }

  @Override
  public Future<?> start() {
    GatewayInternal internal = GatewayInternal.of(Gateway.create(vertx, options));
    gateway = internal;
    server = internal.server(new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort()));
    // Serve once the cluster routes this node's rooms: a client welcomed earlier could miss messages.
    return internal.started().compose(v -> server.start(options.getServerInstances()));
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = gateway == null ? Future.succeededFuture() : gateway.close();
    return closed.eventually(() -> server == null ? Future.succeededFuture() : server.stop());
  }

  /** @return the gateway, once started */
  public Gateway gateway() {
    return gateway;
  }

  /** @return the port the server listens on, once started (the real one when 0 was asked) */
  public int actualPort() {
    return server.actualPort();
  }
}
