package io.roomcast.examples;

import io.roomcast.loadtests.bench.LoopbackConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A cluster configuration of the test's own, as the gateway's ProcessCluster writes it: the shipped
 * {@code loopback} configuration, taken from the gateway jar the nodes run, with a cluster name of
 * its own and a small member port range of its own, so that the test's processes never meet those
 * of another run or of a cluster someone started on this machine.
 */
final class ClusterConfig {

  /** Member ports of the range: the test runs at most five processes at once. */
  static final int PORTS = 6;

  private ClusterConfig() {
  }

  /** Writes a configuration for a new cluster under target/process-logs/; @return its path */
  static Path write(Path gatewayJar) {
    // The gateway's ProcessCluster's range, 20000-29999: the two never run at once.
    int base = 20000 + ThreadLocalRandom.current().nextInt(0, 1000) * 10;
    try {
      String xml = LoopbackConfig.own(LoopbackConfig.shipped(gatewayJar), "roomcast-it-" + UUID.randomUUID(), base, PORTS);
      Files.createDirectories(ChildProcess.LOGS);
      Path file = Files.createTempFile(ChildProcess.LOGS, "cluster-", ".xml");
      Files.writeString(file, xml);
      return file.toAbsolutePath();
    } catch (IOException e) {
      throw new AssertionError("could not write a cluster configuration from " + gatewayJar, e);
    }
  }
}
