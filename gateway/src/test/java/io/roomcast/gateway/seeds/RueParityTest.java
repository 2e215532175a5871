package io.roomcast.gateway.seeds;

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
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rue's WebSocket guide (seeds/001) with Roomcast's API: OnConnect / OnMessage / OnClose /
 * OnError on a hub and on a raw endpoint, text and binary messages, hub Broadcast and Count, a
 * room per path, and the JSON chat with ping/pong.
 */
class RueParityTest extends GatewayTestBase {

  private final Recorder<String> hubLog = new Recorder<>();

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(new HubOptions(), new HubOptions().setName("rooms").setPath("/ws/chat/:room")));
  }

  @Override
  protected void configure(Gateway gateway) {
    Hub h = gateway.hub("default");
    h.onConnect(c -> hubLog.add("connect " + c.id()))
      .onMessage(ctx -> hubLog.add("message " + ctx.connection().id() + " " + ctx.event()))
      .onClose(c -> hubLog.add("close " + c.id()))
      .onError((c, t) -> hubLog.add("error " + c.id() + " " + t.getMessage()))
      .on("fail", ctx -> {
        throw new IllegalStateException("handler failed");
      })
      // Rue's JSON chat: a "chat" message is broadcast to every connection, the sender included.
      .on("chat", ctx -> {
        JsonObject msg = (JsonObject) ctx.data();
        ctx.hub().broadcast("root", "chat", new JsonObject().put("type", "chat")
          .put("content", msg.getString("content")).put("from", msg.getString("from")));
      });
    // Rue's ChatServer: Broadcast(room, ...) to the room of the path, the sender included.
    Hub rooms = gateway.hub("rooms");
    rooms.on("say", ctx -> ctx.hub().broadcast(ctx.connection().handshake().pathParam("room"), "say", ctx.data()));
  }

  private List<String> logOf(String id) {
    return hubLog.snapshot().stream().filter(line -> line.contains(" " + id)).map(line -> line.replace(" " + id, "")).toList();
  }

  @Test
  void hubCallbacksSeeConnectEveryMessageAndClose() {
    TestClient c = connect();
    String id = c.id();
    c.sendJson(new JsonObject().put("event", "chat").put("data", new JsonObject().put("content", "Hello!").put("from", "user1")));
    c.takeEvent("chat");
    c.sendJson(new JsonObject().put("event", "fail"));
    assertEquals("internal", c.takeEvent("error").errorCode());
    c.close();
    hubLog.await(line -> line.equals("close " + id));
    assertEquals(List.of("connect", "message chat", "message fail", "error handler failed", "close"), logOf(id));
  }

  @Test
  void rawEndpointCallbacksWithTextAndBinaryMessages() {
    Recorder<String> log = new Recorder<>();
    RawEndpoint endpoint = RawEndpoint.create(vertx)
      .onConnect(conn -> {
        log.add("connect");
        conn.sendText("Hello");
      })
      .onMessage(m -> {
        if (m.text()) {
          log.add("text " + m.textData());
          m.connection().sendText(m.textData());
        } else {
          log.add("binary " + m.data().length() + " bytes");
          m.connection().sendBinary(m.data());
        }
        if ("fail".equals(m.textData())) {
          throw new IllegalStateException("raw failed");
        }
      })
      .onClose(conn -> log.add("close"))
      .onError((conn, t) -> log.add("error " + t.getMessage()));
    Router router = Router.router(vertx);
    router.route("/ws").handler(endpoint.handler());
    TestClient c = connectRaw(serve(router), "/ws");
    assertEquals("Hello", c.takeNext().text());
    c.sendText("text message");
    Msg text = c.takeNext();
    assertFalse(text.binary());
    assertEquals("text message", text.text());
    byte[] data = {0, 1, 2, 3, 4};
    c.sendBinary(Buffer.buffer(data));
    Msg binary = c.takeNext();
    assertTrue(binary.binary());
    assertArrayEquals(data, binary.raw().getBytes());
    c.sendText("fail");
    c.takeNext();
    c.close();
    log.await("close"::equals);
    assertEquals(List.of("connect", "text text message", "binary 5 bytes", "text fail", "error raw failed", "close"), log.snapshot());
  }

  @Test
  void hubBroadcastReachesEveryConnectionAndCountCountsThem() {
    assertEquals(0L, Await.result(hub.count()));
    List<TestClient> clients = List.of(connect(), connect(), connect());
    assertEquals(3L, Await.result(hub.count()));
    hub.broadcast("root", "news", "to everyone");
    for (TestClient c : clients) {
      assertEquals("to everyone", c.takeEvent("news").data());
    }
  }

  @Test
  void aRoomPerPathJoinsTheConnectionAndScopesItsBroadcasts() {
    TestClient a1 = connectTo("/ws/chat/lobby");
    TestClient a2 = connectTo("/ws/chat/lobby");
    TestClient b = connectTo("/ws/chat/games");
    assertEquals(new JsonArray().add("root").add("lobby"), a1.welcome().getJsonArray("rooms"));
    assertEquals(new JsonArray().add("root").add("games"), b.welcome().getJsonArray("rooms"));
    a1.sendJson(new JsonObject().put("event", "say").put("data", "hi lobby"));
    for (TestClient member : List.of(a1, a2)) {
      Msg m = member.takeEvent("say");
      assertEquals("lobby", m.room());
      assertEquals("hi lobby", m.data());
    }
    assertTrue(b.sync().isEmpty());
    a2.close();
    b.sendJson(new JsonObject().put("event", "say").put("data", "hi games"));
    assertEquals("hi games", b.takeEvent("say").data());
    assertTrue(a1.sync().isEmpty());
  }

  @Test
  void jsonChatIsBroadcastToAllAndPingIsAnsweredWithPong() {
    TestClient user1 = connect();
    TestClient user2 = connect();
    user1.sendJson(new JsonObject().put("event", "chat").put("data", new JsonObject().put("content", "Hello!").put("from", "user1")));
    JsonObject expected = new JsonObject().put("type", "chat").put("content", "Hello!").put("from", "user1");
    assertEquals(expected, user1.takeEvent("chat").data());
    assertEquals(expected, user2.takeEvent("chat").data());
    user2.sendText("{\"event\":\"ping\"}");
    assertEquals(new JsonObject().put("event", "pong"), new JsonObject(user2.takeNext().raw()));
    user2.sendText("{\"type\":\"chat\", invalid");
    assertEquals("bad_request", user2.takeEvent("error").errorCode());
    assertEquals("ok", Wire.JSON.request(user2, io.roomcast.gateway.Envelope.of("ping")).status());
  }
}
