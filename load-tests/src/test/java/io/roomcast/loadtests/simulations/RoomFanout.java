package io.roomcast.loadtests.simulations;

import io.gatling.javaapi.core.ScenarioBuilder;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * {@code -Drooms} rooms of {@code -Dmembers} receiving members each, and {@code -Dpublishers}
 * publishers per room, each sending {@code -Drate} messages per second for {@code -Dduration}
 * seconds. Members join during {@code -Dramp} seconds; publishers start once they all have.
 * Every member must receive every message of its room's publishers ("deliveries complete" is KO
 * otherwise); delivery latency comes from the payload's timestamps (see {@link DeliveryLatency}).
 */
public class RoomFanout extends LatencyReportingSimulation {

  private final int rooms = Settings.integer("rooms", 10);
  private final int members = Settings.integer("members", 100);
  private final int publishersPerRoom = Settings.integer("publishers", 1);
  private final double rate = Settings.decimal("rate", 10);
  private final Duration duration = Settings.seconds("duration", 30);
  private final Duration ramp = Settings.seconds("ramp", 10);
  private final int messages = (int) Math.max(1, Math.round(rate * duration.toMillis() / 1000.0));
  private final int expected = publishersPerRoom * messages;
  private final Duration setUpTime = ramp.plusSeconds(3);
  private final long deadlineMs = setUpTime.plus(duration).plusSeconds(20).toMillis();

  private final ScenarioBuilder receivers = scenario("members")
    .exec(session -> session.set("url", Settings.target()).set("room", "fanout-" + session.userId() % rooms))
    .exec(Roomcast.connect(Roomcast.RECEIVER))
    .exec(Roomcast.join(Roomcast.RECEIVER))
    .exec(session -> session.set("until", System.currentTimeMillis() + deadlineMs))
    .exec(asLongAs(session -> session.getInt("received") < expected && System.currentTimeMillis() < session.getLong("until"))
      .on(pace(Duration.ofMillis(250)).exec(Roomcast.collect("fanout", Roomcast.RECEIVER))))
    .exec(Roomcast.checkReceived(Roomcast.RECEIVER, session -> expected))
    .exec(Roomcast.close(Roomcast.RECEIVER));

  private final ScenarioBuilder publishers = scenario("publishers")
    .exec(session -> session.set("url", Settings.target()).set("room", "fanout-" + session.userId() % rooms))
    .exec(Roomcast.connect(Roomcast.SENDER))
    .exec(Roomcast.join(Roomcast.SENDER))
    .exec(repeat(messages).on(pace(Duration.ofNanos((long) (1e9 / rate))).exec(Roomcast.publish("fanout", Roomcast.SENDER))))
    .exec(Roomcast.close(Roomcast.SENDER));

  {
    setUp(
      receivers.injectOpen(rampUsers(rooms * members).during(ramp)),
      publishers.injectOpen(nothingFor(setUpTime), atOnceUsers(rooms * publishersPerRoom)))
      .protocols(Roomcast.protocol())
      .assertions(global().failedRequests().count().is(0L));
  }
}
