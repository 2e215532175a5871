package io.roomcast.gateway.node;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.function.Supplier;

/**
 * The node's management HTTP server, on its own port (never the WebSocket port) and bound to
 * loopback by default: health, Prometheus metrics and the admin API ({@link AdminApi}).
 *
 * <p>With a management token or API keys, {@code /metrics} and {@code /admin/*} require
 * {@code Authorization: Bearer <token or key>} (401 otherwise), and each endpoint a scope that
 * the management token always has and a key may not (403, {@link #requires}); the health
 * endpoints never do, so that probes need no secret and learn nothing but up or down. Every answer is JSON except the metrics;
 * errors are {@code {"error":CODE,"message":REASON}}.
 */
public final class ManagementServer {

  /** The node's lifecycle as readiness sees it. */
  public enum State {
    /** Joining the cluster, deploying the gateway: not ready. */
    STARTING,
    /** Serving: ready. */
    SERVING,
    /** Draining after SIGTERM: not ready, never again. */
    DRAINING
  }

  private final Vertx vertx;
  private final Router router;
  private final Supplier<State> state;
  /** The routing context's key under which {@link #authorize} leaves the bearer. */
  private static final String BEARER = "roomcast.bearer";

  private final ApiKeys keys;
  private HttpServer server;

  /**
   * @param vertx the Vert.x instance
   * @param state the node's state, read on every readiness probe
   * @param token the Bearer token that metrics and the admin API take for everything, or {@code null} for none
   * @param apiKeys the keys they take for what each key's scopes name
   */
  public ManagementServer(Vertx vertx, Supplier<State> state, String token, List<ApiKeyOptions> apiKeys) {
    this.vertx = vertx;
    this.state = state;
    this.keys = new ApiKeys(token, apiKeys);
    this.router = Router.router(vertx);
    router.get("/health/live").handler(rc -> health(rc, true, null));
    router.get("/health/ready").handler(rc -> {
      State s = state.get();
      health(rc, s == State.SERVING, s.name().toLowerCase());
    });
    router.route("/metrics").handler(this::authorize);
    router.route("/admin/*").handler(this::authorize);
    router.errorHandler(404, rc -> error(rc, 404, "not_found", "no such endpoint: " + rc.request().method() + " " + rc.request().path()));
    router.errorHandler(405, rc -> error(rc, 405, "method_not_allowed", rc.request().method() + " is not allowed on " + rc.request().path()));
    router.errorHandler(413, rc -> error(rc, 413, "too_large", "the body is larger than the largest maxMessageSize of the hubs allows"));
    router.errorHandler(500, rc -> error(rc, 500, "internal", "internal error"));
  }

  /**
   * Serves Prometheus text at {@code GET /metrics}.
   *
   * @param handler the scraping handler
   * @return this
   */
  public ManagementServer metrics(Handler<RoutingContext> handler) {
    router.get("/metrics").handler(requires("metrics")).handler(handler);
    return this;
  }

  /** @return the router, to mount more endpoints (after the authorization of {@code /admin/*}) */
  public Router router() {
    return router;
  }

  private void health(RoutingContext rc, boolean up, String detail) {
    JsonObject body = new JsonObject().put("status", up ? "UP" : "DOWN");
    if (detail != null) {
      body.put("state", detail);
    }
    json(rc, up ? 200 : 503, body);
  }

  private void authorize(RoutingContext rc) {
    if (!keys.required()) {
      rc.next();
      return;
    }
    String header = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
    String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    ApiKeys.Bearer bearer = given == null ? null : keys.match(given);
    if (bearer == null) {
      rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"roomcast\"");
      error(rc, 401, "unauthorized", given == null ? "a Bearer token is required" : "the Bearer token is not valid");
      return;
    }
    rc.put(BEARER, bearer);
    rc.next();
  }

  /**
   * @param scope what the endpoint needs ({@link ApiKeyOptions#SCOPES})
   * @return a handler that lets through a bearer with the scope (any request when the API asks
   *     for no bearer), and answers 403 to the others; it goes after {@link #authorize}
   */
  Handler<RoutingContext> requires(String scope) {
    if (!ApiKeyOptions.SCOPES.contains(scope)) {
      throw new IllegalArgumentException("no scope " + scope);
    }
    return rc -> {
      if (!keys.required()) {
        rc.next();
        return;
      }
      ApiKeys.Bearer bearer = rc.get(BEARER);
      if (bearer == null) {
        error(rc, 401, "unauthorized", "a Bearer token is required");
      } else if (bearer.may(scope)) {
        rc.next();
      } else {
        error(rc, 403, "forbidden", "the key \"" + bearer.name() + "\" has no scope \"" + scope + "\"");
      }
    };
  }

  /** Ends a request with a JSON body. */
  static void json(RoutingContext rc, int status, Object body) {
    if (rc.response().ended()) {
      return;
    }
    rc.response()
      .setStatusCode(status)
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
      .end(body instanceof JsonObject ? ((JsonObject) body).encode() : io.vertx.core.json.Json.encode(body));
  }

  /** Ends a request with the error shape {@code {"error":CODE,"message":REASON}}. */
  static void error(RoutingContext rc, int status, String code, String message) {
    json(rc, status, new JsonObject().put("error", code).put("message", message));
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
