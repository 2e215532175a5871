package io.roomcast.cluster;

import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Real members from the shipped {@code loopback} configuration, each test under a cluster name of its own. */
@Timeout(60)
class LoopbackClusterTest {

  private final Members members = new Members();

  @AfterEach
  void stopMembers() {
    members.close();
  }

  @Test
  void twoMembersFormAClusterAndAnEntryPutOnOneIsReadOnTheOther() {
    String name = Members.randomClusterName();
    HazelcastInstance first = members.startLoopback(name);
    long start = System.nanoTime();
    HazelcastInstance second = members.startLoopback(name);
    System.out.printf("loopback: second member joined in %d ms%n", (System.nanoTime() - start) / 1_000_000);

    assertEquals(2, second.getCluster().getMembers().size(), "the joining member sees both");
    Deadline.await(Duration.ofSeconds(10), () -> first.getCluster().getMembers().size() == 2,
        () -> "first member sees " + first.getCluster().getMembers());

    first.getMap("rooms").put("lobby", "node-1");
    assertEquals("node-1", second.getMap("rooms").get("lobby"));
  }

  @Test
  void aMemberWithAnotherClusterNameDoesNotJoin() {
    String name = Members.randomClusterName();
    HazelcastInstance first = members.startLoopback(name);
    HazelcastInstance stranger = members.startLoopback(Members.randomClusterName());

    // newHazelcastInstance returns once the join phase is over: a stranger that was let in would be counted now.
    assertEquals(1, stranger.getCluster().getMembers().size(), () -> "stranger sees " + stranger.getCluster().getMembers());
    assertEquals(1, first.getCluster().getMembers().size(), () -> "first sees " + first.getCluster().getMembers());

    // The stranger was refused for its name, not missed: a member with the right name is found.
    HazelcastInstance third = members.startLoopback(name);
    assertEquals(2, third.getCluster().getMembers().size(), () -> "third sees " + third.getCluster().getMembers());
    assertEquals(1, stranger.getCluster().getMembers().size(), () -> "stranger sees " + stranger.getCluster().getMembers());
  }

  @Test
  void aKilledMemberDropsOutOfTheOthersMemberListWithinSeconds() {
    String name = Members.randomClusterName();
    HazelcastInstance survivor = members.startLoopback(name);
    HazelcastInstance victim = members.startLoopback(name);
    Deadline.await(Duration.ofSeconds(10), () -> survivor.getCluster().getMembers().size() == 2,
        () -> "survivor sees " + survivor.getCluster().getMembers());

    // terminate(): no graceful leave, no partition hand-off, sockets closed as by a killed process.
    victim.getLifecycleService().terminate();
    Duration dropped = Deadline.await(Duration.ofSeconds(10), () -> survivor.getCluster().getMembers().size() == 1,
        () -> "survivor still sees " + survivor.getCluster().getMembers());
    System.out.printf("loopback: terminated member dropped out after %d ms%n", dropped.toMillis());
  }

  @Test
  void theMemberPortListensOn127001AndOnNoOtherAddress() throws IOException {
    HazelcastInstance member = members.startLoopback(Members.randomClusterName());
    InetSocketAddress address = member.getCluster().getLocalMember().getSocketAddress();
    assertEquals("127.0.0.1", address.getAddress().getHostAddress());

    // The probe can see a listener: it connects on loopback.
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 2_000);
    }

    List<InetAddress> others = otherAddresses();
    assumeFalse(others.isEmpty(), "this machine has no address but loopback to probe");
    for (InetAddress other : others) {
      assertThrows(IOException.class, () -> {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(other, address.getPort()), 2_000);
        }
      }, "port " + address.getPort() + " answers on " + other.getHostAddress());
    }
  }

  /** The IPv4 addresses of this machine's interfaces that are up, loopback excepted. */
  private static List<InetAddress> otherAddresses() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .filter(nic -> {
          try {
            return nic.isUp() && !nic.isLoopback();
          } catch (SocketException e) {
            return false;
          }
        })
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
        .collect(Collectors.toList());
  }
}
