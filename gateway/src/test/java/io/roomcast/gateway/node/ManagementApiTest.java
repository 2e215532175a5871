package io.roomcast.gateway.node;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.HistoryOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.BareClient;
import io.roomcast.gateway.testing.Http;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The management API of one node over real HTTP, with real WebSocket clients: every endpoint,
 * its answers and its errors, and the Prometheus metrics moving with the traffic.
 */
class ManagementApiTest {

  private static Vertx clients;
  private static InProcessNode node;
  private final List<TestClient> opened = new ArrayList<>();

  @BeforeAll
  static void startNode() {
    clients = Vertx.vertx();
    node = InProcessNode.start(InProcessNode.options(InProcessNode.gatewayOptions().setHubs(List.of(
      new HubOptions().setHistory(List.of(new HistoryOptions("kept.*").setSize(3))).setPresence(List.of("seen.*")),
      new HubOptions().setName("chat").setPath("/chat/:room").setMaxMessageSize(1024)))));
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
    Await.result(clients.close());
  }

  @AfterEach
  void closeClients() {
    opened.forEach(TestClient::close);
  }

  private TestClient connect(String path) {
    TestClient c = TestClient.connect(clients, node.port(), path);
    opened.add(c);
    return c;
  }

  private TestClient member(String room) {
    TestClient c = connect("/ws");
    Wire.JSON.join(c, room);
    return c;
  }

  private static Http.Response get(String path) {
    return Http.get(node.managementPort(), path);
  }

  private static Http.Response post(String path, String body) {
    return Http.post(node.managementPort(), path, body);
  }

  private static void assertError(Http.Response r, int status, String code, String inMessage) {
    assertEquals(status, r.status(), r.toString());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""), r.toString());
    assertEquals(code, r.json().getString("error"), r.toString());
    assertTrue(r.json().getString("message").contains(inMessage), "expected \"" + inMessage + "\" in " + r);
  }

  @Test
  void healthIsLiveAndReadyOnceServingAndNeverOnTheWebSocketPort() {
    assertEquals(new JsonObject().put("status", "UP"), get("/health/live").json());
    Http.Response ready = get("/health/ready");
    assertEquals(200, ready.status());
    assertEquals("serving", ready.json().getString("state"));
    assertEquals(404, Http.get(node.port(), "/health/ready").status());
    assertEquals(404, Http.get(node.port(), "/admin/nodes").status());
    assertEquals(404, Http.get(node.port(), "/metrics").status());
  }

  @Test
  void nodesListsThisNodeWithItsAddressConnectionsRoomsAndUptime() {
    member("nodes.a");
    member("nodes.b");
    Await.until(() -> get("/admin/nodes").json().getJsonArray("nodes").getJsonObject(0).getLong("connections") >= 2,
      Duration.ofSeconds(5), "two connections counted");
    JsonObject body = get("/admin/nodes").json();
    assertEquals("default", body.getString("hub"));
    JsonArray nodes = body.getJsonArray("nodes");
    assertEquals(1, nodes.size(), body.encode());
    JsonObject self = nodes.getJsonObject(0);
    assertEquals(node.id(), self.getString("node"));
    assertEquals("127.0.0.1:" + node.port(), self.getString("address"));
    assertEquals("127.0.0.1:" + node.managementPort(), self.getString("management"));
    assertTrue(self.getLong("rooms") >= 3, "root, nodes.a, nodes.b: " + self);
    assertTrue(self.getLong("uptimeMs") >= 0, self.encode());
    assertTrue(self.getBoolean("self"));
    assertFalse(self.getBoolean("draining"));
  }

  @Test
  void roomsListsMemberCountsAndARoomListsItsMembersWithTheirNode() {
    TestClient a = member("ops.lobby");
    TestClient b = member("ops.lobby");
    TestClient c = member("team/a:b@c");
    JsonArray rooms = get("/admin/rooms").array();
    assertTrue(rooms.contains(new JsonObject().put("room", "ops.lobby").put("members", 2)), rooms.encode());
    assertTrue(rooms.contains(new JsonObject().put("room", "team/a:b@c").put("members", 1)), rooms.encode());

    JsonObject lobby = get("/admin/rooms/ops.lobby").json();
    assertEquals("ops.lobby", lobby.getString("room"));
    JsonArray list = lobby.getJsonArray("members");
    Set<JsonObject> members = new java.util.HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      members.add(list.getJsonObject(i));
    }
    assertEquals(Set.of(new JsonObject().put("id", a.id()).put("node", node.id()), new JsonObject().put("id", b.id()).put("node", node.id())),
      members);
    // A room name may hold '/', raw or percent-encoded.
    assertEquals(c.id(), get("/admin/rooms/team/a:b@c").json().getJsonArray("members").getJsonObject(0).getString("id"));
    assertEquals(c.id(), get("/admin/rooms/team%2Fa:b@c").json().getJsonArray("members").getJsonObject(0).getString("id"));

    assertError(get("/admin/rooms/nobody.here"), 404, "unknown_room", "nobody.here");
    assertError(get("/admin/rooms/bad%20room"), 400, "bad_request", "invalid room");
  }

  @Test
  void publishReachesEveryMemberOfTheRoom() {
    TestClient a = member("pub.room");
    TestClient b = member("pub.room");
    TestClient outsider = member("pub.other");
    Http.Response r = post("/admin/rooms/pub.room/publish", "{\"event\":\"news\",\"data\":{\"text\":\"hello\"}}");
    assertEquals(200, r.status(), r.toString());
    assertEquals(2, r.json().getLong("members"));
    for (TestClient c : List.of(a, b)) {
      Msg m = c.takeEvent("news");
      assertEquals("pub.room", m.room());
      assertEquals("hello", m.dataObject().getString("text"));
      assertNull(m.from(), "the server sent it");
    }
    // Ordering per connection: a ping answered after the publish proves nothing more came.
    outsider.sendJson(Envelope.of("ping"));
    outsider.takeEvent("pong");
    assertTrue(outsider.inbox().stream().noneMatch(m -> "news".equals(m.event())), outsider.inbox().toString());
  }

  @Test
  void publishRefusesBadBodiesNamesAndEmptyRooms() {
    member("bad.body");
    String path = "/admin/rooms/bad.body/publish";
    assertError(post(path, ""), 400, "bad_request", "the body is empty");
    assertError(post(path, "{\"event\":"), 400, "bad_request", "not JSON");
    assertError(post(path, "[1,2]"), 400, "bad_request", "not a JSON object");
    assertError(post(path, "{\"data\":1}"), 400, "bad_request", "\"event\" is required");
    assertError(post(path, "{\"event\":7}"), 400, "bad_request", "\"event\" must be a string");
    assertError(post(path, "{\"event\":\"no spaces\"}"), 400, "bad_request", "invalid event");
    assertError(post(path, "{\"event\":\"e\",\"room\":\"x\"}"), 400, "bad_request", "unknown field \"room\"");
    assertError(post("/admin/rooms/bad%20room/publish", "{\"event\":\"e\"}"), 400, "bad_request", "invalid room");
    assertError(post("/admin/rooms/empty.room/publish", "{\"event\":\"e\"}"), 404, "unknown_room", "empty.room");
    String big = "x".repeat(70_000);
    assertError(post(path, "{\"event\":\"e\",\"data\":\"" + big + "\"}"), 413, "too_large", "maxMessageSize");
  }

  @Test
  void sendReachesOneClientAndRefusesUnknownClients() {
    TestClient a = member("send.room");
    TestClient b = member("send.room");
    Http.Response r = post("/admin/clients/" + a.id() + "/send", "{\"event\":\"dm\",\"data\":[1,2]}");
    assertEquals(200, r.status(), r.toString());
    Msg m = a.takeEvent("dm");
    assertEquals(new JsonArray().add(1).add(2), m.data());
    assertNull(m.room());
    b.sendJson(Envelope.of("ping"));
    b.takeEvent("pong");
    assertTrue(b.inbox().stream().noneMatch(x -> "dm".equals(x.event())), "only its target gets a direct message");

    assertError(post("/admin/clients/" + node.id() + ".0.999999/send", "{\"event\":\"dm\"}"), 404, "unknown_client", "999999");
    assertError(post("/admin/clients/not-an-id/send", "{\"event\":\"dm\"}"), 404, "unknown_client", "not-an-id");
    assertError(post("/admin/clients/" + a.id() + "/send", "{\"data\":1}"), 400, "bad_request", "\"event\" is required");
  }

  @Test
  void kickClosesTheClientWith1008KickedWhereverItIs() {
    TestClient a = member("kick.room");
    Http.Response r = post("/admin/clients/" + a.id() + "/kick", null);
    assertEquals(200, r.status(), r.toString());
    assertEquals(new JsonObject().put("hub", "default").put("client", a.id()).put("kicked", true), r.json());
    assertEquals(1008, a.awaitClose());
    assertEquals("kicked", a.closeReason());
    assertError(post("/admin/clients/" + a.id() + "/kick", null), 404, "unknown_client", a.id());
  }

  @Test
  void theHubParameterChoosesAnotherHub() {
    TestClient chat = connect("/chat/room.one");
    Await.until(() -> get("/admin/rooms?hub=chat").array().contains(new JsonObject().put("room", "room.one").put("members", 1)),
      Duration.ofSeconds(5), "room.one in hub chat");
    assertFalse(get("/admin/rooms").array().stream().anyMatch(o -> ((JsonObject) o).getString("room").equals("room.one")));
    assertEquals(chat.id(), get("/admin/rooms/room.one?hub=chat").json().getJsonArray("members").getJsonObject(0).getString("id"));
    assertEquals("chat", get("/admin/nodes?hub=chat").json().getString("hub"));
    assertError(get("/admin/rooms?hub=nope"), 404, "unknown_hub", "nope");
    assertError(get("/admin/stats?hub=nope"), 404, "unknown_hub", "nope");

    JsonArray all = get("/admin/stats").json().getJsonArray("hubs");
    assertEquals(List.of("default", "chat"), all.stream().map(h -> ((JsonObject) h).getString("hub")).toList());
    JsonArray one = get("/admin/stats?hub=chat").json().getJsonArray("hubs");
    assertEquals(1, one.size());
    assertEquals("/chat/:room", one.getJsonObject(0).getString("path"));
    // The chat hub's limit (1024 bytes) bounds what may be published to it.
    assertError(post("/admin/rooms/room.one/publish?hub=chat", "{\"event\":\"e\",\"data\":\"" + "y".repeat(2000) + "\"}"), 413, "too_large", "1024");
  }

  @Test
  void statsCountConnectionsRoomsMessagesAndBytesPerHubAndPerNode() {
    JsonObject before = defaultHubStats();
    TestClient a = member("stats.room");
    TestClient b = member("stats.room");
    Wire.JSON.send(a, Envelope.of("chat").withRoom("stats.room").withData("hi"));
    b.takeEvent("chat");
    Await.until(() -> defaultHubStats().getLong("messagesIn") >= before.getLong("messagesIn") + 3, Duration.ofSeconds(5), "messages counted");
    JsonObject after = defaultHubStats();
    assertTrue(after.getLong("connections") >= before.getLong("connections") + 2, after.encode());
    assertTrue(after.getLong("rooms") >= 2, "root and stats.room: " + after.encode());
    assertTrue(after.getJsonObject("messagesInByKind").getLong("room") > before.getJsonObject("messagesInByKind").getLong("room"));
    assertTrue(after.getJsonObject("messagesOutByKind").getLong("room") > before.getJsonObject("messagesOutByKind").getLong("room"));
    assertTrue(after.getLong("bytesIn") > before.getLong("bytesIn"));
    assertTrue(after.getLong("bytesOut") > before.getLong("bytesOut"));
    JsonArray nodes = after.getJsonArray("nodes");
    assertEquals(1, nodes.size());
    assertEquals(node.id(), nodes.getJsonObject(0).getString("node"));
    assertEquals(after.getLong("messagesIn"), nodes.getJsonObject(0).getLong("messagesIn"));
  }

  private static JsonObject defaultHubStats() {
    return get("/admin/stats?hub=default").json().getJsonArray("hubs").getJsonObject(0);
  }

  @Test
  void metricsMoveWhenClientsConnectPublishAndAreRefused() {
    String before = metrics();
    double connections = value(before, "roomcast_connections", "hub=\"default\"");
    TestClient a = member("metrics.room");
    TestClient b = member("metrics.room");
    Await.until(() -> value(metrics(), "roomcast_connections", "hub=\"default\"") >= connections + 2, Duration.ofSeconds(5),
      "roomcast_connections up by 2");
    Wire.JSON.send(a, Envelope.of("chat").withRoom("metrics.room").withData("hi"));
    b.takeEvent("chat");
    try (BareClient refused = BareClient.upgrade(clients, node.port(), "/chat/bad%20room", null)) {
      assertEquals(400, refused.status());
    }
    String after = metrics();
    assertTrue(value(after, "roomcast_messages_in_total", "hub=\"default\"", "kind=\"room\"")
      > value(before, "roomcast_messages_in_total", "hub=\"default\"", "kind=\"room\""), after);
    assertTrue(value(after, "roomcast_messages_out_total", "hub=\"default\"", "kind=\"room\"")
      > value(before, "roomcast_messages_out_total", "hub=\"default\"", "kind=\"room\""));
    assertTrue(value(after, "roomcast_delivery_latency_seconds_count", "hub=\"default\"")
      > value(before, "roomcast_delivery_latency_seconds_count", "hub=\"default\""));
    assertTrue(value(after, "roomcast_handshakes_rejected_total", "hub=\"chat\"", "reason=\"bad_request\"")
      > value(before, "roomcast_handshakes_rejected_total", "hub=\"chat\"", "reason=\"bad_request\""));
    assertTrue(value(after, "roomcast_received_bytes_total", "hub=\"default\"") > value(before, "roomcast_received_bytes_total", "hub=\"default\""));
    assertTrue(value(after, "roomcast_rooms", "hub=\"default\"") >= 2);
    for (String name : List.of("roomcast_messages_dropped_total", "roomcast_sent_bytes_total", "roomcast_cluster_nodes",
      "vertx_http_server_active_connections", "vertx_eventbus_handlers", "jvm_memory_used_bytes")) {
      assertTrue(after.contains("\n" + name), name + " is missing");
    }
    a.close();
    Await.until(() -> value(metrics(), "roomcast_connections", "hub=\"default\"") <= connections + 1, Duration.ofSeconds(5),
      "roomcast_connections down when a client leaves");
  }

  @Test
  void presenceMetricsFollowTheRosters() {
    double members = value(metrics(), "roomcast_presence_members", "hub=\"default\"");
    double events = value(metrics(), "roomcast_presence_events_total", "hub=\"default\"");
    TestClient a = member("seen.1");
    TestClient b = member("seen.1");
    Await.until(() -> value(metrics(), "roomcast_presence_members", "hub=\"default\"") == members + 2, Duration.ofSeconds(5),
      "two members in the roster");
    assertTrue(value(metrics(), "roomcast_presence_events_total", "hub=\"default\"") >= events + 2);
    assertTrue(value(metrics(), "roomcast_presence_users", "hub=\"default\"") >= 0);
    b.close();
    Await.until(() -> value(metrics(), "roomcast_presence_members", "hub=\"default\"") == members + 1, Duration.ofSeconds(5),
      "the closed one left the roster");
    a.close();
  }

  private static String metrics() {
    Http.Response r = get("/metrics");
    assertEquals(200, r.status());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
    return r.body();
  }

  /** The sum of the samples of a metric whose labels include all of {@code labels}. */
  static double value(String text, String name, String... labels) {
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{([^}]*)\\})? (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(text);
    double sum = 0;
    boolean found = false;
    while (m.find()) {
      String set = m.group(2) == null ? "" : m.group(2);
      boolean all = true;
      for (String label : labels) {
        all &= set.contains(label);
      }
      if (all) {
        sum += Double.parseDouble(m.group(3));
        found = true;
      }
    }
    if (!found) {
      throw new AssertionError("no sample of " + name + " with " + List.of(labels));
    }
    return sum;
  }

  @Test
  void historyOfARoomIsReadAndPublishesToItAnswerTheirPosition() {
    TestClient m = member("kept.a");
    double writes = value(metrics(), "roomcast_history_writes_total", "hub=\"default\"");
    long last = 0;
    for (int i = 1; i <= 4; i++) {
      Http.Response published = post("/admin/rooms/kept.a/publish", new JsonObject().put("event", "note").put("data", i).encode());
      assertEquals(200, published.status(), published.toString());
      assertEquals(last + 1, published.json().getLong("offset"), published.toString());
      last = published.json().getLong("offset");
      assertEquals(last, m.takeEvent("note").offset());
    }
    Http.Response all = get("/admin/rooms/kept.a/history");
    assertEquals(200, all.status(), all.toString());
    JsonObject body = all.json();
    assertEquals("kept.a", body.getString("room"));
    assertEquals(4, body.getLong("offset"));
    assertEquals(List.of(2, 3, 4), body.getJsonArray("messages").stream().map(j -> ((JsonObject) j).getInteger("data")).toList());
    JsonObject some = get("/admin/rooms/kept.a/history?limit=1&before=4").json();
    assertEquals(List.of(3), some.getJsonArray("messages").stream().map(j -> ((JsonObject) j).getInteger("data")).toList());
    assertError(get("/admin/rooms/plain/history"), 400, "bad_request", "no history");
    assertError(get("/admin/rooms/kept.a/history?limit=x"), 400, "bad_request", "limit");
    assertError(get("/admin/rooms/kept.a/history?limit=4"), 400, "bad_request", "limit");
    assertError(get("/admin/rooms/kept.a/history?before=-1"), 400, "bad_request", "before");
    assertEquals(writes + 4, value(metrics(), "roomcast_history_writes_total", "hub=\"default\""));
    TestClient back = connect("/ws");
    Wire.JSON.request(back, Envelope.of("join").withRoom("kept.a").withSince(new io.roomcast.gateway.Position(3, body.getString("epoch"))));
    assertEquals(1, value(metrics(), "roomcast_history_replayed_total", "hub=\"default\""));
    assertEquals(1, value(metrics(), "roomcast_history_recoveries_total", "recovered=\"true\""));
  }

  @Test
  void unknownEndpointsAndMethodsAnswerJson() {
    assertError(get("/admin/nope"), 404, "not_found", "/admin/nope");
    assertError(Http.request("DELETE", node.managementPort(), "/admin/nodes", null, null), 405, "method_not_allowed", "DELETE");
  }
}
