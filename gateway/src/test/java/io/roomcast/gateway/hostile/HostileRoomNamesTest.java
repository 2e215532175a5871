package io.roomcast.gateway.hostile;

import io.roomcast.gateway.Hub;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.RawSocketClient;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import static io.roomcast.gateway.testing.RawSocketClient.CLOSE;
import static io.roomcast.gateway.testing.RawSocketClient.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Room names that aim at other event-bus addresses: confined to the hub's own prefix, or refused.
 */
class HostileRoomNamesTest extends HostileInputTestBase {

  static Stream<Arguments> roomsNamedAfterOtherAddresses() {
    // name, whether the address it spells has a consumer of its own (the other hub's room)
    return Stream.of(
      arguments("__vertx.reply.x", false),
      arguments("__vertx.x", false),
      arguments("roomcast.other.room.lobby", true),
      arguments("roomcast.default.node.x.0", false),
      arguments("../lobby", false),
      arguments("other/../../lobby", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("roomsNamedAfterOtherAddresses")
  void aRoomNamedAfterAnotherAddressIsConfinedToThisHubsPrefix(String room, boolean spelledAddressIsInUse) {
    Hub other = gateway.hub("other");
    TestClient otherMember = track(TestClient.connect(vertx, port, "/other"));
    Wire.JSON.join(otherMember, ROOM);
    String confined = "roomcast.default.room." + room;
    try (RawSocketClient c = attacker()) {
      JsonObject reply = request(c, new JsonObject().put("event", "join").put("room", room));
      assertEquals("ok", reply.getString("status"), reply.encode());
      // The consumer is under this hub's prefix, never on the address the name spells.
      assertReceivesBroadcast(c, hub, room);
      if (!spelledAddressIsInUse) {
        assertNoHandlers(room);
      }
      // What the other hub publishes in its room of that name never reaches the attacker.
      other.broadcast(ROOM, "other-hub", new JsonObject());
      otherMember.takeEvent("other-hub");
      assertTrue(readPending(c).stream().noneMatch(f -> f.contains("other-hub")), "a message of another hub arrived");
    }
    assertUnharmed(spelledAddressIsInUse ? new String[] {confined} : new String[] {confined, room});
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"__vertx reply", "a*", "#", "lobby\u0000", "caf\u00e9", "\u2028", ""})
  void aRoomNameOutsideTheCharacterSetIsInvalidRoom(String room) {
    try (RawSocketClient c = attacker()) {
      JsonObject reply = request(c, new JsonObject().put("event", "join").put("room", room));
      assertEquals("invalid_room", reply.getJsonObject("error").getString("code"), reply.encode());
      c.sendFrame(true, CLOSE, closePayload(1000, new byte[0]));
      assertEquals(1000, c.awaitClose());
    }
    assertUnharmed("roomcast.default.room." + room, room);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/rooms/__vertx.reply.x", "/rooms/..%2F..%2Flobby", "/rooms/roomcast.default.room.lobby"})
  void aPathRoomNamedAfterAnotherAddressIsConfined(String path) {
    boolean spelledAddressIsInUse = path.endsWith("roomcast.default.room.lobby");
    Hub rooms = gateway.hub("rooms");
    try (RawSocketClient c = RawSocketClient.upgraded(port, path)) {
      JsonObject welcome = new JsonObject(c.readUntil(TEXT).text()).getJsonObject("data");
      String room = welcome.getJsonArray("rooms").getString(1);
      assertReceivesBroadcast(c, rooms, room);
      if (!spelledAddressIsInUse) {
        assertNoHandlers(room);
      }
      hub.broadcast(ROOM, "wrong-hub", new JsonObject());
      bystander.takeEvent("wrong-hub");
      assertTrue(readPending(c).stream().noneMatch(f -> f.contains("wrong-hub")));
      c.sendFrame(true, CLOSE, closePayload(1000, new byte[0]));
      assertEquals(1000, c.awaitClose());
      Await.until(() -> Await.result(rooms.count()) == 0L, TestClient.TIMEOUT, "the path-room connection left");
      assertNoHandlers("roomcast.rooms.room." + room);
    }
    assertUnharmed();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/rooms/a%20b", "/rooms/%00", "/rooms/caf%C3%A9", "/rooms/a*"})
  void aPathRoomOutsideTheCharacterSetIsRefusedWith400(String path) {
    assertHandshakeRefused(Map.of(), path, 400);
    assertEquals(0L, Await.result(gateway.hub("rooms").count()));
  }

  @Test
  void aDirectMessageToAVertxAddressIsUnknownClient() {
    try (RawSocketClient c = attacker()) {
      for (String to : List.of("__vertx.reply.x", "roomcast.default.room.lobby", "x.0.1")) {
        JsonObject reply = request(c, new JsonObject().put("event", "dm").put("to", to).put("data", "x"));
        assertEquals("unknown_client", reply.getJsonObject("error").getString("code"), to);
      }
    }
    assertUnharmed("__vertx.reply.x");
  }
}
