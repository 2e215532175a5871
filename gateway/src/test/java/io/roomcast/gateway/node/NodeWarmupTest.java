package io.roomcast.gateway.node;

import io.roomcast.gateway.testing.Await;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The warm-up runs its clients through the handshake (one in four also through a join and a
 * publish with its reply) and a fan-out in rooms of many members on a gateway of its own, and
 * tells how many made it.
 */
class NodeWarmupTest {

  @Test
  void everyClientMakesItThroughItsPath() {
    NodeWarmup.Report report = Await.result(NodeWarmup.run(100));
    System.out.println("warm-up of 100 clients: " + report);
    assertEquals(100, report.connections());
    assertEquals(100, report.completed());
    assertEquals(0, report.failed());
    // Eight rooms of 12: each publisher's 100 publishes (as many as the clients asked) reach the other 11 members.
    assertTrue(report.fanoutDeliveries() >= 8L * 100 * 11, "fan-out deliveries: " + report.fanoutDeliveries());
  }

  @Test
  void noneAskedRunsNone() {
    NodeWarmup.Report report = Await.result(NodeWarmup.run(0));
    assertEquals(0, report.completed());
  }
}
