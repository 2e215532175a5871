package io.roomcast.gateway.testing;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.GatewayVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Several clustered gateways in this JVM, each on its own Vert.x instance and Hazelcast member,
 * on loopback, under a cluster name of their own so that concurrent runs never meet.
 */
public final class TestCluster implements AutoCloseable {

  /** A node: its Vert.x and its gateway verticle. */
  public record Node(Vertx vertx, GatewayVerticle verticle) {
    public int port() {
      return verticle.actualPort();
    }

    public String id() {
      return verticle.gateway().nodeId();
    }
  }

  private final String clusterName = "roomcast-test-" + UUID.randomUUID();
  private final List<Node> nodes = new ArrayList<>();

  /** Starts {@code count} nodes, one after the other. */
  public static TestCluster start(int count) {
    TestCluster cluster = new TestCluster();
    for (int i = 0; i < count; i++) {
      cluster.addNode();
    }
    return cluster;
  }

  /** Starts one more node on the default options. */
  public Node addNode() {
    return addNode(new VertxOptions(), new GatewayOptions());
  }

  /** Starts one more node with these Vert.x options and gateway options (port and host are set here). */
  public Node addNode(VertxOptions vertxOptions, GatewayOptions options) {
    Vertx vertx = Await.result(Vertx.builder()
      .with(vertxOptions)
      .withClusterManager(new HazelcastClusterManager(hazelcastConfig()))
      .buildClustered());
    GatewayVerticle verticle = new GatewayVerticle(new GatewayOptions(options).setPort(0).setHost("127.0.0.1").setServerInstances(2));
    Await.result(vertx.deployVerticle(verticle));
    Node node = new Node(vertx, verticle);
    nodes.add(node);
    return node;
  }

  public Node node(int i) {
    return nodes.get(i);
  }

  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  /** Stops a node: its gateway closes its clients with 1001 and its Vert.x leaves the cluster. */
  public void stop(Node node) {
    nodes.remove(node);
    Await.result(node.vertx().close());
  }

  private Config hazelcastConfig() {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.getNetworkConfig().setPort(5701).setPortAutoIncrement(true).setPortCount(100);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    config.setProperty("hazelcast.tcp.join.port.try.count", "20");
    return config;
  }

  @Override
  public void close() {
    for (Node node : new ArrayList<>(nodes)) {
      stop(node);
    }
  }
}
