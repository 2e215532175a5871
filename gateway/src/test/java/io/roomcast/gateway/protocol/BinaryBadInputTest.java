package io.roomcast.gateway.protocol;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROTOCOL.md section 4 over real connections: malformed binary envelopes are bad requests that
 * change nothing else; {@code src} is the server's; payload bytes cross encodings as specified.
 */
class BinaryBadInputTest extends GatewayTestBase {

  private static final byte[] BAD_UTF8 = {(byte) 0xC3, 0x28};

  private TestClient sender;
  private TestClient binaryMember;
  private TestClient jsonMember;

  @BeforeEach
  void threeMembersOfOneRoom() {
    sender = connect(Wire.BINARY.subprotocol());
    binaryMember = connect(Wire.BINARY.subprotocol());
    jsonMember = connect(Wire.JSON.subprotocol());
    Wire.BINARY.join(sender, "r");
    Wire.BINARY.join(binaryMember, "r");
    Wire.JSON.join(jsonMember, "r");
  }

  private static Buffer field(byte[] bytes) {
    return Buffer.buffer().appendInt(bytes.length).appendBytes(bytes);
  }

  private static Buffer field(String s) {
    return field(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Buffer frame(Buffer room, Buffer event, Buffer dst, Buffer src, Buffer payload) {
    return Buffer.buffer().appendBuffer(room).appendBuffer(event).appendBuffer(dst).appendBuffer(src).appendBuffer(payload);
  }

  private static Buffer frame(String room, String event, String dst, String src, byte[] payload) {
    return frame(field(room), field(event), field(dst), field(src), field(payload));
  }

  /** The payload bytes of a binary frame, exactly. */
  private static Buffer payloadOf(Msg m) {
    assertTrue(m.binary(), "not a binary frame: " + m);
    return Envelope.decodeBinary(m.raw()).envelope().payload();
  }

  @Test
  void everyMalformedEnvelopeIsABadRequestAndChangesNothingElse() {
    Buffer valid = frame("r", "chat", "", "", "{}".getBytes());
    Map<String, Buffer> malformed = new LinkedHashMap<>();
    malformed.put("a truncated length prefix", Buffer.buffer(new byte[] {0, 0, 1}));
    malformed.put("a length prefix cut in the third field", valid.getBuffer(0, 4 + 1 + 4 + 4 + 2));
    malformed.put("a length over the frame", Buffer.buffer().appendInt(1000).appendString("short"));
    malformed.put("a length of 2^32-1", Buffer.buffer().appendInt(0xFFFFFFFF).appendString("x"));
    malformed.put("a payload length over the frame", frame(field("r"), field("chat"), field(""), field(""),
      Buffer.buffer().appendInt(100).appendString("12345")));
    malformed.put("bytes after the fifth field", valid.copy().appendString("x"));
    malformed.put("an empty event", frame("r", "", "", "", new byte[0]));
    malformed.put("an event with bad characters", frame("r", "chat message", "", "", new byte[0]));
    malformed.put("invalid UTF-8 in room", frame(field(BAD_UTF8), field("chat"), field(""), field(""), field(new byte[0])));
    malformed.put("invalid UTF-8 in event", frame(field("r"), field(BAD_UTF8), field(""), field(""), field(new byte[0])));
    malformed.put("invalid UTF-8 in dst", frame(field("r"), field("chat"), field(BAD_UTF8), field(""), field(new byte[0])));
    malformed.put("an empty frame", Buffer.buffer());
    for (Map.Entry<String, Buffer> bad : malformed.entrySet()) {
      sender.sendBinary(bad.getValue());
      Msg answer = sender.takeNext();
      assertTrue(answer.binary(), bad.getKey());
      assertEquals("error", answer.event(), () -> bad.getKey() + ": " + answer);
      assertEquals("bad_request", answer.errorCode(), bad.getKey());
      assertStillServed(bad.getKey());
    }
  }

  @Test
  void aBinaryFrameFromAJsonClientIsAnsweredInJson() {
    TestClient json = connect();
    json.sendBinary(Buffer.buffer(new byte[] {1, 2, 3}));
    Msg error = json.takeNext();
    assertFalse(error.binary());
    assertEquals("error", error.event());
    assertEquals("bad_request", error.errorCode());
    json.sendBinary(Envelope.of("ping"));
    Msg reply = json.takeNext();
    assertFalse(reply.binary());
    assertEquals("reply", reply.event());
    assertEquals("ok", reply.dataObject().getString("status"));
    assertEquals("ping", reply.dataObject().getString("event"));
  }

  private void assertStillServed(String after) {
    assertFalse(sender.isClosed(), after);
    assertEquals("ok", Wire.BINARY.request(sender, Envelope.of("ping")).status(), after);
    assertTrue(sender.sync().isEmpty(), () -> after + ": more than one answer");
    sender.sendBinary(frame("r", "chat", "", "", "{\"n\":1}".getBytes()));
    for (TestClient member : List.of(binaryMember, jsonMember)) {
      Msg chat = member.takeNext();
      assertEquals("chat", chat.event(), () -> after + ": another member saw " + chat);
      assertTrue(member.sync().isEmpty(), after);
    }
  }

  @Test
  void aClientSetSourceIsReplacedByTheSender() {
    sender.sendBinary(frame("r", "chat", "", "forged.0.1", "{\"n\":1}".getBytes()));
    assertEquals(sender.id(), binaryMember.takeEvent("chat").from());
    assertEquals(sender.id(), jsonMember.takeEvent("chat").from());
    sender.sendBinary(frame("", "dm", binaryMember.id(), jsonMember.id(), "{}".getBytes()));
    Msg dm = binaryMember.takeEvent("dm");
    assertEquals(sender.id(), dm.from());
    assertNull(dm.room());
  }

  @Test
  void payloadBytesReachBinaryClientsUnchanged() {
    byte[] every = new byte[256];
    for (int i = 0; i < every.length; i++) {
      every[i] = (byte) i;
    }
    byte[] spacedJson = " { \"b\" : 1 ,\n \"a\" : [ 2 ] } ".getBytes(StandardCharsets.UTF_8);
    for (byte[] payload : List.of(every, spacedJson, BAD_UTF8, new byte[] {0})) {
      sender.sendBinary(frame("r", "blob", "", "", payload));
      assertArrayEquals(payload, payloadOf(binaryMember.takeEvent("blob")).getBytes());
      jsonMember.takeEvent("blob");
    }
  }

  @Test
  void aNonJsonBinaryPayloadReachesJsonClientsAsBase64() {
    byte[] payload = {(byte) 0xFF, 0, 'a', (byte) 0x80};
    sender.sendBinary(frame("r", "blob", "", "", payload));
    Msg m = jsonMember.takeEvent("blob");
    assertFalse(m.binary());
    assertEquals("base64", m.encoding());
    assertArrayEquals(payload, Base64.getDecoder().decode((String) m.data()));
    assertEquals(sender.id(), m.from());
    assertEquals("r", m.room());
  }

  @Test
  void aJsonPayloadOfABinaryEnvelopeReachesJsonClientsAsData() {
    sender.sendBinary(frame("r", "chat", "", "", " {\"text\":\"h\u00e9\"} ".getBytes(StandardCharsets.UTF_8)));
    Msg m = jsonMember.takeEvent("chat");
    assertFalse(m.binary());
    assertNull(m.encoding());
    assertEquals(new JsonObject().put("text", "h\u00e9"), m.data());
    sender.sendBinary(frame("r", "n", "", "", "42".getBytes()));
    assertEquals(42, ((Number) jsonMember.takeEvent("n").data()).intValue());
  }

  @Test
  void jsonDataReachesBinaryClientsAsItsUtf8Text() {
    jsonMember.sendText("{\"event\":\"chat\",\"room\":\"r\",\"data\":{\"text\":\"h\u00e9\"}}");
    assertEquals("{\"text\":\"h\u00e9\"}", payloadOf(binaryMember.takeEvent("chat")).toString(StandardCharsets.UTF_8));
  }

  @Test
  void aJsonTextFrameOnABinaryConnectionIsReadAsJsonAndAnsweredInBinary() {
    sender.sendText("{\"id\":\"t1\",\"event\":\"join\",\"room\":\"text-room\"}");
    Msg reply = sender.takeNext();
    assertTrue(reply.binary());
    assertEquals("reply", reply.event());
    assertEquals("t1", reply.id());
    assertEquals("ok", reply.status());
    sender.sendText("{\"id\":\"t2\",\"event\":\"leave\",\"room\":\"root\"}");
    Msg failure = sender.takeNext();
    assertTrue(failure.binary());
    assertEquals("t2", failure.id());
    assertEquals("forbidden", failure.errorCode());
    sender.sendText("{not json");
    Msg error = sender.takeNext();
    assertTrue(error.binary());
    assertEquals("error", error.event());
    assertEquals("bad_request", error.errorCode());
  }
}
