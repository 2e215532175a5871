package io.roomcast.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import java.io.IOException;

/** A Hazelcast member from the shipped {@code loopback} configuration in a process of its own, for crash tests. */
public final class MemberProcess {

  private MemberProcess() {
  }

  /**
   * Starts the member, prints {@code member ready <port>}, and stops when standard input closes.
   *
   * @param args the cluster name
   * @throws IOException when standard input cannot be read
   */
  public static void main(String[] args) throws IOException {
    Config config = ClusterConfigs.load("loopback");
    config.setClusterName(args[0]);
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    System.out.println("member ready " + member.getCluster().getLocalMember().getSocketAddress().getPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // The parent holds the pipe open; it closes it, or the process dies with it.
    }
    member.getLifecycleService().terminate();
  }
}
