package io.roomcast.loadtests.simulations;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Ramps to {@code -Dusers} connections over {@code -Dramp} seconds; each is welcomed, answers a
 * ping, then stays connected and idle for {@code -Dduration} seconds (Gatling's client answers
 * the server's heartbeat pings), and closes.
 */
public class ConnectAndIdle extends Simulation {

  private static final String SOCKET = "idle";

  private final int users = Settings.integer("users", 1000);
  private final Duration ramp = Settings.seconds("ramp", 10);
  private final Duration hold = Settings.seconds("duration", 30);

  private final ScenarioBuilder idle = scenario("connect and idle")
    .exec(session -> session.set("url", Settings.target()))
    .exec(Roomcast.connect(SOCKET))
    .exec(Roomcast.sendChecked("ping", SOCKET, session -> "{\"event\":\"ping\",\"id\":" + session.getInt("requestId") + "}"))
    .pause(hold)
    .exec(Roomcast.close(SOCKET));

  {
    setUp(idle.injectOpen(rampUsers(users).during(ramp)))
      .protocols(Roomcast.protocol())
      .assertions(global().failedRequests().count().is(0L));
  }
}
