package io.roomcast.gateway.testing;

import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.GatewayVerticle;
import io.roomcast.gateway.Hub;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

/**
 * Starts a gateway on a free port for each test, with two server instances so that clients land
 * on different event loops, and closes every client a test opened.
 */
@ExtendWith(VertxExtension.class)
public abstract class GatewayTestBase {

  protected Vertx vertx;
  protected GatewayVerticle verticle;
  protected Gateway gateway;
  protected Hub hub;
  protected int port;
  private final List<TestClient> clients = new ArrayList<>();

  /** @return the options of the gateway under test; override to change them */
  protected GatewayOptions options() {
    return new GatewayOptions().setPort(0).setHost("127.0.0.1").setServerInstances(2);
  }

  /** Called after the gateway is created and before any client connects. */
  protected void configure(Gateway gateway) {
  }

  @BeforeEach
  void startGateway(Vertx vertx) {
    this.vertx = vertx;
    verticle = new GatewayVerticle(options()) {
      @Override
      public io.vertx.core.Future<?> start() {
        io.vertx.core.Future<?> started = super.start();
        configure(gateway());
        return started;
      }
    };
    Await.result(vertx.deployVerticle(verticle));
    gateway = verticle.gateway();
    hub = gateway.hubs().get(0);
    port = verticle.actualPort();
  }

  @AfterEach
  void closeClients() {
    for (TestClient c : clients) {
      try {
        c.close();
      } catch (RuntimeException | AssertionError ignored) {
        // Already closed by the test.
      }
    }
    // Whatever the test checked, what the server sent must be what the AsyncAPI document says.
    List<String> violations = new ArrayList<>();
    clients.stream().filter(TestClient::speaksEnvelopes).forEach(c -> violations.addAll(ServerFrameContract.violations(c)));
    if (!violations.isEmpty()) {
      throw new AssertionError("server frames that roomcast/asyncapi.json does not describe: " + violations);
    }
  }

  /**
   * Serves a router of the test's own (for routes the gateway does not add, such as raw
   * endpoints) on another free loopback port, with the gateway's WebSocket server options.
   * The server goes with the test's Vert.x instance.
   *
   * @return the port
   */
  protected int serve(Router router) {
    HttpServerOptions options = gateway.httpServerOptions(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    return Await.result(vertx.createHttpServer(options).requestHandler(router).listen()).actualPort();
  }

  /** Connects to the default hub at /ws and waits for the welcome. */
  protected TestClient connect(String... subprotocols) {
    return connectTo("/ws", subprotocols);
  }

  /** Connects to a path and waits for the welcome. */
  protected TestClient connectTo(String path, String... subprotocols) {
    return track(TestClient.connect(vertx, port, path, subprotocols));
  }

  /** Opens a connection to a raw endpoint (no envelopes, no welcome) on a port. */
  protected TestClient connectRaw(int port, String path) {
    return track(TestClient.openRaw(vertx, TestClient.options(port, path)));
  }

  protected TestClient track(TestClient client) {
    clients.add(client);
    return client;
  }
}
