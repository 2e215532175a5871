package io.roomcast.gateway.seeds;

import io.roomcast.gateway.Connection;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.RoomInfo;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.Recorder;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * wsrooms' documentation (seeds/002), without claims, with Roomcast's API: the auto-joined root
 * room, the binary length-prefixed envelope (room, event, dst, src, payload) with src set by the
 * server, custom event handlers with SendToRoom and SendToClient, TrySend, empty rooms collected.
 */
class WsroomsParityTest extends GatewayTestBase {

  private static final String BIN = Wire.BINARY.subprotocol();

  private final Recorder<Connection> connected = new Recorder<>();
  private final Recorder<Boolean> trySent = new Recorder<>();

  @Override
  protected void configure(Gateway gateway) {
    gateway.hub("default")
      .onConnect(connected::add)
      // c.SendToRoom(room, event, payload): every member but the sender, from the sender.
      .on("shout", ctx -> ctx.publish(ctx.envelope().room(), "shout", ctx.envelope().payload()))
      // c.SendToClient(dst, event, payload): a direct message from the sender.
      .on("whisper", ctx -> ctx.send(ctx.envelope().to(), "whisper", ctx.envelope().payload()))
      // The chatHandler example: answer the sender with "ack" through TrySend.
      .on("chat", ctx -> trySent.add(ctx.connection().trySend("echo", Buffer.buffer("ack"))));
  }

  /** The five fields of a binary envelope, read by hand. */
  private static List<Buffer> fields(Buffer frame) {
    List<Buffer> fields = new ArrayList<>();
    int pos = 0;
    for (int i = 0; i < 5; i++) {
      int length = (int) frame.getUnsignedInt(pos);
      fields.add(frame.getBuffer(pos + 4, pos + 4 + length));
      pos += 4 + length;
    }
    assertEquals(frame.length(), pos, "bytes after the fifth field");
    return fields;
  }

  private static Buffer message(String room, String event, String dst, String src, Buffer payload) {
    Buffer frame = Buffer.buffer();
    for (Buffer field : List.of(Buffer.buffer(room), Buffer.buffer(event), Buffer.buffer(dst), Buffer.buffer(src), payload)) {
      frame.appendInt(field.length()).appendBuffer(field);
    }
    return frame;
  }

  private static void assertFields(Msg m, String room, String event, String dst, String src, Buffer payload) {
    assertTrue(m.binary(), "not a binary frame: " + m);
    List<Buffer> f = fields(m.raw());
    assertEquals(room, f.get(0).toString(StandardCharsets.UTF_8), "room");
    assertEquals(event, f.get(1).toString(StandardCharsets.UTF_8), "event");
    assertEquals(dst, f.get(2).toString(StandardCharsets.UTF_8), "dst");
    assertEquals(src, f.get(3).toString(StandardCharsets.UTF_8), "src");
    assertEquals(payload, f.get(4), "payload");
  }

  @Test
  void everyConnectionIsAutoJoinedToRoot() {
    TestClient a = connect(BIN);
    TestClient b = connect();
    assertEquals(new JsonArray().add("root"), a.welcome().getJsonArray("rooms"));
    assertEquals(new JsonArray().add("root"), b.welcome().getJsonArray("rooms"));
    Connection conn = connected.await(c -> c.id().equals(a.id()));
    assertTrue(conn.rooms().contains("root"));
    assertTrue(conn.claims().isEmpty(), "claims without an authenticator");
    a.sendBinary(message("root", "hello", "", "", Buffer.buffer("{\"to\":\"all\"}")));
    Msg m = b.takeEvent("hello");
    assertEquals("root", m.room());
    assertEquals(a.id(), m.from());
  }

  @Test
  void theBinaryEnvelopeRoundTripsWithTheSourceSetByTheServer() {
    TestClient a = connect(BIN);
    TestClient b = connect(BIN);
    Wire.BINARY.join(a, "lobby");
    Wire.BINARY.join(b, "lobby");
    Buffer payload = Buffer.buffer("{\"text\":\"hello\"}");
    a.sendBinary(message("lobby", "update", "", "forged-src", payload));
    assertFields(b.takeEvent("update"), "lobby", "update", "", a.id(), payload);
    // A direct message as wsrooms writes it: room "root", dst the recipient.
    Buffer opaque = Buffer.buffer(new byte[] {0x00, (byte) 0xFF, 'k'});
    a.sendBinary(message("root", "direct", b.id(), "", opaque));
    assertFields(b.takeEvent("direct"), "", "direct", "", a.id(), opaque);
    assertTrue(a.sync().isEmpty(), "the sender got its own message");
  }

  @Test
  void sendToRoomReachesEveryMemberButTheSenderFromTheSender() {
    TestClient a = connect(BIN);
    TestClient b = connect(BIN);
    TestClient c = connect();
    Wire.BINARY.join(a, "lobby");
    Wire.BINARY.join(b, "lobby");
    Wire.JSON.join(c, "lobby");
    Buffer payload = Buffer.buffer("{\"text\":\"everyone\"}");
    a.sendBinary(message("lobby", "shout", "", "", payload));
    assertFields(b.takeEvent("shout"), "lobby", "shout", "", a.id(), payload);
    Msg json = c.takeEvent("shout");
    assertEquals(a.id(), json.from());
    assertEquals(new JsonObject().put("text", "everyone"), json.data());
    assertTrue(a.sync().isEmpty(), "SendToRoom reached the sender");
  }

  @Test
  void sendToClientReachesThatClientOnlyFromTheSender() {
    TestClient a = connect(BIN);
    TestClient b = connect(BIN);
    TestClient c = connect(BIN);
    Buffer payload = Buffer.buffer("secret");
    a.sendBinary(message("root", "whisper", c.id(), "", payload));
    assertFields(c.takeEvent("whisper"), "", "whisper", "", a.id(), payload);
    assertTrue(b.sync().isEmpty());
  }

  @Test
  void theChatHandlerAnswersTheSenderThroughTrySend() {
    TestClient a = connect(BIN);
    a.sendBinary(message("root", "chat", "", "", Buffer.buffer("{\"text\":\"hi\"}")));
    assertFields(a.takeEvent("echo"), "", "echo", "", "", Buffer.buffer("ack"));
    assertTrue(trySent.awaitCount(1).get(0));
  }

  @Test
  void trySendIsTrueForALiveClientAndFalseOnceItIsClosed() {
    TestClient a = connect(BIN);
    Connection conn = connected.await(c -> c.id().equals(a.id()));
    assertTrue(conn.trySend("ping-from-server", Buffer.buffer("x")));
    assertFields(a.takeEvent("ping-from-server"), "", "ping-from-server", "", "", Buffer.buffer("x"));
    a.close();
    Await.result(conn.closeFuture());
    assertFalse(conn.trySend("too-late", Buffer.buffer("x")));
  }

  @Test
  void emptyRoomsAreCollected() {
    TestClient a = connect(BIN);
    TestClient b = connect(BIN);
    Wire.BINARY.join(a, "ephemeral");
    Wire.BINARY.join(b, "ephemeral");
    Wire.BINARY.request(a, io.roomcast.gateway.Envelope.of("leave").withRoom("ephemeral"));
    assertTrue(Await.result(hub.rooms()).contains(new RoomInfo("ephemeral", 1)));
    Wire.BINARY.request(b, io.roomcast.gateway.Envelope.of("leave").withRoom("ephemeral"));
    assertTrue(Await.result(hub.rooms()).stream().noneMatch(r -> r.room().equals("ephemeral")));
    Throwable failure = Await.failure(vertx.eventBus().request("roomcast.default.room.ephemeral", "x"));
    assertEquals(ReplyFailure.NO_HANDLERS, ((ReplyException) failure).failureType());
  }
}
