package io.roomcast.loadtests.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeClusterTest {

  private static final Path SHIPPED = Path.of("../cluster-config/src/main/resources/roomcast/cluster/loopback.xml");

  private static NodeCluster.Settings settings(Path clusterConfig) {
    return new NodeCluster.Settings(Path.of("unused.jar"), clusterConfig, null, List.of(), null, Path.of("target"));
  }

  @Test
  void eachClusterGetsANameAndMemberPortsOfItsOwn() throws Exception {
    String first = NodeCluster.ownCluster(settings(SHIPPED));
    String second = NodeCluster.ownCluster(settings(SHIPPED));
    assertFalse(first.contains("<cluster-name>roomcast</cluster-name>"));
    assertNotEquals(name(first), name(second));
    Matcher port = Pattern.compile("port-count=\"" + NodeCluster.PORTS + "\">(\\d+)</port>").matcher(first);
    assertTrue(port.find(), first);
    int base = Integer.parseInt(port.group(1));
    // Below the ephemeral ports, and apart from the test suite's clusters (20000-29999).
    assertTrue(base >= 12000 && base + NodeCluster.PORTS <= 20000, "base " + base);
    assertTrue(first.contains("\"hazelcast.tcp.join.port.try.count\">" + NodeCluster.PORTS + "<"));
  }

  @Test
  void aConfigurationOfAnotherShapeIsRefused(@TempDir Path dir) throws Exception {
    Path other = dir.resolve("other.xml");
    Files.writeString(other, Files.readString(SHIPPED).replace("5701", "6701"));
    assertThrows(IllegalArgumentException.class, () -> NodeCluster.ownCluster(settings(other)));
  }

  private static String name(String xml) {
    Matcher m = Pattern.compile("<cluster-name>([^<]+)</cluster-name>").matcher(xml);
    assertTrue(m.find());
    return m.group(1);
  }

  @Test
  void aStormClientIsInItsOwnRoomAndTwoDistinctSharedOnes() {
    for (int shared : new int[] {2, 3, 100}) {
      int[] members = new int[shared];
      for (int i = 0; i < 10_000; i++) {
        String[] rooms = StormMode.roomsOf(i, shared);
        assertEquals("user:" + i, rooms[0]);
        assertNotEquals(rooms[1], rooms[2], "client " + i + " of " + shared);
        members[Integer.parseInt(rooms[1].substring("shared:".length()))]++;
        members[Integer.parseInt(rooms[2].substring("shared:".length()))]++;
      }
      for (int n : members) {
        assertEquals(20_000.0 / shared, n, 20_000.0 / shared / 2, "shared rooms of about equal size");
      }
    }
  }
}
