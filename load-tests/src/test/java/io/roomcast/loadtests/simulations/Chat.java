package io.roomcast.loadtests.simulations;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.rendezVous;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Chat rooms of {@code -Dmembers} users ({@code -Dusers} in all, a multiple of members): each
 * user joins its room, waits for everyone to have joined, then sends {@code -Dmessages} messages
 * at {@code -Drate} per second, each checked by the server's reply; at the end every user must
 * have received every member's messages ("deliveries complete" is KO otherwise). A user sends on
 * one socket and counts on another (see {@link Roomcast}), so its receiver gets its own sender's
 * messages too: members x messages in all.
 */
public class Chat extends Simulation {

  private final int members = Settings.integer("members", 5);
  private final int users = roundDown(Settings.integer("users", 100), members);
  private final int messages = Settings.integer("messages", 20);
  private final double rate = Settings.decimal("rate", 2);
  private final Duration ramp = Settings.seconds("ramp", 5);

  private final ScenarioBuilder chat = scenario("chat")
    .exec(session -> session.set("url", Settings.target()).set("room", "chat-" + (session.userId() - 1) / members))
    .exec(Roomcast.connect(Roomcast.SENDER))
    .exec(Roomcast.join(Roomcast.SENDER))
    .exec(Roomcast.connect(Roomcast.RECEIVER))
    .exec(Roomcast.join(Roomcast.RECEIVER))
    .exec(rendezVous(users))
    .exec(repeat(messages).on(pace(Duration.ofNanos((long) (1e9 / rate))).exec(Roomcast.publishChecked("chat", Roomcast.SENDER))))
    .exec(rendezVous(users))
    .pause(Duration.ofSeconds(1))
    .exec(Roomcast.collect("chat", Roomcast.RECEIVER))
    .exec(Roomcast.checkReceived(Roomcast.RECEIVER, session -> members * messages))
    .exec(Roomcast.close(Roomcast.SENDER))
    .exec(Roomcast.close(Roomcast.RECEIVER));

  {
    setUp(chat.injectOpen(rampUsers(users).during(ramp)))
      .protocols(Roomcast.protocol())
      .assertions(global().failedRequests().count().is(0L));
  }

  static int roundDown(int users, int group) {
    return Math.max(group, users / group * group);
  }

  @Override
  public void before() {
    DeliveryLatency.reset();
  }

  @Override
  public void after() {
    DeliveryLatency.report(getClass().getSimpleName());
  }
}
