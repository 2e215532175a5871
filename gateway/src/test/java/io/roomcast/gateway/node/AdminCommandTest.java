package io.roomcast.gateway.node;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HistoryOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.JwtOptions;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.Http;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.roomcast.gateway.node.admin.AdminCommand;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin commands against a running node over real HTTP, the node protected by a management
 * token: tables, {@code --json}, exit codes and one-line reasons; and the token's rules on the
 * management API itself.
 */
class AdminCommandTest {

  private static final String TOKEN = "test-token-0123456789";

  private static final String USERS_SECRET = "admin-command-test-secret-of-sufficient-length";

  private static Vertx clients;
  private static InProcessNode node;

  /** What a command printed and returned. */
  private record Run(int exit, String out, String err) {
    JsonObject json() {
      return new JsonObject(out);
    }
  }

  @BeforeAll
  static void startNode() {
    clients = Vertx.vertx();
    GatewayOptions gateway = InProcessNode.gatewayOptions()
      .setHubs(List.of(new HubOptions().setHistory(List.of(new HistoryOptions("cli.hist.*"))),
        new HubOptions().setName("users").setPath("/users").setPresence(List.of("cli.team.*"))
          .setJwt(new JwtOptions().setSecret(USERS_SECRET))));
    node = InProcessNode.start(InProcessNode.options(gateway).setManagementToken(TOKEN));
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
    Await.result(clients.close());
  }

  private static Run admin(String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.addAll(List.of("--url", "http://127.0.0.1:" + node.managementPort()));
    return run(argv, Map.of("ROOMCAST_MANAGEMENT_TOKEN", TOKEN));
  }

  private static Run run(List<String> argv, Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = AdminCommand.run(argv.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
      new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void assertFails(Run run, int exit, String inReason) {
    assertEquals(exit, run.exit(), run.toString());
    assertTrue(run.err().startsWith("roomcast admin: ") && run.err().contains(inReason), "expected \"" + inReason + "\" in: " + run.err());
    assertEquals(1, run.err().lines().count(), "one line: " + run.err());
  }

  @Test
  void nodesListAndStatsPrintTablesOrJson() {
    try (TestClient c = TestClient.connect(clients, node.port(), "/ws")) {
      Wire.JSON.join(c, "cli.room");
      Run nodes = admin("nodes");
      assertEquals(0, nodes.exit(), nodes.toString());
      assertTrue(nodes.out().contains("NODE") && nodes.out().contains("UPTIME") && nodes.out().contains(node.id() + " *"), nodes.out());
      assertTrue(nodes.out().contains("127.0.0.1:" + node.port()), nodes.out());
      Run json = admin("nodes", "--json");
      assertEquals(node.id(), json.json().getJsonArray("nodes").getJsonObject(0).getString("node"));

      Run list = admin("list");
      assertTrue(list.out().contains("default") && list.out().contains("/ws"), list.out());
      Run stats = admin("stats");
      assertTrue(stats.out().contains("hub default (/ws)") && stats.out().contains("MSGS IN") && stats.out().contains("total"), stats.out());
      assertTrue(stats.out().contains("slow_client=0"), stats.out());
      assertTrue(admin("stats", "--json").json().getJsonArray("hubs").getJsonObject(0).getLong("connections") >= 1);
    }
  }

  @Test
  void roomsAndOneRoomsMembers() {
    try (TestClient a = TestClient.connect(clients, node.port(), "/ws"); TestClient b = TestClient.connect(clients, node.port(), "/ws")) {
      Wire.JSON.join(a, "cli.members");
      Wire.JSON.join(b, "cli.members");
      Run rooms = admin("rooms");
      assertEquals(0, rooms.exit(), rooms.toString());
      assertTrue(rooms.out().lines().anyMatch(l -> l.matches("cli\\.members\\s+2")), rooms.out());
      Run members = admin("channels", "cli.members");
      assertTrue(members.out().contains(a.id()) && members.out().contains(b.id()) && members.out().contains("2 members"), members.out());
      JsonArray json = new JsonArray(admin("rooms", "--json").out());
      assertTrue(json.contains(new JsonObject().put("room", "cli.members").put("members", 2)), json.encode());
      assertFails(admin("rooms", "cli.nobody"), AdminCommand.FAILED, "room \"cli.nobody\" has no members");
    }
  }

  @Test
  void publishSendAndKickReachClients() {
    try (TestClient a = TestClient.connect(clients, node.port(), "/ws"); TestClient b = TestClient.connect(clients, node.port(), "/ws")) {
      Wire.JSON.join(a, "cli.pub");
      Wire.JSON.join(b, "cli.pub");
      Run publish = admin("publish", "cli.pub", "news", "{\"n\":1}");
      assertEquals("published news to cli.pub (2 members)\n", publish.out(), publish.toString());
      for (TestClient c : List.of(a, b)) {
        assertEquals(1, c.takeEvent("news").dataObject().getInteger("n"));
      }
      Run send = admin("send", a.id(), "dm", "\"psst\"");
      assertEquals(0, send.exit(), send.toString());
      Msg dm = a.takeEvent("dm");
      assertEquals("psst", dm.data());
      Run kick = admin("kick", b.id());
      assertEquals("kicked " + b.id() + "\n", kick.out());
      assertEquals(1008, b.awaitClose());
      assertEquals("kicked", b.closeReason());

      assertFails(admin("kick", b.id()), AdminCommand.FAILED, "no client " + b.id() + " (HTTP 404 unknown_client)");
      assertFails(admin("publish", "cli.empty", "news"), AdminCommand.FAILED, "HTTP 404 unknown_room");
      assertFails(admin("send", a.id(), "bad event"), AdminCommand.FAILED, "invalid event");
      assertFails(admin("rooms", "--hub", "nope"), AdminCommand.FAILED, "no hub named \"nope\"");
    }
  }

  @Test
  void historyShowsARoomsLastMessagesWithTheirOffsets() {
    try (TestClient a = TestClient.connect(clients, node.port(), "/ws")) {
      Wire.JSON.join(a, "cli.hist.1");
      for (int n = 1; n <= 3; n++) {
        assertEquals(0, admin("publish", "cli.hist.1", "news", "{\"n\":" + n + "}").exit());
      }
      Run all = admin("history", "cli.hist.1");
      assertEquals(0, all.exit(), all.toString());
      assertTrue(all.out().contains("last offset 3, 3 messages shown"), all.out());
      assertTrue(all.out().lines().anyMatch(l -> l.matches("\\s*2\\s+news\\s+-\\s+\\{\"n\":2}")), all.out());
      JsonObject two = admin("history", "cli.hist.1", "--limit", "2", "--before", "3", "--json").json();
      assertEquals(List.of(1, 2), two.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getInteger("offset")).toList());
      assertFails(admin("history", "cli.plain"), AdminCommand.FAILED, "HTTP 400 bad_request");
      assertFails(admin("history", "cli.hist.1", "--limit", "many"), AdminCommand.USAGE, "--limit");
      assertFails(admin("history", "cli.hist.1", "--limit", "-1"), AdminCommand.FAILED, "HTTP 400 bad_request");
      assertFails(admin("history", "cli.hist.1", "--limit", "101"), AdminCommand.FAILED, "limit must be 1 to 100");
      assertFails(admin("history", "cli.hist.1", "--before", "-5"), AdminCommand.FAILED, "before must not be negative");
      // None of the refusals touched the room.
      assertTrue(admin("history", "cli.hist.1").out().contains("last offset 3, 3 messages shown"));
    }
  }

  private static TestClient userClient(String user) {
    JWTAuth signer = JWTAuth.create(clients, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(USERS_SECRET)));
    return TestClient.connect(clients, node.port(), "/users?access_token=" + signer.generateToken(new JsonObject().put("sub", user)));
  }

  @Test
  void presenceAndTheUserCommandsKickAndSend() {
    try (TestClient ann1 = userClient("ann"); TestClient ann2 = userClient("ann"); TestClient bo = userClient("bo")) {
      for (TestClient c : List.of(ann1, ann2, bo)) {
        Msg reply = Wire.JSON.request(c, io.roomcast.gateway.Envelope.of("join").withRoom("cli.team.1")
          .withData(new JsonObject().put("info", new JsonObject().put("name", "N"))));
        assertEquals("ok", reply.status(), reply.toString());
      }
      Run presence = admin("presence", "cli.team.1", "--hub", "users");
      assertEquals(0, presence.exit(), presence.toString());
      assertTrue(presence.out().startsWith("room cli.team.1 (hub users): 3 connections, 2 users"), presence.out());
      assertTrue(presence.out().lines().anyMatch(l -> l.startsWith(bo.id()) && l.contains(node.id()) && l.contains("bo") && l.contains("{\"name\":\"N\"}")),
        presence.out());
      JsonObject counts = admin("presence", "cli.team.1", "--hub", "users", "--count-only", "--json").json();
      assertEquals(3, counts.getInteger("count"));
      assertFalse(counts.containsKey("members"), counts.encode());
      assertFails(admin("presence", "cli.other", "--hub", "users"), AdminCommand.FAILED, "keeps no presence");
      int mp = node.managementPort();
      assertEquals(400, Http.request("GET", mp, "/admin/rooms/cli.team.1/presence?hub=users&countOnly=maybe", null, TOKEN).status());
      assertEquals(400, Http.request("GET", mp, "/admin/users/" + "u".repeat(300) + "?hub=users", null, TOKEN).status());
      assertEquals(400, Http.request("POST", mp, "/admin/users/ann/send?hub=users", "{\"event\":\"bad event\"}", TOKEN).status());
      assertEquals(400, Http.request("POST", mp, "/admin/users/ann/send?hub=users", "[1]", TOKEN).status());

      Run user = admin("user", "ann", "--hub", "users");
      assertTrue(user.out().contains("user ann (hub users): 2 connections") && user.out().contains(ann1.id()) && user.out().contains(ann2.id()),
        user.out());
      Run send = admin("send", "--user", "ann", "notice", "{\"n\":7}", "--hub", "users");
      assertEquals("sent notice to user ann\n", send.out(), send.toString());
      for (TestClient c : List.of(ann1, ann2)) {
        assertEquals(7, c.takeEvent("notice").dataObject().getInteger("n"));
      }
      assertFails(admin("send", "--user", "ann", "--hub", "users"), AdminCommand.USAGE, "send takes arguments: [ID] EVENT [JSON], got 0");
      assertFails(admin("send", "--user", "ann", "a", "b", "c", "--hub", "users"), AdminCommand.USAGE, "send --user U needs EVENT [JSON]");
      assertFails(admin("send", "--user", "ann", "notice", "{bad", "--hub", "users"), AdminCommand.USAGE, "JSON is not valid JSON");
      assertFails(admin("kick", "--hub", "users"), AdminCommand.USAGE, "kick needs a client ID or --user U");
      assertFails(admin("kick", ann1.id(), "--user", "ann", "--hub", "users"), AdminCommand.USAGE, "not both");

      Run kick = admin("kick", "--user", "ann", "--hub", "users");
      assertEquals("kicked 2 connection(s) of user ann\n", kick.out(), kick.toString());
      assertEquals(1008, ann1.awaitClose());
      assertEquals(1008, ann2.awaitClose());
      assertFalse(bo.isClosed());
      assertTrue(admin("user", "ann", "--hub", "users").out().contains("0 connections"));
      Await.until(() -> admin("presence", "cli.team.1", "--hub", "users", "--count-only", "--json").json().getInteger("count") == 1,
        java.time.Duration.ofSeconds(5), "the kicked connections left the roster");
    }
  }

  @Test
  void healthSaysLiveAndReady() {
    Run health = admin("health");
    assertEquals(0, health.exit(), health.toString());
    assertEquals("live, ready\n", health.out());
  }

  @Test
  void failuresExitNonZeroWithOneLine() throws Exception {
    int free;
    try (ServerSocket s = new ServerSocket(0)) {
      free = s.getLocalPort();
    }
    assertFails(run(List.of("nodes", "--url", "http://127.0.0.1:" + free), Map.of()), AdminCommand.UNREACHABLE, "connection refused");
    assertFails(admin("nodes", "--token", "wrong-token-wrong-token"), AdminCommand.FAILED, "HTTP 401");
    assertFails(run(List.of("nodes", "--url", "http://127.0.0.1:" + node.managementPort()), Map.of()), AdminCommand.FAILED,
      "a Bearer token is required");
    assertFails(admin("kick"), AdminCommand.USAGE, "kick needs a client ID or --user U");
    // The WebSocket port is not a management API.
    assertFails(run(List.of("nodes", "--url", "http://127.0.0.1:" + node.port()), Map.of()), AdminCommand.FAILED, "HTTP 404");
  }

  @Test
  void theTokenGuardsMetricsAndTheAdminApiButNotHealth() {
    int port = node.managementPort();
    for (String path : List.of("/admin/nodes", "/metrics")) {
      Http.Response none = Http.request("GET", port, path, null, null);
      assertEquals(401, none.status(), path);
      assertEquals("Bearer realm=\"roomcast\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
      assertEquals("unauthorized", none.json().getString("error"));
      assertEquals(401, Http.request("GET", port, path, null, "wrong").status(), path);
      assertEquals(401, Http.request("GET", port, path, null, TOKEN + "x").status(), path);
      assertEquals(200, Http.request("GET", port, path, null, TOKEN).status(), path);
    }
    assertEquals(401, Http.request("POST", port, "/admin/clients/x/kick", null, null).status());
    assertEquals(200, Http.get(port, "/health/live").status());
    assertEquals(200, Http.get(port, "/health/ready").status());
  }

  @Test
  void theOptionsNeverPrintTheToken() {
    NodeOptions options = new NodeOptions().setManagementToken(TOKEN);
    assertFalse(options.toString().contains(TOKEN), options.toString());
    assertEquals(TOKEN, new NodeOptions(options.toJson()).getManagementToken(), "the JSON form keeps it, for --conf");
  }
}
