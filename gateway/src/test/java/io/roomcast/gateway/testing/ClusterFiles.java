package io.roomcast.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The shipped {@code loopback} cluster configuration as a file under a cluster name of its own,
 * for nodes started with {@code --cluster-config FILE}: nodes of one test find each other and
 * never a cluster someone else runs on this machine.
 */
public final class ClusterFiles {

  private ClusterFiles() {
  }

  /** @return a new file in target/ holding the loopback configuration under a random cluster name */
  public static Path privateLoopback() {
    try (InputStream in = ClusterFiles.class.getClassLoader().getResourceAsStream("roomcast/cluster/loopback.xml")) {
      if (in == null) {
        throw new AssertionError("roomcast/cluster/loopback.xml is not on the class path");
      }
      String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String renamed = xml.replace("<cluster-name>roomcast</cluster-name>", "<cluster-name>roomcast-test-" + UUID.randomUUID() + "</cluster-name>");
      if (renamed.equals(xml)) {
        throw new AssertionError("the loopback configuration no longer names its cluster \"roomcast\"");
      }
      Path dir = Files.createDirectories(Path.of("target", "cluster-configs"));
      return Files.writeString(Files.createTempFile(dir, "loopback-", ".xml"), renamed).toAbsolutePath();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
