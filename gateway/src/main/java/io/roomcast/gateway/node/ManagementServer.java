package io.roomcast.gateway.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.BooleanSupplier;

/**
 * The node's management HTTP server, apart from the WebSocket port and bound to loopback by
 * default: health now; metrics and the admin API mount on the same router.
 */
public final class ManagementServer {

  private final Vertx vertx;
  private final Router router;
  private final BooleanSupplier ready;
  private HttpServer server;

  /**
   * @param vertx the Vert.x instance
   * @param ready whether the node serves (and, when clustered, has joined) and is not draining
   */
  public ManagementServer(Vertx vertx, BooleanSupplier ready) {
    this.vertx = vertx;
    this.ready = ready;
    this.router = Router.router(vertx);
    router.get("/health/live").handler(rc -> health(rc, true));
    router.get("/health/ready").handler(rc -> health(rc, ready.getAsBoolean()));
  }

  /** @return the router, to mount more endpoints */
  public Router router() {
    return router;
  }

  private void health(RoutingContext rc, boolean up) {
    rc.response()
      .setStatusCode(up ? 200 : 503)
      .putHeader("Content-Type", "application/json")
      .end(new JsonObject().put("status", up ? "UP" : "DOWN").encode());
  }

  /**
   * @param host the bind address
   * @param port the port, 0 for any
   * @return the port it listens on
   */
  public Future<Integer> listen(String host, int port) {
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)).requestHandler(router);
    return server.listen().map(HttpServer::actualPort);
  }

  /** @return completed once closed */
  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
