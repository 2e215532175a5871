package io.roomcast.loadtests.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gateway nodes that the harness starts itself, from a gateway jar, as separate processes bound
 * to 127.0.0.1 on free ports, clustered through Hazelcast. Each cluster gets the jar's own
 * {@code loopback} configuration (or the file given) under a cluster name and a member port range
 * of its own, so that the clusters of a run never meet each other, the test suite's or a
 * developer's. The first node starts alone, the others together once it serves; the cluster is
 * ready when every node's {@code GET /admin/nodes} lists all of them.
 */
final class NodeCluster implements AutoCloseable {

  /** How to start the nodes of a cluster. */
  record Settings(
    /* the gateway jar */ Path jar,
    /* a Hazelcast file to narrow instead of the jar's loopback configuration, or null */ Path clusterConfig,
    /* the gateway's JSON configuration (--conf), or null */ Path conf,
    /* JVM options of every node */ List<String> javaOptions,
    /* the CPUs to pin the nodes to (taskset -c LIST), or null */ String cpus,
    /* where configurations and logs go */ Path logs) {
  }

  /** One node process. */
  static final class Node {
    final String name;
    final Process process;
    final Path log;
    int wsPort = -1;
    int managementPort = -1;
    String nodeId;

    Node(String name, Process process, Path log) {
      this.name = name;
      this.process = process;
      this.log = log;
    }

    URI url() {
      return URI.create("ws://127.0.0.1:" + wsPort + "/ws");
    }

    long pid() {
      return process.pid();
    }
  }

  private static final Pattern READY = Pattern.compile("roomcast ready ws=(\\d+) management=(\\d+) node=(\\S+)");
  /** Member ports per cluster: at most this many nodes. */
  static final int PORTS = 10;
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    // A harness stopped by a signal (bench.sh's time limit, ^C) leaves no node behind.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "churn-nodes-reaper"));
  }

  private final String name;
  private final Path dir;
  private final Path clusterConfig;
  private final List<Node> nodes = new ArrayList<>();

  private NodeCluster(String name, Path dir, Path clusterConfig) {
    this.name = name;
    this.dir = dir;
    this.clusterConfig = clusterConfig;
  }

  /**
   * Starts {@code count} nodes and waits until each serves and sees all the others.
   *
   * @param name names the cluster's files under the settings' log directory
   * @throws IllegalStateException when a node exits or is not ready in time (the nodes started so
   *     far are stopped)
   */
  static NodeCluster start(Settings settings, String name, int count, long timeoutMs) throws IOException {
    if (count < 1 || count > PORTS) {
      throw new IllegalArgumentException("a cluster has 1 to " + PORTS + " nodes, not " + count);
    }
    Path dir = Files.createDirectories(settings.logs().resolve(name));
    Path config = dir.resolve("cluster.xml");
    Files.writeString(config, ownCluster(settings), StandardCharsets.UTF_8);
    NodeCluster cluster = new NodeCluster(name, dir, config);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    try {
      // The first member alone, so that the others join it rather than race to be the first.
      cluster.launch(settings, config, dir, 1);
      cluster.awaitReady(cluster.nodes.get(0), deadline);
      for (int i = 2; i <= count; i++) {
        cluster.launch(settings, config, dir, i);
      }
      for (Node node : cluster.nodes) {
        cluster.awaitReady(node, deadline);
      }
      cluster.awaitMembers(deadline);
      return cluster;
    } catch (RuntimeException | IOException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * @return the cluster's own Hazelcast configuration ({@link #ownCluster}, written as
   *     {@code cluster.xml} in {@link #dir()}): another process given it joins this cluster
   */
  Path clusterConfig() {
    return clusterConfig;
  }

  /** @return the directory of the cluster's configuration and logs */
  Path dir() {
    return dir;
  }

  /** @return the nodes, in the order they were started */
  List<Node> nodes() {
    return nodes;
  }

  /** @return the nodes as the harness's target: their URLs and pids */
  Target target() {
    return new Target(ServerKind.ROOMCAST, nodes.stream().map(Node::url).toList(), nodes.stream().map(Node::pid).toList());
  }

  /** @return the target made of every node but {@code index} */
  Target without(int index) {
    List<Node> rest = new ArrayList<>(nodes);
    rest.remove(index);
    return new Target(ServerKind.ROOMCAST, rest.stream().map(Node::url).toList(), rest.stream().map(Node::pid).toList());
  }

  /** Kills a node with SIGKILL, as {@code kill -9} does. */
  void kill(int index) {
    nodes.get(index).process.destroyForcibly();
  }

  /** SIGTERM to every node at once, then SIGKILL to those not gone within 10 s. */
  @Override
  public void close() {
    for (Node node : nodes) {
      node.process.destroy();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (Node node : nodes) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !node.process.waitFor(left, TimeUnit.NANOSECONDS)) {
          node.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        node.process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      LIVE.remove(node.process);
    }
  }

  /**
   * The jar's loopback configuration (or the file given) with a cluster name of its own and
   * {@link #PORTS} member ports from a random base of its own; fails loudly when the
   * configuration no longer has the shape this relies on.
   */
  static String ownCluster(Settings settings) throws IOException {
    String xml = settings.clusterConfig() != null
      ? Files.readString(settings.clusterConfig(), StandardCharsets.UTF_8)
      : LoopbackConfig.shipped(settings.jar());
    // Below the ephemeral ports (32768 up) and apart from the test suites' clusters (10000-11999, 20000-29999).
    int base = 12000 + ThreadLocalRandom.current().nextInt(0, 800) * PORTS;
    try {
      return LoopbackConfig.own(xml, "roomcast-churn-" + UUID.randomUUID(), base, PORTS);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the cluster configuration of " + (settings.clusterConfig() != null
        ? settings.clusterConfig() : settings.jar()) + " is " + e.getMessage() + ": give one with --cluster-config", e);
    }
  }

  private void launch(Settings settings, Path config, Path dir, int i) throws IOException {
    String node = "node-" + i;
    Path log = dir.resolve(node + ".log");
    List<String> command = new ArrayList<>();
    if (settings.cpus() != null) {
      // taskset execs java: the pid stays the node's own.
      command.addAll(List.of("taskset", "-c", settings.cpus()));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(settings.javaOptions());
    // GC pauses to a log of their own: the first suspect of a latency spike.
    command.add("-Xlog:gc:file=" + dir.resolve(node + "-gc.log") + ":uptime");
    command.addAll(List.of("-jar", settings.jar().toString(), "--cluster", "--cluster-config", config.toString(),
      "--host", "127.0.0.1", "--port", "0", "--management-port", "0"));
    if (settings.conf() != null) {
      command.addAll(List.of("--conf", settings.conf().toString()));
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
      .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    LIVE.add(p);
    nodes.add(new Node(name + "/" + node, p, log));
  }

  private void awaitReady(Node node, long deadline) throws IOException {
    while (System.nanoTime() < deadline) {
      Matcher m = READY.matcher(Files.readString(node.log, StandardCharsets.UTF_8));
      if (m.find()) {
        node.wsPort = Integer.parseInt(m.group(1));
        node.managementPort = Integer.parseInt(m.group(2));
        node.nodeId = m.group(3);
        return;
      }
      if (!node.process.isAlive()) {
        throw new IllegalStateException(node.name + " exited (" + node.process.exitValue() + ") before it was ready; see " + node.log);
      }
      Pause.seconds(0.05);
    }
    throw new IllegalStateException(node.name + " was not ready in time; see " + node.log);
  }

  private void awaitMembers(long deadline) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (Node node : nodes) {
      int seen = -1;
      while (seen != nodes.size()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(node.name + " saw " + seen + " of " + nodes.size() + " nodes in time; see " + node.log);
        }
        seen = members(http, node);
        if (seen != nodes.size()) {
          Pause.seconds(0.1);
        }
      }
    }
  }

  private static int members(HttpClient http, Node node) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + node.managementPort + "/admin/nodes")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return -1;
      }
      JsonNode body = Results.JSON.readTree(response.body());
      return body.path("nodes").size();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
