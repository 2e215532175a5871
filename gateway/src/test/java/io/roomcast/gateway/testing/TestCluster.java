package io.roomcast.gateway.testing;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.GatewayVerticle;
import io.roomcast.gateway.Hub;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Several clustered gateways in this JVM, each on its own Vert.x instance and Hazelcast member,
 * on loopback, under a cluster name of their own and on member ports picked free for this
 * cluster, so that concurrent runs never meet.
 */
public final class TestCluster implements AutoCloseable {

  /** The most nodes one cluster can have: its member ports are reserved up front. */
  private static final int MAX_NODES = 6;

  /** A node: its Vert.x and its gateway verticle. */
  public record Node(Vertx vertx, GatewayVerticle verticle) {
    public int port() {
      return verticle.actualPort();
    }

    /** @return the node id */
    public String id() {
      return verticle.gateway().nodeId();
    }

    public Gateway gateway() {
      return verticle.gateway();
    }

    /** @return the hub {@code default} */
    public Hub hub() {
      return gateway().hub("default");
    }

    /** @return the page origin, {@code http://127.0.0.1:PORT} */
    public String httpUrl() {
      return "http://127.0.0.1:" + port();
    }

    /** @return the default hub's WebSocket URL */
    public String wsUrl() {
      return "ws://127.0.0.1:" + port() + "/ws";
    }
  }

  private static final int FIRST_MEMBER_PORT = 10_000;
  private static final int FORK_RANGES = 4;
  private static final int PORTS_PER_FORK = 500;
  /** Where this JVM's next pick starts: on from a random place, so that runs one after the other differ. */
  private static final AtomicInteger NEXT_MEMBER_PORT = new AtomicInteger(ThreadLocalRandom.current().nextInt(PORTS_PER_FORK));

  private final String clusterName = "roomcast-test-" + UUID.randomUUID();
  private final List<Integer> memberPorts = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();

  /** An empty cluster: add nodes with {@link #addNode}. */
  public TestCluster() {
    for (int i = 0; i < MAX_NODES; i++) {
      memberPorts.add(freePort());
    }
  }

  /** Starts {@code count} nodes, one after the other. */
  public static TestCluster start(int count) {
    return start(count, gateway -> { });
  }

  /**
   * Starts {@code count} nodes, one after the other.
   *
   * @param configure called with each gateway before it serves (to register handlers)
   */
  public static TestCluster start(int count, Consumer<Gateway> configure) {
    return start(count, new GatewayOptions(), configure);
  }

  /**
   * Starts {@code count} nodes with these gateway options, one after the other.
   *
   * @param configure called with each gateway before it serves (to register handlers)
   */
  public static TestCluster start(int count, GatewayOptions options, Consumer<Gateway> configure) {
    TestCluster cluster = new TestCluster();
    try {
      for (int i = 0; i < count; i++) {
        cluster.addNode(new VertxOptions(), options, configure);
      }
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Starts one more node on the default options. */
  public Node addNode() {
    return addNode(new VertxOptions(), new GatewayOptions(), gateway -> { });
  }

  /** Starts one more node with these Vert.x and gateway options (port and host are set here). */
  public Node addNode(VertxOptions vertxOptions, GatewayOptions options) {
    return addNode(vertxOptions, options, gateway -> { });
  }

  /**
   * Starts one more node.
   *
   * @param vertxOptions the Vert.x options (the event bus is bound to 127.0.0.1 here)
   * @param options the gateway options (port and host are set here)
   * @param configure called with the gateway before it serves
   */
  public Node addNode(VertxOptions vertxOptions, GatewayOptions options, Consumer<Gateway> configure) {
    if (nodes.size() == MAX_NODES) {
      throw new IllegalStateException("a test cluster has at most " + MAX_NODES + " nodes");
    }
    VertxOptions vx = new VertxOptions(vertxOptions);
    vx.getEventBusOptions().setHost("127.0.0.1").setPort(0);
    Vertx vertx = Await.result(Vertx.builder()
      .with(vx)
      .withClusterManager(new HazelcastClusterManager(hazelcastConfig(memberPorts.get(nodes.size()))))
      .buildClustered());
    GatewayVerticle verticle = new GatewayVerticle(new GatewayOptions(options).setPort(0).setHost("127.0.0.1").setServerInstances(2)) {
      @Override
      public Future<?> start() {
        Future<?> started = super.start();
        // Handlers go on before the first connection can arrive.
        configure.accept(gateway());
        return started;
      }
    };
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

  /**
   * Stops a node: its servers shut down (clients get 1001, going away) and its Vert.x leaves
   * the cluster.
   */
  public void stop(Node node) {
    if (nodes.remove(node)) {
      Await.result(node.vertx().close());
    }
  }

  private Config hazelcastConfig(int port) {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // The default waits 5 s for other members before a node considers itself joined.
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (int p : memberPorts) {
      join.getTcpIpConfig().addMember("127.0.0.1:" + p);
    }
    return config;
  }

  /**
   * @return a member port free now, from this fork's own range (surefire's fork number, in
   *     {@code roomcast.fork}) below Linux's ephemeral ports (32768 and up): a port the OS picked
   *     free could be taken, before the node binds it, as the local port of any outgoing
   *     connection, and the other fork could pick it too (both seen: "Port [33731] is already
   *     in use"). 10000-11999: ProcessCluster's ports are 20000-29999, the bench's clusters'
   *     12000-19999.
   */
  private static int freePort() {
    int fork = Integer.getInteger("roomcast.fork", 1);
    int first = FIRST_MEMBER_PORT + Math.floorMod(fork - 1, FORK_RANGES) * PORTS_PER_FORK;
    for (int tries = 0; tries < PORTS_PER_FORK; tries++) {
      int port = first + Math.floorMod(NEXT_MEMBER_PORT.getAndIncrement(), PORTS_PER_FORK);
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        return port;
      } catch (IOException taken) {
        // in use, or lingering after an earlier node: the next one
      }
    }
    throw new AssertionError("no free member port in " + first + "-" + (first + PORTS_PER_FORK - 1));
  }

  @Override
  public void close() {
    for (Node node : new ArrayList<>(nodes)) {
      try {
        stop(node);
      } catch (RuntimeException | AssertionError e) {
        // Best effort: the JVM exits after the tests anyway.
      }
    }
  }
}
