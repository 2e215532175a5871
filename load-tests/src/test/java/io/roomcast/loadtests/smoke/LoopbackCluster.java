package io.roomcast.loadtests.smoke;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A copy of the shipped {@code loopback} cluster configuration under a cluster name of its own,
 * so that the smoke nodes never join another cluster running on this machine (clusters share
 * the ports 5701-5720 but join only by name).
 */
final class LoopbackCluster {

  private LoopbackCluster() {
  }

  static Path write(Path dir) throws IOException {
    Path shipped = Path.of(System.getProperty("roomcast.loopback.config",
      "../cluster-config/src/main/resources/roomcast/cluster/loopback.xml"));
    String xml = Files.readString(shipped, StandardCharsets.UTF_8);
    String name = "roomcast-smoke-" + UUID.randomUUID();
    String renamed = xml.replace("<cluster-name>roomcast</cluster-name>", "<cluster-name>" + name + "</cluster-name>");
    if (renamed.equals(xml)) {
      throw new IllegalStateException("no <cluster-name>roomcast</cluster-name> in " + shipped);
    }
    Files.createDirectories(dir);
    Path file = dir.resolve("cluster.xml");
    Files.writeString(file, renamed, StandardCharsets.UTF_8);
    return file;
  }
}
