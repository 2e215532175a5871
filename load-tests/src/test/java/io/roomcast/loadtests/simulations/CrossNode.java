package io.roomcast.loadtests.simulations;

import io.gatling.javaapi.core.ScenarioBuilder;

import java.time.Duration;
import java.util.List;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Rooms of {@code -Dmembers} users spread over the nodes of {@code -Dtargets} (user i on node
 * i mod N, so every room has members on every node): each user publishes {@code -Dmessages}
 * messages at {@code -Drate} per second, each acknowledged, and must receive every member's
 * messages (members x messages, see {@link Chat}), wherever they were published. Delivery
 * latency is reported apart for deliveries within a node and across nodes.
 */
public class CrossNode extends LatencyReportingSimulation {

  private final List<String> targets = Settings.targets();
  private final int members = Settings.integer("members", 10);
  private final int users = Chat.roundDown(Settings.integer("users", 100), members);
  private final int messages = Settings.integer("messages", 20);
  private final double rate = Settings.decimal("rate", 2);
  private final Duration ramp = Settings.seconds("ramp", 5);

  private final ScenarioBuilder spread = scenario("cross-node rooms")
    .exec(session -> {
      int node = (int) ((session.userId() - 1) % targets.size());
      return session.set("url", targets.get(node)).set("node", node)
        .set("room", "cross-" + (session.userId() - 1) / members);
    })
    .exec(Roomcast.chatRound("cross", users, members, messages, rate));

  {
    if (targets.size() < 2) {
      System.err.println("CrossNode: -Dtargets names one node; every delivery will be local");
    }
    setUp(spread.injectOpen(rampUsers(users).during(ramp)))
      .protocols(Roomcast.protocol())
      .assertions(global().failedRequests().count().is(0L));
  }
}
