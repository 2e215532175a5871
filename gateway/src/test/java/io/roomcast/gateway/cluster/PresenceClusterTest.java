package io.roomcast.gateway.cluster;

import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.Presence;
import io.roomcast.gateway.PresenceMember;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.TestCluster;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presence across clustered nodes in this JVM (PROTOCOL.md section 7): rosters with users and
 * info that every node answers alike, events to the other members, a user's connections counted
 * once, the user operations of the hub, a node that leaves and one that arrives late.
 */
@ExtendWith(VertxExtension.class)
class PresenceClusterTest {

  private static final String ROOM = "team:1";

  private TestCluster cluster;
  private final List<TestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(c -> {
      try {
        c.close();
      } catch (RuntimeException | AssertionError ignored) {
        // closed by the test
      }
    });
    if (cluster != null) {
      cluster.close();
    }
  }

  private static GatewayOptions options() {
    return new GatewayOptions().setHubs(List.of(new HubOptions().setPresence(List.of("team:*", "stage:*"))
      .setPresenceEvents(List.of("team:*"))));
  }

  /** Every connection's user is the token it presents: enough to have users without signing tokens. */
  private static void usersFromTokens(Gateway g) {
    g.hub("default").authenticator(h -> Future.succeededFuture(h.token() == null ? new JsonObject() : new JsonObject().put("sub", h.token())));
  }

  private TestClient client(Vertx vertx, TestCluster.Node node, String user) {
    TestClient c = TestClient.connect(vertx, node.port(), user == null ? "/ws" : "/ws?access_token=" + user);
    clients.add(c);
    return c;
  }

  private static Msg join(TestClient c, String room, Object info) {
    Envelope e = Envelope.of("join").withRoom(room);
    return Wire.JSON.request(c, info == null ? e : e.withData(new JsonObject().put("info", info)));
  }

  private static JsonObject presence(TestClient c, String room, boolean countOnly) {
    Envelope e = Envelope.of("presence").withRoom(room);
    Msg reply = Wire.JSON.request(c, countOnly ? e.withData(new JsonObject().put("countOnly", true)) : e);
    assertEquals("ok", reply.status(), reply.toString());
    return reply.dataObject();
  }

  /** @return client id -> user of each member, as one node's presence answer lists them */
  private static Map<String, String> roster(JsonObject answer) {
    Map<String, String> roster = new TreeMap<>();
    answer.getJsonArray("members").forEach(m -> roster.put(((JsonObject) m).getString("client"), ((JsonObject) m).getString("user", "-")));
    return roster;
  }

  private void awaitRosterEverywhere(Map<String, String> expected, List<TestClient> askers) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<Map<String, String>> seen;
    do {
      seen = askers.stream().map(c -> roster(presence(c, ROOM, false))).toList();
      if (seen.stream().allMatch(expected::equals)) {
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
    } while (System.nanoTime() < deadline);
    assertEquals(expected.toString(), seen.stream().map(Map::toString).collect(Collectors.joining(" | ")), "rosters after 10 s");
  }

  @Test
  void everyNodeAnswersTheWholeRosterWithUsersCountedOnce(Vertx vertx) {
    cluster = TestCluster.start(3, options(), PresenceClusterTest::usersFromTokens);
    TestClient alice0 = client(vertx, cluster.node(0), "alice");
    TestClient alice1 = client(vertx, cluster.node(1), "alice");
    TestClient bob = client(vertx, cluster.node(2), "bob");
    TestClient anonymous = client(vertx, cluster.node(2), null);
    assertEquals("ok", join(alice0, ROOM, new JsonObject().put("name", "Alice")).status());
    assertEquals("ok", join(alice1, ROOM, "tab 2").status());
    assertEquals("ok", join(bob, ROOM, new JsonObject().put("name", "Bob")).status());
    assertEquals("ok", join(anonymous, ROOM, null).status());

    Map<String, String> expected = new TreeMap<>(Map.of(alice0.id(), "alice", alice1.id(), "alice", bob.id(), "bob", anonymous.id(), "-"));
    awaitRosterEverywhere(expected, List.of(alice0, alice1, bob));
    JsonObject answer = presence(alice1, ROOM, false);
    assertEquals(ROOM, answer.getString("room"));
    assertEquals(4, answer.getLong("count"));
    assertEquals(2, answer.getLong("users"), "alice's two connections count once; a connection without a user counts in no user");
    JsonObject bobs = member(answer, bob.id());
    assertEquals(new JsonObject().put("name", "Bob"), bobs.getJsonObject("info"));
    assertEquals("tab 2", member(answer, alice1.id()).getString("info"));
    assertFalse(member(answer, anonymous.id()).containsKey("user"), "absent, not null: " + answer);
    assertFalse(member(answer, anonymous.id()).containsKey("info"), "absent, not null: " + answer);

    JsonObject counts = presence(bob, ROOM, true);
    assertEquals(4, counts.getLong("count"));
    assertEquals(2, counts.getLong("users"));
    assertFalse(counts.containsKey("members"), counts.encode());

    // The members before bob heard of his join, with user and info; he did not hear of his own.
    Msg heard = alice0.take(m -> "presence".equals(m.event()) && bob.id().equals(m.dataObject().getString("joined")));
    assertEquals(ROOM, heard.room());
    assertEquals("bob", heard.dataObject().getString("user"));
    assertEquals(new JsonObject().put("name", "Bob"), heard.dataObject().getJsonObject("info"));
    assertTrue(bob.sync().stream().noneMatch(m -> "presence".equals(m.event()) && bob.id().equals(m.dataObject().getString("joined"))));

    // The Java API reads the same roster on any node.
    Presence p = Await.result(cluster.node(0).hub().presence(ROOM));
    assertEquals(4, p.count());
    assertEquals(2, p.users());
    assertEquals(Set.of(alice0.id(), alice1.id(), bob.id(), anonymous.id()),
      p.members().stream().map(PresenceMember::client).collect(Collectors.toSet()));
    assertEquals(cluster.node(2).id(), p.members().stream().filter(m -> m.client().equals(bob.id())).findFirst().orElseThrow().node());

    // A leave and a close: every other member hears a left, and every roster drops them.
    assertEquals("ok", Wire.JSON.request(alice1, Envelope.of("leave").withRoom(ROOM)).status());
    Msg left = bob.take(m -> "presence".equals(m.event()) && alice1.id().equals(m.dataObject().getString("left")));
    assertEquals("alice", left.dataObject().getString("user"));
    anonymous.close();
    expected.remove(alice1.id());
    expected.remove(anonymous.id());
    awaitRosterEverywhere(expected, List.of(alice0, alice1, bob));
    assertEquals(2, presence(alice1, ROOM, true).getLong("users"));

    // A room left out of presenceEvents keeps an exact roster, and sends nobody an event.
    assertEquals("ok", join(alice0, "stage:1", null).status());
    assertEquals("ok", join(bob, "stage:1", null).status());
    Await.until(() -> presence(alice1, "stage:1", true).getLong("count") == 2, Duration.ofSeconds(10), "the stage's roster");
    assertEquals(2, presence(bob, "stage:1", false).getJsonArray("members").size());
    assertTrue(alice0.sync().stream().noneMatch(m -> "presence".equals(m.event()) && "stage:1".equals(m.room())));
  }

  @Test
  void aNodeThatLeavesTakesItsMembersAndALateNodeLearnsEveryone(Vertx vertx) {
    cluster = TestCluster.start(3, options(), PresenceClusterTest::usersFromTokens);
    TestClient a = client(vertx, cluster.node(0), "ann");
    TestClient b = client(vertx, cluster.node(1), "ben");
    TestClient c = client(vertx, cluster.node(2), "cat");
    TestClient c2 = client(vertx, cluster.node(2), "ann");
    for (TestClient x : List.of(a, b, c, c2)) {
      assertEquals("ok", join(x, ROOM, null).status());
    }
    awaitRosterEverywhere(new TreeMap<>(Map.of(a.id(), "ann", b.id(), "ben", c.id(), "cat", c2.id(), "ann")), List.of(a, b, c));

    TestCluster.Node late = cluster.addNode(new io.vertx.core.VertxOptions(), options(), PresenceClusterTest::usersFromTokens);
    TestClient newcomer = client(vertx, late, "dan");
    Map<String, String> expected = new TreeMap<>(Map.of(a.id(), "ann", b.id(), "ben", c.id(), "cat", c2.id(), "ann"));
    awaitRosterEverywhere(expected, List.of(newcomer));

    cluster.stop(cluster.node(2));
    Msg catLeft = a.take(m -> "presence".equals(m.event()) && c.id().equals(m.dataObject().getString("left")), Duration.ofSeconds(10));
    assertEquals("cat", catLeft.dataObject().getString("user"));
    expected.remove(c.id());
    expected.remove(c2.id());
    awaitRosterEverywhere(expected, List.of(a, b, newcomer));
    assertEquals(2, presence(newcomer, ROOM, true).getLong("users"));
  }

  @Test
  void userOperationsReachEveryConnectionOfTheUserOnEveryNode(Vertx vertx) {
    cluster = TestCluster.start(2, options(), PresenceClusterTest::usersFromTokens);
    TestClient alice0 = client(vertx, cluster.node(0), "alice");
    TestClient alice1 = client(vertx, cluster.node(1), "alice");
    TestClient bob = client(vertx, cluster.node(1), "bob");

    List<ClientInfo> connections = Await.result(cluster.node(0).hub().connectionsOf("alice"));
    assertEquals(Set.of(new ClientInfo(alice0.id(), cluster.node(0).id()), new ClientInfo(alice1.id(), cluster.node(1).id())),
      Set.copyOf(connections));

    Await.result(cluster.node(1).hub().sendToUser("alice", "notice", new JsonObject().put("n", 1)));
    for (TestClient alice : List.of(alice0, alice1)) {
      Msg notice = alice.takeEvent("notice");
      assertEquals(1, notice.dataObject().getInteger("n"));
      assertNull(notice.from(), "sent by the server");
    }
    assertTrue(bob.sync().stream().noneMatch(m -> "notice".equals(m.event())), "only alice's connections");

    assertEquals(2L, Await.result(cluster.node(1).hub().kickUser("alice")));
    assertEquals(1008, alice0.awaitClose());
    assertEquals(1008, alice1.awaitClose());
    assertFalse(bob.isClosed());
    assertEquals(List.of(), Await.result(cluster.node(1).hub().connectionsOf("alice")));
    assertEquals(0L, Await.result(cluster.node(0).hub().kickUser("nobody")));
  }

  @Test
  void badPresenceInputIsRefusedAndChangesNothing(Vertx vertx) {
    cluster = TestCluster.start(2, options(), PresenceClusterTest::usersFromTokens);
    TestClient member = client(vertx, cluster.node(0), "mia");
    TestClient other = client(vertx, cluster.node(1), "oli");
    assertEquals("ok", join(member, ROOM, "first").status());

    String big = "x".repeat(1100);
    Msg tooBig = join(other, ROOM, big);
    assertEquals("bad_request", tooBig.errorCode(), tooBig.toString());
    assertTrue(tooBig.error().getString("message").contains("1024"), tooBig.toString());
    // Exactly at the limit is fine: 1022 characters and two quotes.
    assertEquals("ok", join(other, "team:2", "y".repeat(1022)).status());

    Msg notPresence = Wire.JSON.request(member, Envelope.of("presence").withRoom("lobby"));
    assertEquals("bad_request", notPresence.errorCode(), notPresence.toString());
    assertTrue(notPresence.error().getString("message").contains("keeps no presence"), notPresence.toString());
    Msg root = Wire.JSON.request(member, Envelope.of("presence").withRoom("root"));
    assertEquals("bad_request", root.errorCode(), "root, which every connection is in, keeps no presence: " + root);
    Msg noRoom = Wire.JSON.request(member, Envelope.of("presence"));
    assertEquals("bad_request", noRoom.errorCode(), noRoom.toString());
    Msg badRoom = Wire.JSON.request(member, Envelope.of("presence").withRoom("team: 1"));
    assertEquals("invalid_room", badRoom.errorCode(), badRoom.toString());
    Msg badCountOnly = Wire.JSON.request(member, Envelope.of("presence").withRoom(ROOM).withData(new JsonObject().put("countOnly", "yes")));
    assertEquals("bad_request", badCountOnly.errorCode(), badCountOnly.toString());
    Msg notObject = Wire.JSON.request(member, Envelope.of("presence").withRoom(ROOM).withData(new JsonArray().add(1)));
    assertEquals("bad_request", notObject.errorCode(), notObject.toString());

    // A binary client asks too: the answer's fields come in its reply's payload.
    TestClient binary = TestClient.connect(vertx, cluster.node(1).port(), "/ws", Wire.BINARY.subprotocol());
    clients.add(binary);
    Msg binaryAnswer = Wire.BINARY.request(binary, Envelope.of("presence").withRoom(ROOM));
    assertEquals("ok", binaryAnswer.status(), binaryAnswer.toString());
    assertEquals(1, binaryAnswer.dataObject().getInteger("count"), binaryAnswer.toString());
    assertEquals(member.id(), binaryAnswer.dataObject().getJsonArray("members").getJsonObject(0).getString("client"));

    // Nothing changed: one member, with its info, and the connections go on.
    JsonObject answer = presence(other, ROOM, false);
    assertEquals(1, answer.getLong("count"), answer.encode());
    assertEquals("first", member(answer, member.id()).getString("info"));
    assertEquals("ok", Wire.JSON.request(other, Envelope.of("ping")).status());
    assertTrue(Await.result(cluster.node(0).hub().presence("lobby").recover(t -> Future.succeededFuture(null))) == null,
      "the Java API refuses a room without presence too");
  }

  private static JsonObject member(JsonObject answer, String client) {
    return answer.getJsonArray("members").stream().map(m -> (JsonObject) m)
      .filter(m -> client.equals(m.getString("client"))).findFirst()
      .orElseThrow(() -> new AssertionError("no member " + client + " in " + answer.encode()));
  }
}
