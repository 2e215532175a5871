package io.roomcast.loadtests.simulations;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.rendezVous;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Users in pairs ({@code -Dusers}, even): each learns its partner's client id, then sends it
 * {@code -Dmessages} direct messages at {@code -Drate} per second, each acknowledged by the
 * server once the partner's node accepted it; at the end each user must have received all of
 * its partner's messages. With {@code -Dtargets} listing several nodes, partners sit on
 * different nodes, so every message crosses the cluster.
 */
public class DirectMessages extends LatencyReportingSimulation {

  /** Client ids by Gatling user id, so that partners find each other. */
  private static final Map<Long, String> IDS = new ConcurrentHashMap<>();

  private final int users = Chat.roundDown(Settings.integer("users", 100), 2);
  private final int messages = Settings.integer("messages", 20);
  private final double rate = Settings.decimal("rate", 2);
  private final Duration ramp = Settings.seconds("ramp", 5);

  private final ChainBuilder send = Roomcast.sendChecked("direct message", Roomcast.SENDER,
    session -> "{\"event\":\"dm\",\"to\":\"" + session.getString("partner") + "\",\"id\":" + session.getInt("requestId")
      + ",\"data\":" + Roomcast.payload(session) + "}");

  private final ScenarioBuilder pairs = scenario("direct messages")
    .exec(session -> {
      int node = (int) ((session.userId() - 1) % Settings.targets().size());
      return session.set("url", Settings.targets().get(node)).set("node", node);
    })
    .exec(Roomcast.connect(Roomcast.SENDER))
    .exec(Roomcast.connect(Roomcast.RECEIVER))
    .exec(session -> {
      IDS.put(session.userId(), session.getString(Roomcast.RECEIVER + "Id"));
      return session;
    })
    .exec(rendezVous(users))
    .exec(session -> {
      long partner = session.userId() % 2 == 1 ? session.userId() + 1 : session.userId() - 1;
      return session.set("partner", IDS.get(partner));
    })
    .exec(repeat(messages).on(pace(Duration.ofNanos((long) (1e9 / rate))).exec(send)))
    .exec(rendezVous(users))
    .pause(Duration.ofSeconds(1))
    .exec(Roomcast.collect("dm", Roomcast.RECEIVER))
    .exec(Roomcast.checkReceived(Roomcast.RECEIVER, session -> messages))
    .exec(Roomcast.close(Roomcast.SENDER))
    .exec(Roomcast.close(Roomcast.RECEIVER));

  {
    setUp(pairs.injectOpen(rampUsers(users).during(ramp)))
      .protocols(Roomcast.protocol())
      .assertions(global().failedRequests().count().is(0L));
  }

  @Override
  public void before() {
    IDS.clear();
    super.before();
  }
}
