package io.roomcast.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A cluster configuration of the test's own, as the gateway's ProcessCluster writes it: the shipped
 * {@code loopback} configuration, taken from the gateway jar the nodes run, with a cluster name of
 * its own and a small member port range of its own, so that the test's processes never meet those
 * of another run or of a cluster someone started on this machine.
 */
final class ClusterConfig {

  /** Member ports of the range: the test runs at most five processes at once. */
  static final int PORTS = 6;

  private static final String ENTRY = "roomcast/cluster/loopback.xml";

  private ClusterConfig() {
  }

  /** Writes a configuration for a new cluster under target/process-logs/; @return its path */
  static Path write(Path gatewayJar) {
    int base = 20000 + ThreadLocalRandom.current().nextInt(0, 1000) * 10;
    try (JarFile jar = new JarFile(gatewayJar.toFile())) {
      JarEntry entry = jar.getJarEntry(ENTRY);
      if (entry == null) {
        throw new AssertionError(gatewayJar + " has no " + ENTRY);
      }
      String shipped;
      try (InputStream in = jar.getInputStream(entry)) {
        shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String xml = shipped
        .replace("<cluster-name>roomcast</cluster-name>", "<cluster-name>roomcast-it-" + UUID.randomUUID() + "</cluster-name>")
        .replace("port-count=\"20\">5701</port>", "port-count=\"" + PORTS + "\">" + base + "</port>")
        .replace("\"hazelcast.tcp.join.port.try.count\">20<", "\"hazelcast.tcp.join.port.try.count\">" + PORTS + "<");
      if (!xml.contains("<cluster-name>roomcast-it-") || !xml.contains(">" + base + "</port>")
        || !xml.contains("try.count\">" + PORTS + "<")) {
        throw new AssertionError("the loopback configuration changed shape: update ClusterConfig (and the gateway's ProcessCluster)");
      }
      Files.createDirectories(ChildProcess.LOGS);
      Path file = Files.createTempFile(ChildProcess.LOGS, "cluster-", ".xml");
      Files.writeString(file, xml);
      return file.toAbsolutePath();
    } catch (IOException e) {
      throw new AssertionError("could not write a cluster configuration from " + gatewayJar, e);
    }
  }
}
