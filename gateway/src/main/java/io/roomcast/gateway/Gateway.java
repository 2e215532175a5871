package io.roomcast.gateway;

import io.roomcast.gateway.impl.GatewayImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.List;

/**
 * The gateway on one Vert.x instance: its hubs, and the event-bus consumers that connect them to
 * the other nodes of the cluster. Serve it with {@link GatewayVerticle}, or mount it on an
 * application's own router:
 *
 * <pre>{@code
 * Gateway gateway = Gateway.create(vertx, options);
 * Router router = Router.router(vertx);
 * gateway.mount(router);                          // every hub on its path, and the echo endpoint
 * vertx.createHttpServer(gateway.httpServerOptions(new HttpServerOptions()))
 *   .requestHandler(router).listen(8080);
 * }</pre>
 */
public interface Gateway {

  /**
   * @param vertx the Vert.x instance, clustered or not
   * @return a gateway with the default options: one hub {@code default} at {@code /ws}
   */
  static Gateway create(Vertx vertx) {
    return create(vertx, new GatewayOptions());
  }

  /**
   * @param vertx the Vert.x instance, clustered or not
   * @param options the options
   * @return the gateway
   */
  static Gateway create(Vertx vertx, GatewayOptions options) {
    return new GatewayImpl(vertx, options);
  }

  /** @return this node's id, which every client id of the node starts with */
  String nodeId();

  /** @return the options (a copy) */
  GatewayOptions options();

  /**
   * @param name a hub name
   * @return the hub
   * @throws IllegalArgumentException when there is no hub of that name
   */
  Hub hub(String name);

  /** @return every hub */
  List<Hub> hubs();

  /**
   * Mounts every hub on its path and the echo endpoint (unless turned off) on a router.
   *
   * @param router the application's router
   * @return the router
   */
  Router mount(Router router);

  /**
   * The server options a hub needs: its subprotocols selected, frame limits matching the hubs'
   * message limits, compression off (so that a compressed frame can never inflate past a limit)
   * and HTTP/2 in clear text off. Use them for the server the hubs are mounted on.
   *
   * @param base options to start from (not modified)
   * @return a copy with the gateway's WebSocket settings
   */
  HttpServerOptions httpServerOptions(HttpServerOptions base);

  /**
   * Closes every connection with 1001 (going away) and removes the gateway's consumers.
   *
   * @return completed when done
   */
  Future<Void> close();
}
