package io.roomcast.gateway.node;

import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.testing.Await;
import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link RoomcastNode} in the test's JVM, started as {@code main} starts one (metrics, management
 * server, gateway) but without signals, on free loopback ports.
 */
final class InProcessNode implements AutoCloseable {

  static {
    // As the node's main does: Hazelcast logs through SLF4J, at the levels of the test's logback.
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
  }

  private static final Pattern READY = Pattern.compile("roomcast ready ws=(\\d+) management=(\\d+) node=(\\S+)");

  private final RoomcastNode node;
  private final int port;
  private final int managementPort;
  private final String id;

  private InProcessNode(RoomcastNode node, String readyLine) {
    this.node = node;
    Matcher m = READY.matcher(readyLine);
    if (!m.matches()) {
      throw new AssertionError("not a ready line: " + readyLine);
    }
    this.port = Integer.parseInt(m.group(1));
    this.managementPort = Integer.parseInt(m.group(2));
    this.id = m.group(3);
  }

  /** @return gateway options on a free loopback port, two server instances */
  static GatewayOptions gatewayOptions() {
    return new GatewayOptions().setPort(0).setHost("127.0.0.1").setServerInstances(2);
  }

  /** @return node options serving {@link #gatewayOptions()}, the management server on a free port */
  static NodeOptions options() {
    return options(gatewayOptions());
  }

  /** @return node options serving {@code gateway}, the management server on a free port */
  static NodeOptions options(GatewayOptions gateway) {
    return new NodeOptions(gateway).setManagementPort(0).setWarmupConnections(0);
  }

  /** Starts a node and waits until it serves. */
  static InProcessNode start(NodeOptions options) {
    RoomcastNode node = new RoomcastNode(options);
    try {
      // A clustered start joins Hazelcast: longer than a client's timeout.
      return new InProcessNode(node, node.start().await(60, TimeUnit.SECONDS));
    } catch (Exception e) {
      node.drain();
      throw new AssertionError("the node did not start: " + e, e);
    }
  }

  int port() {
    return port;
  }

  int managementPort() {
    return managementPort;
  }

  String id() {
    return id;
  }

  RoomcastNode node() {
    return node;
  }

  Vertx vertx() {
    return node.vertx();
  }

  Gateway gateway() {
    return node.gateway();
  }

  @Override
  public void close() {
    Await.result(node.drain());
  }
}
