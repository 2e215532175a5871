package io.roomcast.gateway.impl;

import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.internal.GatewayServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's HTTP server: several instances on one port, each on its own event loop, each
 * serving the hubs, the echo endpoint and the page at {@code /}.
 */
final class GatewayServerImpl implements GatewayServer {

  private static final long SHUTDOWN_GRACE_SECONDS = 5;

  private final Vertx vertx;
  private final Gateway gateway;
  private final HttpServerOptions base;
  private final List<String> deployments = new ArrayList<>();
  private final HandshakeTimeouts handshakes;
  /** The AsyncAPI document of this gateway's hubs, encoded once. */
  private final String asyncApi;
  private volatile int actualPort = -1;

  /**
   * @param vertx the Vert.x instance
   * @param gateway the gateway to serve
   * @param base the server options (host and port), completed with the gateway's WebSocket settings
   */
  GatewayServerImpl(Vertx vertx, Gateway gateway, HttpServerOptions base) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.base = gateway.httpServerOptions(base);
    long timeout = gateway.options().getHubs().stream().mapToLong(HubOptions::getHandshakeTimeout).max().orElse(HubOptions.DEFAULT_HANDSHAKE_TIMEOUT);
    this.handshakes = new HandshakeTimeouts(vertx, timeout);
    this.asyncApi = AsyncApiDocument.of(gateway.options().getHubs()).encodePrettily();
  }

  // Port 0 becomes Vert.x's shared random port (a negative port): servers asking for port 0
  // would each get their own.
  @Override
  public Future<Void> start(int instances) {
    handshakes.start();
    HttpServerOptions options = new HttpServerOptions(base);
    if (options.getPort() == 0) {
      options.setPort(-1);
    }
    List<ServerInstance> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
      ServerInstance instance = new ServerInstance(options);
      started.add(instance);
      return instance;
    }, new DeploymentOptions().setInstances(instances)).map(id -> {
      deployments.add(id);
      actualPort = started.get(0).server.actualPort();
      return null;
    });
  }

  @Override
  public int actualPort() {
    return actualPort;
  }

  @Override
  public Future<Void> stop() {
    handshakes.stop();
    List<Future<Void>> stopping = new ArrayList<>();
    deployments.forEach(id -> stopping.add(vertx.undeploy(id)));
    deployments.clear();
    return Future.join(stopping).mapEmpty();
  }

  private final class ServerInstance extends VerticleBase {
    private final HttpServerOptions options;
    private HttpServer server;

    ServerInstance(HttpServerOptions options) {
      this.options = options;
    }

    @Override
    public Future<?> start() {
      Router router = Router.router(vertx);
      router.route().handler(rc -> {
        handshakes.requestArrived(rc.request().connection());
        rc.next();
      });
      gateway.mount(router);
      router.get("/asyncapi.json").handler(rc -> rc.response().putHeader("Content-Type", "application/json").end(asyncApi));
      router.get("/roomcast.d.ts").handler(rc -> { rc.addHeadersEndHandler(v -> rc.response().putHeader("Content-Type", "application/typescript; charset=utf-8")); rc.next(); });
      router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
      server = vertx.createHttpServer(options).requestHandler(router).connectionHandler(handshakes::opened);
      return server.listen();
    }

    @Override
    public Future<?> stop() {
      // A graceful shutdown lets each connection's shutdown handler close it with 1001 (going
      // away); a plain close would cut connections with 1000 first.
      return server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
    }
  }
}
