package io.roomcast.gateway.protocol;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROTOCOL.md sections 1–3 over real connections, once per wire (JSON and binary): the same
 * rules, whatever the encoding a client speaks.
 */
abstract class ProtocolContractTest extends GatewayTestBase {

  private static final JsonObject HELLO = new JsonObject().put("text", "hello");

  protected abstract Wire wire();

  @Override
  protected void configure(Gateway gateway) {
    gateway.hub("default").on("echo", ctx -> ctx.reply(ctx.data()));
  }

  private TestClient client() {
    return connect(wire().subprotocol());
  }

  @Test
  void welcomeIsTheFirstFrameWithIdNodeAndRootRoom() {
    TestClient c = client();
    JsonObject welcome = c.welcome();
    assertEquals(gateway.nodeId(), welcome.getString("node"));
    assertEquals(new JsonArray().add("root"), welcome.getJsonArray("rooms"));
    assertTrue(c.id().matches("[A-Za-z0-9._-]{1,64}"), c.id());
    assertEquals(wire().subprotocol(), c.subProtocol());
  }

  @Test
  void clientIdsAreUniqueAcrossConnections() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      ids.add(client().id());
    }
    assertEquals(20, ids.size());
  }

  @Test
  void joinIsRepliedWithTheRoomAndJoiningTwiceIsFine() {
    TestClient c = client();
    Msg first = wire().request(c, Envelope.of("join").withRoom("lobby"));
    assertEquals("ok", first.status());
    assertEquals("lobby", first.dataObject().getString("room"));
    Msg second = wire().request(c, Envelope.of("join").withRoom("lobby"));
    assertEquals("ok", second.status());
  }

  @Test
  void publishReachesEveryOtherMemberButNotTheSender() {
    TestClient a = client();
    TestClient b = client();
    TestClient c = client();
    TestClient outsider = client();
    for (TestClient member : List.of(a, b, c)) {
      wire().join(member, "lobby");
    }
    wire().send(a, Envelope.of("chat").withRoom("lobby").withData(HELLO));
    for (TestClient receiver : List.of(b, c)) {
      Msg m = receiver.takeEvent("chat");
      assertEquals("lobby", m.room());
      assertEquals(a.id(), m.from());
      assertEquals(HELLO, m.data());
    }
    assertTrue(a.sync().stream().noneMatch(m -> "chat".equals(m.event())), "the sender got its own message");
    assertTrue(outsider.sync().stream().noneMatch(m -> "chat".equals(m.event())), "a non-member got the message");
  }

  @Test
  void messagesOfOneSenderArriveInOrder() {
    TestClient a = client();
    TestClient b = client();
    wire().join(a, "ordered");
    wire().join(b, "ordered");
    for (int i = 0; i < 200; i++) {
      wire().send(a, Envelope.of("n").withRoom("ordered").withData(i));
    }
    for (int i = 0; i < 200; i++) {
      assertEquals(i, ((Number) b.takeEvent("n").data()).intValue());
    }
  }

  @Test
  void publishWithoutMembershipIsNotMember() {
    TestClient a = client();
    TestClient b = client();
    wire().join(b, "closed-room");
    Msg failure = wire().failure(a, Envelope.of("chat").withRoom("closed-room").withData(HELLO));
    assertEquals("not_member", failure.errorCode());
    assertTrue(b.sync().stream().noneMatch(m -> "chat".equals(m.event())));
  }

  @Test
  void badRoomNamesAreInvalidRoom() {
    TestClient c = client();
    for (String room : List.of("has space", "ümlaut", "x".repeat(129), "semi;colon", "__vertx.*")) {
      assertEquals("invalid_room", wire().failure(c, Envelope.of("join").withRoom(room)).errorCode(), room);
      assertEquals("invalid_room", wire().failure(c, Envelope.of("chat").withRoom(room)).errorCode(), room);
    }
  }

  @Test
  void joinWithoutRoomIsBadRequest() {
    TestClient c = client();
    assertEquals("bad_request", wire().failure(c, Envelope.of("join")).errorCode());
    assertEquals("bad_request", wire().failure(c, Envelope.of("leave")).errorCode());
  }

  @Test
  void leaveStopsDeliveriesAndLeavingTwiceIsFine() {
    TestClient a = client();
    TestClient b = client();
    wire().join(a, "r");
    wire().join(b, "r");
    assertEquals("ok", wire().request(b, Envelope.of("leave").withRoom("r")).status());
    assertEquals("ok", wire().request(b, Envelope.of("leave").withRoom("r")).status());
    assertEquals("ok", wire().request(b, Envelope.of("leave").withRoom("never-joined")).status());
    wire().send(a, Envelope.of("chat").withRoom("r").withData(HELLO));
    a.sync();
    assertTrue(b.sync().stream().noneMatch(m -> "chat".equals(m.event())));
  }

  @Test
  void rootCannotBeLeft() {
    TestClient c = client();
    assertEquals("forbidden", wire().failure(c, Envelope.of("leave").withRoom("root")).errorCode());
    TestClient other = client();
    wire().send(other, Envelope.of("shout").withRoom("root").withData(HELLO));
    assertEquals(HELLO, c.takeEvent("shout").data());
  }

  @Test
  void everyConnectionIsInRootAndReceivesItsBroadcasts() {
    TestClient a = client();
    TestClient b = client();
    hub.broadcast("root", "notice", HELLO);
    for (TestClient c : List.of(a, b)) {
      Msg m = c.takeEvent("notice");
      assertEquals("root", m.room());
      assertNull(m.from());
      assertEquals(HELLO, m.data());
    }
  }

  @Test
  void pingIsAnswered() {
    TestClient c = client();
    Msg reply = wire().request(c, Envelope.of("ping"));
    assertEquals("ok", reply.status());
  }

  @Test
  void directMessageReachesTheTargetWithItsSender() {
    TestClient a = client();
    TestClient b = client();
    wire().send(a, Envelope.of("dm").withTo(b.id()).withData(HELLO));
    Msg m = b.takeEvent("dm");
    assertEquals(a.id(), m.from());
    assertNull(m.room());
    assertEquals(HELLO, m.data());
  }

  @Test
  void directMessageToAnUnknownClientIsUnknownClient() {
    TestClient a = client();
    for (String to : List.of(gateway.nodeId() + ".0.zzzz", "nosuchnode.0.1", "not-an-id", "x".repeat(65))) {
      assertEquals("unknown_client", wire().failure(a, Envelope.of("dm").withTo(to).withData(HELLO)).errorCode(), to);
    }
  }

  @Test
  void directMessageToAClosedClientIsUnknownClient() {
    TestClient a = client();
    TestClient b = client();
    String gone = b.id();
    b.close();
    b.awaitClose();
    assertEquals("unknown_client", wire().failure(a, Envelope.of("dm").withTo(gone)).errorCode());
  }

  @Test
  void aHandlerRunsBeforeDirectAndRoomDelivery() {
    TestClient a = client();
    TestClient b = client();
    wire().join(a, "r");
    wire().join(b, "r");
    Msg reply = wire().request(a, Envelope.of("echo").withRoom("r").withTo(b.id()).withData(HELLO));
    assertEquals("ok", reply.status());
    assertTrue(b.sync().stream().noneMatch(m -> "echo".equals(m.event())), "the handler did not take the event");
  }

  @Test
  void anEventWithNoHandlerNoToAndNoRoomIsUnknownEvent() {
    TestClient c = client();
    assertEquals("unknown_event", wire().failure(c, Envelope.of("whatever").withData(HELLO)).errorCode());
  }

  @Test
  void deliveriesCrossEncodings() {
    TestClient json = connect(Wire.JSON.subprotocol());
    TestClient binary = connect(Wire.BINARY.subprotocol());
    TestClient sender = client();
    for (TestClient c : List.of(json, binary)) {
      c.sync();
    }
    Wire.JSON.join(json, "mixed");
    Wire.BINARY.join(binary, "mixed");
    wire().join(sender, "mixed");
    wire().send(sender, Envelope.of("chat").withRoom("mixed").withData(HELLO));
    Msg toJson = json.takeEvent("chat");
    Msg toBinary = binary.takeEvent("chat");
    assertFalse(toJson.binary());
    assertTrue(toBinary.binary());
    assertEquals(HELLO, toJson.data());
    assertEquals(HELLO, toBinary.data());
    assertEquals(sender.id(), toBinary.from());
  }

  @Test
  void aBadFrameNeverClosesTheConnectionNorReachesOthers() {
    TestClient a = client();
    TestClient b = client();
    wire().join(a, "r");
    wire().join(b, "r");
    sendGarbage(a);
    assertFalse(a.isClosed());
    assertEquals("ok", wire().request(a, Envelope.of("ping")).status());
    assertTrue(b.sync().stream().noneMatch(m -> !"pong".equals(m.event())), "another client saw something");
    wire().send(a, Envelope.of("chat").withRoom("r").withData(HELLO));
    assertEquals(HELLO, b.takeEvent("chat").data());
  }

  /** Sends a malformed frame of this wire and checks that it is answered with bad_request. */
  protected abstract void sendGarbage(TestClient c);
}
