package io.roomcast.gateway.impl.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The event-bus wire format: every message type round-trips, tags are fixed, other versions are refused. */
class BusCodecTest {

  private static final String PREFIX = "prefix";
  // Every type's codec reads every type: the format names the type, not the codec.
  private static final BusCodec<BusMessage> CODEC = new BusCodec<>("test");

  private static Buffer encode(BusMessage m) {
    Buffer wire = Buffer.buffer().appendString(PREFIX);
    CODEC.encodeToWire(wire, m);
    return wire;
  }

  private static BusMessage decode(Buffer wire) {
    return CODEC.decodeFromWire(PREFIX.length(), wire);
  }

  @Test
  void roomDeliveriesRoundTripWithAndWithoutAPosition() {
    Buffer payload = new JsonObject().put("text", "héllo").toBuffer();
    RoomDelivery plain = new RoomDelivery("lobby", "chat", "n.0.1", "n.0.1", payload, false);
    RoomDelivery read = (RoomDelivery) decode(encode(plain));
    assertEquals("lobby", read.room());
    assertEquals("chat", read.event());
    assertEquals("n.0.1", read.from());
    assertEquals("n.0.1", read.exclude());
    assertEquals(payload, read.payload());
    assertEquals(plain.publishedAt(), read.publishedAt());
    assertEquals(0, read.offset());
    assertNull(read.epoch());
    assertArrayEquals(plain.jsonFrame(), read.jsonFrame());

    RoomDelivery positioned = (RoomDelivery) decode(encode(new RoomDelivery("r", "e", null, null, null, false).at(42, "ep1")));
    assertEquals(42, positioned.offset());
    assertEquals("ep1", positioned.epoch());
    assertNull(positioned.from());
    assertNull(positioned.payload());
  }

  @Test
  void directDeliveriesKeepBinaryPayloads() {
    Buffer bytes = Buffer.buffer(new byte[] {0, (byte) 0xff, 7});
    DirectDelivery read = (DirectDelivery) decode(encode(new DirectDelivery("n.1.a", "file", "n.0.1", bytes, true)));
    assertEquals("n.1.a", read.to());
    assertEquals(bytes, read.payload());
    assertEquals(true, read.binaryPayload());
  }

  @Test
  void commandsProbesAndQuestionsRoundTrip() {
    List<BusMessage> messages = List.of(
      new ShardCommand.Join("n.0.1", "lobby"), new ShardCommand.Leave("n.0.1", "lobby"), new ShardCommand.Close("n.0.1", 1008, "kicked"),
      new Probe("node", "token"), new Probe.Request("roomcast.default.room.x", "t"), new Probe.Seen("t"),
      new Question.Rooms(), new Question.Clients("lobby"), new Question.Size("lobby"), new Question.Count(), new Question.Info(),
      new Question.Stats(true), new Question.Stats(false),
      new Question.PresenceSync("node"), new Question.UserConnections("ann"), new Question.KickUser("ann"));
    for (BusMessage m : messages) {
      assertEquals(m, decode(encode(m)), "round trip of " + m);
    }
  }

  @Test
  void presenceChangesBatchesAndSnapshotsRoundTripWithAbsentUserAndInfo() {
    PresenceChange joined = new PresenceChange("node", 7, true, new PresenceEntry("team:1", "node.0.1", "ann", "{\"name\":\"Ann\"}"));
    PresenceChange left = new PresenceChange("node", 8, false, new PresenceEntry("team:1", "node.0.2", null, null));
    List<BusMessage> messages = List.of(joined, left, new PresenceBatch(List.of(joined, left)),
      new PresenceSnapshot("node", 15, 8, List.of(joined.entry(), left.entry())), new PresenceSnapshot("node", 0, 0, List.of()));
    for (BusMessage m : messages) {
      assertEquals(m, decode(encode(m)), "round trip of " + m);
    }
  }

  @Test
  void everyMessageStartsWithTheWireVersionAndItsFixedTag() {
    // Tags are part of the wire format between nodes of a cluster: changing one breaks mixed clusters.
    assertTag(1, new RoomDelivery("r", "e", null, null, null, false));
    assertTag(2, new DirectDelivery("n.0.1", "e", null, null, false));
    assertTag(3, new ShardCommand.Join("c", "r"));
    assertTag(4, new ShardCommand.Leave("c", "r"));
    assertTag(5, new ShardCommand.Close("c", 1000, "r"));
    assertTag(6, new Probe("n", "t"));
    assertTag(7, new Question.Rooms());
    assertTag(8, new Question.Clients("r"));
    assertTag(9, new Question.Size("r"));
    assertTag(10, new Question.Count());
    assertTag(11, new Question.Info());
    assertTag(12, new Question.Stats(false));
    assertTag(13, new Probe.Request("a", "t"));
    assertTag(14, new Probe.Seen("t"));
    PresenceEntry entry = new PresenceEntry("r", "c", null, null);
    assertTag(15, new PresenceChange("n", 1, true, entry));
    assertTag(16, new PresenceSnapshot("n", 0, 1, List.of(entry)));
    assertTag(17, new Question.PresenceSync("n"));
    assertTag(18, new Question.UserConnections("u"));
    assertTag(19, new Question.KickUser("u"));
    assertTag(20, new PresenceBatch(List.of(new PresenceChange("n", 1, true, entry))));
  }

  private static void assertTag(int tag, BusMessage m) {
    Buffer wire = encode(m);
    assertEquals(BusCodec.WIRE_VERSION, wire.getByte(PREFIX.length()), "version of " + m);
    assertEquals(tag, wire.getByte(PREFIX.length() + 1), "tag of " + m);
  }

  @Test
  void anotherWireVersionOrAnUnknownTagIsUnreadable() {
    Buffer wire = encode(new ShardCommand.Join("c", "r"));
    wire.setByte(PREFIX.length(), (byte) (BusCodec.WIRE_VERSION + 1));
    Unreadable newer = assertInstanceOf(Unreadable.class, decode(wire));
    assertEquals(BusCodec.WIRE_VERSION + 1, newer.version());
    assertEquals(3, newer.tag());

    Buffer unknown = Buffer.buffer().appendString(PREFIX).appendByte((byte) BusCodec.WIRE_VERSION).appendByte((byte) 99);
    assertEquals(new Unreadable(BusCodec.WIRE_VERSION, 99), decode(unknown));
  }
}
