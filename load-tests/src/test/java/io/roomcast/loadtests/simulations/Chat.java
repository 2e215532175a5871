package io.roomcast.loadtests.simulations;

import io.gatling.javaapi.core.ScenarioBuilder;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Chat rooms of {@code -Dmembers} users ({@code -Dusers} in all, a multiple of members): each
 * user joins its room, waits for everyone to have joined, then sends {@code -Dmessages} messages
 * at {@code -Drate} per second, each checked by the server's reply; at the end every user must
 * have received every member's messages ("deliveries complete" is KO otherwise). A user sends on
 * one socket and counts on another (see {@link Roomcast}), so its receiver gets its own sender's
 * messages too: members x messages in all.
 */
public class Chat extends LatencyReportingSimulation {

  private final int members = Settings.integer("members", 5);
  private final int users = roundDown(Settings.integer("users", 100), members);
  private final int messages = Settings.integer("messages", 20);
  private final double rate = Settings.decimal("rate", 2);
  private final Duration ramp = Settings.seconds("ramp", 5);

  private final ScenarioBuilder chat = scenario("chat")
    .exec(session -> session.set("url", Settings.target()).set("room", "chat-" + (session.userId() - 1) / members))
    .exec(Roomcast.chatRound("chat", users, members, messages, rate));

  {
    setUp(chat.injectOpen(rampUsers(users).during(ramp)))
      .protocols(Roomcast.protocol())
      .assertions(global().failedRequests().count().is(0L));
  }

  static int roundDown(int users, int group) {
    return Math.max(group, users / group * group);
  }
}
