package io.roomcast.gateway.rooms;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presence events (PROTOCOL.md section 3), only in rooms that match the hub's presence patterns:
 * the other members hear of a join, a leave and a disconnect; the joiner hears nothing of itself.
 */
class PresenceTest extends GatewayTestBase {

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(new HubOptions().setPresence(List.of("chat-*"))));
  }

  private static JsonObject presence(String room, String change, String id) {
    return new JsonObject().put("event", "presence").put("room", room).put("data", new JsonObject().put(change, id));
  }

  private static void assertPresence(TestClient c, JsonObject expected) {
    // Per room: the order between rooms is not specified.
    Msg m = c.take(f -> "presence".equals(f.event()) && expected.getString("room").equals(f.room()));
    assertEquals(expected, new JsonObject(m.raw()));
  }

  @Test
  void otherMembersHearOfAJoinAndTheJoinerDoesNot() {
    TestClient a = connect();
    TestClient b = connect();
    TestClient outsider = connect();
    Wire.JSON.join(a, "chat-1");
    assertTrue(a.sync().isEmpty(), "the joiner heard of its own join");
    Wire.JSON.join(b, "chat-1");
    assertPresence(a, presence("chat-1", "joined", b.id()));
    assertTrue(b.sync().isEmpty(), "the joiner heard of its own join");
    assertTrue(outsider.sync().isEmpty(), "a non-member heard of a join");
    Wire.JSON.join(b, "chat-1");
    assertTrue(a.sync().isEmpty(), "joining twice was announced twice");
  }

  @Test
  void otherMembersHearOfALeave() {
    TestClient a = connect();
    TestClient b = connect();
    Wire.JSON.join(a, "chat-2");
    Wire.JSON.join(b, "chat-2");
    assertPresence(a, presence("chat-2", "joined", b.id()));
    Wire.JSON.request(b, Envelope.of("leave").withRoom("chat-2"));
    assertPresence(a, presence("chat-2", "left", b.id()));
    assertTrue(b.sync().isEmpty());
    Wire.JSON.request(b, Envelope.of("leave").withRoom("chat-2"));
    assertTrue(a.sync().isEmpty(), "leaving a room not joined was announced");
  }

  @Test
  void otherMembersHearOfADisconnectInEveryPresenceRoom() {
    TestClient a = connect();
    TestClient b = connect();
    for (String room : List.of("chat-x", "chat-y", "lobby")) {
      Wire.JSON.join(a, room);
      Wire.JSON.join(b, room);
    }
    assertPresence(a, presence("chat-x", "joined", b.id()));
    assertPresence(a, presence("chat-y", "joined", b.id()));
    b.close();
    assertPresence(a, presence("chat-x", "left", b.id()));
    assertPresence(a, presence("chat-y", "left", b.id()));
    assertEquals(1L, Await.result(hub.count()));
    assertTrue(a.sync().isEmpty(), "presence in a room without presence");
  }

  @Test
  void roomsThatDoNotMatchHaveNoPresence() {
    TestClient a = connect();
    TestClient b = connect();
    for (String room : List.of("lobby", "chat", "xchat-1", "Chat-1")) {
      Wire.JSON.join(a, room);
      Wire.JSON.join(b, room);
      Wire.JSON.request(b, Envelope.of("leave").withRoom(room));
    }
    assertTrue(a.sync().isEmpty(), "presence in a room that does not match chat-*");
  }

  @Test
  void hubJoinAndLeaveAreAnnouncedToo() {
    TestClient a = connect();
    TestClient b = connect();
    Wire.JSON.join(a, "chat-api");
    Await.result(hub.join(b.id(), "chat-api"));
    assertPresence(a, presence("chat-api", "joined", b.id()));
    Await.result(hub.leave(b.id(), "chat-api"));
    assertPresence(a, presence("chat-api", "left", b.id()));
    assertTrue(b.sync().isEmpty());
  }
}
