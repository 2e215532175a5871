package io.roomcast.gateway.seeds;

import io.roomcast.gateway.Connection;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.RawEndpoint;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.Recorder;
import io.roomcast.gateway.testing.TestClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forge's WebSocket guide (seeds/004) with Roomcast's API: a route-level handler with its
 * Connection (ID, RemoteAddr, LocalAddr, request parameters, Write/WriteJSON, Close, Context),
 * and the multi-room chat example with join and leave system messages.
 */
class ForgeParityTest extends GatewayTestBase {

  private final Recorder<Connection> hubConnections = new Recorder<>();

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(new HubOptions(), new HubOptions().setName("chat").setPath("/ws/chat/:room")));
  }

  @Override
  protected void configure(Gateway gateway) {
    gateway.hub("default").onConnect(hubConnections::add);
    Hub chat = gateway.hub("chat");
    chat.onConnect(c -> chat.broadcastOthers(roomOf(c), c.id(), "system", system(userOf(c), userOf(c) + " joined the room")));
    chat.on("message", ctx -> {
      JsonObject incoming = ctx.data() instanceof JsonObject ? (JsonObject) ctx.data() : new JsonObject();
      ctx.publish(roomOf(ctx.connection()), "message", incoming.copy()
        .put("type", "message").put("user", userOf(ctx.connection())).put("time", Instant.now().toString()));
    });
    // By now the connection has left the room, so a broadcast reaches only the others.
    chat.onClose(c -> chat.broadcast(roomOf(c), "system", system(userOf(c), userOf(c) + " left the room")));
  }

  private static String roomOf(Connection c) {
    return c.handshake().pathParam("room");
  }

  private static String userOf(Connection c) {
    String user = c.handshake().queryParam("user");
    return user == null || user.isEmpty() ? "anonymous" : user;
  }

  private static JsonObject system(String user, String content) {
    return new JsonObject().put("type", "system").put("user", user).put("content", content).put("time", Instant.now().toString());
  }

  /** Mounts a route-level handler, as r.WebSocket(path, handler) does, and returns the port. */
  private int route(String path, RawEndpoint endpoint) {
    Router router = Router.router(vertx);
    router.route(path).handler(endpoint.handler());
    return serve(router);
  }

  private static void assertChat(Msg m, String type, String user, String content) {
    assertEquals("lobby", m.room());
    JsonObject data = m.dataObject();
    assertEquals(type, data.getString("type"));
    assertEquals(user, data.getString("user"));
    assertEquals(content, data.getString("content"));
    Instant.parse(data.getString("time"));
  }

  @Test
  void theInfoExampleReportsIdAddressesAndRequestParameters() {
    Recorder<Connection> opened = new Recorder<>();
    RawEndpoint info = RawEndpoint.create(vertx).onConnect(conn -> {
      opened.add(conn);
      conn.sendJson(new JsonObject()
        .put("connectionId", conn.id())
        .put("remoteHost", conn.remoteAddress().host()).put("remotePort", conn.remoteAddress().port())
        .put("localHost", conn.localAddress().host()).put("localPort", conn.localAddress().port())
        .put("name", conn.handshake().pathParam("name"))
        .put("user", conn.handshake().queryParam("user"))
        .put("client", conn.handshake().header("X-Client")));
    });
    int infoPort = route("/ws/info/:name", info);
    TestClient c = track(TestClient.openRaw(vertx, TestClient.options(infoPort, "/ws/info/alice?user=bob").addHeader("X-Client", "forge-test")));
    JsonObject reported = new JsonObject(c.takeNext().raw());
    SocketAddress clientSide = c.socket().localAddress();
    assertEquals(opened.awaitCount(1).get(0).id(), reported.getString("connectionId"));
    assertTrue(reported.getString("connectionId").matches("[A-Za-z0-9._-]{1,64}"));
    assertEquals(clientSide.port(), reported.getInteger("remotePort"), "remoteAddress is not the client's address");
    assertEquals(clientSide.host(), reported.getString("remoteHost"));
    assertEquals(infoPort, reported.getInteger("localPort"), "localAddress is not the server's address");
    assertEquals("127.0.0.1", reported.getString("localHost"));
    assertEquals("alice", reported.getString("name"));
    assertEquals("bob", reported.getString("user"));
    assertEquals("forge-test", reported.getString("client"));
  }

  @Test
  void writeAndWriteJsonSendRawFrames() {
    byte[] bytes = {0, 1, (byte) 0xFF};
    RawEndpoint api = RawEndpoint.create(vertx).onMessage(m -> {
      JsonObject request = new JsonObject(m.data());
      m.connection().sendText("plain " + request.getString("type"));
      m.connection().sendBinary(Buffer.buffer(bytes));
      m.connection().sendJson(new JsonObject().put("type", "response").put("data", request.getValue("payload")));
    });
    TestClient c = connectRaw(route("/ws/api", api), "/ws/api");
    c.sendText("{\"type\":\"query\",\"payload\":[1,2]}");
    Msg text = c.takeNext();
    assertFalse(text.binary());
    assertEquals("plain query", text.text());
    Msg binary = c.takeNext();
    assertTrue(binary.binary());
    assertArrayEquals(bytes, binary.raw().getBytes());
    Msg json = c.takeNext();
    assertFalse(json.binary());
    assertEquals(new JsonObject().put("type", "response").put("data", new io.vertx.core.json.JsonArray().add(1).add(2)),
      new JsonObject(json.raw()));
  }

  @Test
  void sendWritesEnvelopeFramesInTheConnectionsEncoding() {
    TestClient json = connect();
    TestClient binary = connect("roomcast.v1.bin");
    Connection toJson = hubConnections.await(c -> c.id().equals(json.id()));
    Connection toBinary = hubConnections.await(c -> c.id().equals(binary.id()));
    Await.result(toJson.send("notice", new JsonObject().put("a", 1)));
    assertEquals(new JsonObject().put("event", "notice").put("data", new JsonObject().put("a", 1)), new JsonObject(json.takeNext().raw()));
    Await.result(toJson.send("bare", null));
    assertEquals(new JsonObject().put("event", "bare"), new JsonObject(json.takeNext().raw()));
    Await.result(toBinary.send("notice", new JsonObject().put("a", 1)));
    Envelope e = Envelope.decodeBinary(binary.takeNext().raw()).envelope();
    assertEquals("notice", e.event());
    assertEquals(Buffer.buffer("{\"a\":1}"), e.payload());
  }

  @Test
  void closeFutureCompletesWhenTheClientCloses() {
    TestClient c = connect();
    Connection conn = hubConnections.await(x -> x.id().equals(c.id()));
    assertFalse(conn.closeFuture().isComplete());
    assertFalse(conn.isClosed());
    c.close();
    Await.result(conn.closeFuture());
    assertTrue(conn.isClosed());
  }

  @Test
  void closeWithACodeAndReasonReachesTheClient() {
    TestClient c = connect();
    Connection conn = hubConnections.await(x -> x.id().equals(c.id()));
    Await.result(conn.close(4000, "see you"));
    assertEquals(4000, c.awaitClose());
    assertEquals("see you", c.closeReason());
    Await.result(conn.closeFuture());
  }

  @Test
  void theChatRoomExampleAnnouncesJoinsMessagesAndLeaves() {
    TestClient alice = connectTo("/ws/chat/lobby?user=alice");
    TestClient elsewhere = connectTo("/ws/chat/games?user=carol");
    TestClient bob = connectTo("/ws/chat/lobby?user=bob");
    bob.sendJson(new JsonObject().put("event", "message").put("data", new JsonObject().put("content", "hi all")));
    assertTrue(bob.sync().isEmpty(), "bob got his own join or message");
    bob.close();
    assertChat(alice.takeNext(), "system", "bob", "bob joined the room");
    Msg message = alice.takeNext();
    assertEquals("message", message.event());
    assertEquals(bob.id(), message.from());
    assertChat(message, "message", "bob", "hi all");
    Msg left = alice.takeNext();
    assertEquals("system", left.event());
    assertChat(left, "system", "bob", "bob left the room");
    assertTrue(alice.sync().isEmpty(), "alice got more than the three messages");
    assertTrue(elsewhere.sync().isEmpty(), "another room heard of the lobby");
  }

  @Test
  void aChatUserWithoutNameIsAnonymous() {
    TestClient alice = connectTo("/ws/chat/lobby?user=alice");
    connectTo("/ws/chat/lobby");
    assertChat(alice.takeEvent("system"), "system", "anonymous", "anonymous joined the room");
  }
}
