package io.roomcast.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gateway nodes from the built jar in their own processes, clustered with the shipped
 * {@code loopback} configuration narrowed for a test: a cluster name of its own and a small
 * port range of its own, so that concurrent runs never meet and a node that was declared dead
 * finds its way back quickly (the merge search probes every port of the range).
 */
public final class ProcessCluster implements AutoCloseable {

  private static final int PORTS = 6;

  private final Path config;
  private final List<NodeProcess> nodes = new ArrayList<>();

  private ProcessCluster(Path config) {
    this.config = config;
  }

  /** Writes a configuration for a new cluster; starts no node. */
  public static ProcessCluster create() {
    int base = 20000 + ThreadLocalRandom.current().nextInt(0, 1000) * 10;
    try (InputStream in = ProcessCluster.class.getClassLoader().getResourceAsStream("roomcast/cluster/loopback.xml")) {
      if (in == null) {
        throw new AssertionError("the loopback configuration is not on the classpath");
      }
      String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8)
        .replace("<cluster-name>roomcast</cluster-name>", "<cluster-name>roomcast-it-" + UUID.randomUUID() + "</cluster-name>")
        .replace("port-count=\"20\">5701</port>", "port-count=\"" + PORTS + "\">" + base + "</port>")
        .replace("\"hazelcast.tcp.join.port.try.count\">20<", "\"hazelcast.tcp.join.port.try.count\">" + PORTS + "<");
      if (!xml.contains(">" + base + "</port>") || !xml.contains("try.count\">" + PORTS + "<")) {
        throw new AssertionError("the loopback configuration changed shape: update ProcessCluster");
      }
      Path dir = Files.createDirectories(Path.of("target", "node-logs"));
      Path file = Files.createTempFile(dir, "cluster-", ".xml");
      Files.writeString(file, xml);
      return new ProcessCluster(file);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Starts a node, waits for its ready line. */
  public NodeProcess start(String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("--cluster", "--cluster-config", config.toString()));
    args.addAll(List.of(extraArgs));
    NodeProcess node = NodeProcess.launch(withFreePorts(args), Map.of());
    nodes.add(node);
    node.awaitReady(Duration.ofSeconds(90));
    return node;
  }

  private static List<String> withFreePorts(List<String> args) {
    List<String> all = new ArrayList<>(List.of("--port", "0", "--management-port", "0", "--host", "127.0.0.1"));
    all.addAll(args);
    return all;
  }

  public List<NodeProcess> nodes() {
    return List.copyOf(nodes);
  }

  @Override
  public void close() {
    nodes.forEach(NodeProcess::close);
  }
}
