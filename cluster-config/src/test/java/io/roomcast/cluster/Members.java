package io.roomcast.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Hazelcast members started from a shipped configuration for one test, all stopped by {@link #close()}. */
final class Members implements AutoCloseable {

  private final List<HazelcastInstance> started = new ArrayList<>();

  /** @return a cluster name no other run, in this JVM or another, shares */
  static String randomClusterName() {
    return "roomcast-test-" + UUID.randomUUID();
  }

  /** @return the shipped {@code loopback} configuration under {@code clusterName} */
  static Config loopback(String clusterName) {
    Config config = ClusterConfigs.load("loopback");
    config.setClusterName(clusterName);
    return config;
  }

  HazelcastInstance start(Config config) {
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    started.add(member);
    return member;
  }

  HazelcastInstance startLoopback(String clusterName) {
    return start(loopback(clusterName));
  }

  @Override
  public void close() {
    // terminate, not shutdown: a graceful leave migrates partitions and would only slow the suite.
    for (HazelcastInstance member : started) {
      if (member.getLifecycleService().isRunning()) {
        member.getLifecycleService().terminate();
      }
    }
    started.clear();
  }
}
