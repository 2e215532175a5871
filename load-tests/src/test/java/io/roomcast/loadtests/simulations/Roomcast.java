package io.roomcast.loadtests.simulations;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.Ws;

import java.time.Duration;
import java.util.function.Function;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.rendezVous;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.ws;

/**
 * The steps of Roomcast's protocol (docs/PROTOCOL.md) as Gatling chains, shared by the
 * simulations. A virtual user may hold two sockets: Gatling drops every frame that arrives while
 * a check awaits another, so a user that both sends with checked replies and must count its
 * deliveries sends on {@link #SENDER} and receives on {@link #RECEIVER}, which never awaits
 * anything after its join.
 */
final class Roomcast {

  /** The socket that sends with checked replies. */
  static final String SENDER = "sender";
  /** The socket whose deliveries are counted and timed. */
  static final String RECEIVER = "receiver";
  /** How long a reply or the welcome may take before the step is KO. */
  static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

  private Roomcast() {
  }

  /** WebSocket settings: frames that no check awaits are kept for {@link DeliveryLatency}. */
  static HttpProtocolBuilder protocol() {
    return http.wsUnmatchedInboundMessageBufferSize(Settings.integer("bufferedFrames", 100_000));
  }

  private static Ws socket(String request, String socket) {
    return ws(request + " (" + socket + ")").wsName(socket);
  }

  /**
   * Connects {@code socket} to the session's {@code url} and saves the welcome's client id as
   * {@code <socket>Id}.
   */
  static ChainBuilder connect(String socket) {
    return exec(session -> session.set("received", 0).set("requestId", 0))
      .exec(socket("connect", socket).connect("#{url}").subprotocol("roomcast.v1.json")
        .await(REPLY_TIMEOUT).on(ws.checkTextMessage("welcome")
          .matching(jsonPath("$.event").is("welcome"))
          .check(jsonPath("$.data.id").saveAs(socket + "Id"))));
  }

  /** Joins the session's {@code room} on {@code socket}; KO unless the reply says ok. */
  static ChainBuilder join(String socket) {
    return exec(socket("join", socket).sendText("{\"event\":\"join\",\"room\":\"#{room}\",\"id\":\"join\"}")
      .await(REPLY_TIMEOUT).on(ws.checkTextMessage("joined")
        .matching(jsonPath("$.id").is("join"))
        .check(jsonPath("$.status").is("ok"))));
  }

  /** @return a payload with the send time and the sender's node, for {@link DeliveryLatency} */
  static String payload(Session session) {
    int node = session.contains("node") ? session.getInt("node") : 0;
    return "{\"t\":" + System.currentTimeMillis() + ",\"n\":" + node + "}";
  }

  /** Sends a frame built with the next request id on {@code socket}; KO unless its reply says ok. */
  static ChainBuilder sendChecked(String request, String socket, Function<Session, String> frame) {
    return exec(session -> session.set("requestId", session.getInt("requestId") + 1))
      .exec(socket(request, socket).sendText(frame)
        .await(REPLY_TIMEOUT).on(ws.checkTextMessage("replied")
          .matching(jsonPath("$.event").is("reply"), jsonPath("$.id").ofInt().is(session -> session.getInt("requestId")))
          .check(jsonPath("$.status").is("ok"))));
  }

  /** Publishes {@code event} to the session's room on {@code socket}; KO unless the reply says ok. */
  static ChainBuilder publishChecked(String event, String socket) {
    return sendChecked("publish " + event, socket, session -> "{\"event\":\"" + event + "\",\"room\":\""
      + session.getString("room") + "\",\"id\":" + session.getInt("requestId") + ",\"data\":" + payload(session) + "}");
  }

  /** Publishes {@code event} to the session's room, fire and forget (what a fan-out publisher does). */
  static ChainBuilder publish(String event, String socket) {
    return exec(socket("publish " + event, socket).sendText(session -> "{\"event\":\"" + event + "\",\"room\":\""
      + session.getString("room") + "\",\"data\":" + payload(session) + "}"));
  }

  /** Counts and times the deliveries of {@code event} that {@code socket} received since the last call. */
  static ChainBuilder collect(String event, String socket) {
    return exec(ws.processUnmatchedMessages(socket, (messages, session) -> DeliveryLatency.record(messages, session, event)));
  }

  /**
   * A request whose check passes only when the session received {@code expected} deliveries:
   * the count travels as the id of a ping, and the reply's id is compared with what was due, so
   * a missing or extra delivery shows as a KO in Gatling's report.
   */
  static ChainBuilder checkReceived(String socket, Function<Session, Integer> expected) {
    return exec(socket("deliveries complete", socket).sendText("{\"event\":\"ping\",\"id\":#{received}}")
      .await(REPLY_TIMEOUT).on(ws.checkTextMessage("all delivered")
        .matching(jsonPath("$.event").is("reply"))
        .check(jsonPath("$.id").ofInt().is(expected))));
  }

  /**
   * A chat round for a session whose {@code url} and {@code room} are set: both sockets connect
   * and join, all {@code users} wait for each other, the sender publishes {@code messages}
   * checked messages at {@code rate} per second, and the receiver must then have every member's
   * messages ({@code members} x {@code messages}, its own sender's included) before both close.
   */
  static ChainBuilder chatRound(String event, int users, int members, int messages, double rate) {
    return exec(connect(SENDER))
      .exec(join(SENDER))
      .exec(connect(RECEIVER))
      .exec(join(RECEIVER))
      .exec(rendezVous(users))
      .exec(repeat(messages).on(pace(Duration.ofNanos((long) (1e9 / rate))).exec(publishChecked(event, SENDER))))
      .exec(rendezVous(users))
      .pause(Duration.ofSeconds(1))
      .exec(collect(event, RECEIVER))
      .exec(checkReceived(RECEIVER, session -> members * messages))
      .exec(close(SENDER))
      .exec(close(RECEIVER));
  }

  /** Closes {@code socket} with 1000. */
  static ChainBuilder close(String socket) {
    return exec(socket("close", socket).close());
  }
}
