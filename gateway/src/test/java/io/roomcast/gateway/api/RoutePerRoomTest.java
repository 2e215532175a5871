package io.roomcast.gateway.api;

import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.BareClient;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A hub whose path has a {@code :room} parameter: the path chooses a room the connection joins. */
class RoutePerRoomTest extends GatewayTestBase {

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(new HubOptions(), new HubOptions().setName("chat").setPath("/ws/chat/:room")));
  }

  private Hub chat() {
    return gateway.hub("chat");
  }

  @Test
  void theRoomOfThePathIsJoinedBeforeTheWelcome() {
    TestClient c = connectTo("/ws/chat/lobby");
    assertEquals(new JsonArray().add("root").add("lobby"), c.welcome().getJsonArray("rooms"));
    assertEquals(List.of(new ClientInfo(c.id(), gateway.nodeId())), Await.result(chat().clients("lobby")));
  }

  @Test
  void roomNamesWithEveryAllowedPunctuationWork() {
    TestClient c = connectTo("/ws/chat/team:1@acme.x-y_z");
    assertEquals("team:1@acme.x-y_z", c.welcome().getJsonArray("rooms").getString(1));
  }

  @Test
  void anInvalidRoomInThePathIsRefusedWith400BeforeTheUpgrade() {
    for (String room : List.of("bad%20room", "%C3%BCmlaut", "x".repeat(129), "semi%3Bcolon")) {
      try (BareClient refused = BareClient.upgrade(vertx, port, "/ws/chat/" + room, null)) {
        assertEquals(400, refused.status(), room);
      }
    }
    assertEquals(0L, Await.result(chat().count()));
  }

  @Test
  void connectionsOfTwoRoomsDoNotSeeEachOthersMessages() {
    TestClient a1 = connectTo("/ws/chat/a");
    TestClient a2 = connectTo("/ws/chat/a");
    TestClient b1 = connectTo("/ws/chat/b");
    a1.sendJson(new JsonObject().put("event", "chat").put("room", "a").put("data", "for a"));
    Msg m = a2.takeEvent("chat");
    assertEquals("a", m.room());
    assertEquals("for a", m.data());
    b1.sendJson(new JsonObject().put("event", "chat").put("room", "b").put("data", "for b"));
    assertTrue(b1.sync().isEmpty(), "b saw a's message");
    assertTrue(a1.sync().isEmpty(), "a saw b's message");
    assertTrue(a2.sync().isEmpty(), "a saw b's message");
    assertEquals("not_member", Wire.JSON.failure(b1, Envelope.of("chat").withRoom("a")).errorCode());
  }

  @Test
  void everyConnectionOfTheHubIsInItsRootButNotInAnotherHubsRoot() {
    TestClient a = connectTo("/ws/chat/a");
    TestClient b = connectTo("/ws/chat/b");
    TestClient other = connect();
    chat().broadcast("root", "notice", "chat hub");
    assertEquals("chat hub", a.takeEvent("notice").data());
    assertEquals("chat hub", b.takeEvent("notice").data());
    assertTrue(other.sync().isEmpty(), "a broadcast to one hub's root reached another hub");
  }
}
