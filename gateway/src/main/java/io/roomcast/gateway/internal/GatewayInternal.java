package io.roomcast.gateway.internal;

import io.roomcast.gateway.Gateway;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;

/**
 * What a gateway made by {@link Gateway#create} offers to the node that runs it, beyond the
 * public API.
 */
public interface GatewayInternal extends Gateway {

  /**
   * @param gateway a gateway made by {@link Gateway#create}
   * @return its internal side
   * @throws IllegalArgumentException for any other implementation
   */
  static GatewayInternal of(Gateway gateway) {
    if (gateway instanceof GatewayInternal internal) {
      return internal;
    }
    throw new IllegalArgumentException("not a gateway made by Gateway.create: " + gateway.getClass().getName());
  }

  @Override
  HubInternal hub(String name);

  /** @return completed once the gateway's consumers are registered */
  Future<Void> started();

  /**
   * Refuses every new handshake from now on with 503 (counted as {@code draining}); the
   * connections already open stay until {@link #close()}. Irreversible.
   */
  void drain();

  /** @return whether {@link #drain()} was called */
  boolean isDraining();

  /**
   * What this node tells the cluster about itself besides its counters, in the management API's
   * node list: e.g. {@code {"address":"host:8080","management":"127.0.0.1:8081"}}.
   *
   * @param info fields to add to this node's answers (copied)
   */
  void describeNode(JsonObject info);

  /** @return how many gateway nodes this node knows to be alive, itself included */
  int liveNodeCount();

  /**
   * @param base the server options (host and port), completed with the gateway's WebSocket settings
   * @return a server for the gateway's hubs, its echo endpoint and the page at {@code /}, not started
   */
  GatewayServer server(HttpServerOptions base);
}
