package io.roomcast.gateway.seeds;

import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.Connection;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.RoomInfo;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.Recorder;
import io.roomcast.gateway.testing.TestClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RapidGo's WebSocket guide (seeds/000) with Roomcast's API: the built-in echo endpoint, and the
 * Hub's Join, Leave, Broadcast, BroadcastOthers, Send by id, Remove, Clients and Rooms.
 */
class RapidGoParityTest extends GatewayTestBase {

  private static final JsonObject HI = new JsonObject().put("text", "hi");

  private final Recorder<Connection> connected = new Recorder<>();
  private final Recorder<Connection> closed = new Recorder<>();

  @Override
  protected void configure(Gateway gateway) {
    gateway.hub("default")
      .onConnect(connected::add)
      .onClose(closed::add)
      // RapidGo's read loop: hub.BroadcastOthers("general", client, msgType, msg).
      .on("say", ctx -> ctx.hub().broadcastOthers("general", ctx.connection().id(), "say", ctx.data()));
  }

  private Connection connectionOf(TestClient c) {
    return connected.await(conn -> conn.id().equals(c.id()));
  }

  @Test
  void theBuiltInEchoEndpointEchoesTextAsTextAndBinaryAsBinary() {
    TestClient echo = connectRaw(port, "/ws/echo");
    echo.sendText("hello, echo");
    Msg text = echo.takeNext();
    assertFalse(text.binary());
    assertEquals("hello, echo", text.text());
    byte[] bytes = {1, 2, 3, (byte) 0xFE};
    echo.sendBinary(Buffer.buffer(bytes));
    Msg binary = echo.takeNext();
    assertTrue(binary.binary());
    assertArrayEquals(bytes, binary.raw().getBytes());
  }

  @Test
  void joinThenBroadcastReachesEveryMemberOfTheRoomOnly() {
    TestClient a = connect();
    TestClient b = connect();
    TestClient outsider = connect();
    Await.result(hub.join(a.id(), "general"));
    Await.result(hub.join(connectionOf(b), "general"));
    hub.broadcast("general", "message", HI);
    for (TestClient c : List.of(a, b)) {
      Msg m = c.takeEvent("message");
      assertEquals("general", m.room());
      assertNull(m.from());
      assertEquals(HI, m.data());
    }
    assertTrue(outsider.sync().isEmpty());
  }

  @Test
  void broadcastOthersReachesEveryoneButTheSender() {
    TestClient a = connect();
    TestClient b = connect();
    TestClient c = connect();
    for (TestClient member : List.of(a, b, c)) {
      Await.result(hub.join(member.id(), "general"));
    }
    hub.broadcastOthers("general", a.id(), "message", HI);
    assertEquals(HI, b.takeEvent("message").data());
    assertEquals(HI, c.takeEvent("message").data());
    assertTrue(a.sync().isEmpty(), "the sender got its own broadcast");
    a.sendJson(new JsonObject().put("event", "say").put("data", "from a's read loop"));
    assertEquals("from a's read loop", b.takeEvent("say").data());
    assertEquals("from a's read loop", c.takeEvent("say").data());
    assertTrue(a.sync().isEmpty(), "the sender got its own message");
  }

  @Test
  void leaveStopsTheRoomsBroadcasts() {
    TestClient a = connect();
    TestClient b = connect();
    Await.result(hub.join(a.id(), "general"));
    Await.result(hub.join(b.id(), "general"));
    Await.result(hub.leave(connectionOf(a), "general"));
    hub.broadcast("general", "message", HI);
    assertEquals(HI, b.takeEvent("message").data());
    assertTrue(a.sync().isEmpty());
  }

  @Test
  void sendByIdReachesThatClientOnly() {
    TestClient a = connect();
    TestClient b = connect();
    Await.result(hub.send(b.id(), "direct", "for b only"));
    Msg m = b.takeEvent("direct");
    assertEquals("for b only", m.data());
    assertNull(m.room());
    assertTrue(a.sync().isEmpty());
  }

  @Test
  void removeClosesTheClientWith1000AndItLeavesEveryRoom() {
    TestClient a = connect();
    TestClient b = connect();
    for (String room : List.of("general", "random")) {
      Await.result(hub.join(a.id(), room));
    }
    Await.result(hub.join(b.id(), "general"));
    Await.result(hub.remove(a.id()));
    assertEquals(1000, a.awaitClose());
    closed.await(c -> c.id().equals(a.id()));
    assertEquals(List.of(new ClientInfo(b.id(), gateway.nodeId())), Await.result(hub.clients("general")));
    assertFalse(roomCounts().containsKey("random"));
    hub.broadcast("general", "message", HI);
    assertEquals(HI, b.takeEvent("message").data());
  }

  @Test
  void clientsRoomsAndCountDescribeTheHub() {
    TestClient a = connect();
    TestClient b = connect();
    TestClient c = connect();
    Await.result(hub.join(a.id(), "general"));
    Await.result(hub.join(b.id(), "general"));
    Await.result(hub.join(c.id(), "random"));
    assertEquals(List.of(a.id(), b.id()).stream().sorted().toList(),
      Await.result(hub.clients("general")).stream().map(ClientInfo::id).toList());
    assertEquals(Map.of("root", 3L, "general", 2L, "random", 1L), roomCounts());
    assertEquals(3L, Await.result(hub.count()));
  }

  private Map<String, Long> roomCounts() {
    return Await.result(hub.rooms()).stream().collect(Collectors.toMap(RoomInfo::room, RoomInfo::members));
  }
}
