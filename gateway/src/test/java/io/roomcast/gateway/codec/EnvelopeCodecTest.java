package io.roomcast.gateway.codec;

import io.roomcast.gateway.DecodeResult;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The envelope codecs (PROTOCOL.md sections 2 and 4) without sockets. */
class EnvelopeCodecTest {

  private static Buffer field(byte[] bytes) {
    return Buffer.buffer().appendInt(bytes.length).appendBytes(bytes);
  }

  private static Buffer field(String s) {
    return field(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A binary envelope built by hand, independently of the encoder. */
  private static Buffer frame(String room, String event, String dst, String src, byte[] payload) {
    return Buffer.buffer().appendBuffer(field(room)).appendBuffer(field(event)).appendBuffer(field(dst))
      .appendBuffer(field(src)).appendBuffer(field(payload));
  }

  private static Envelope decodedBinary(Buffer frame) {
    DecodeResult r = Envelope.decodeBinary(frame);
    assertTrue(r.succeeded(), () -> "expected success, got " + r);
    return r.envelope();
  }

  private static Envelope decodedJson(String text) {
    DecodeResult r = Envelope.decodeJson(Buffer.buffer(text));
    assertTrue(r.succeeded(), () -> "expected success for " + text + ", got " + r);
    return r.envelope();
  }

  private static DecodeResult failedJson(String text) {
    DecodeResult r = Envelope.decodeJson(Buffer.buffer(text));
    assertFalse(r.succeeded(), () -> "expected a failure for " + text + ", got " + r);
    assertEquals(ErrorCode.BAD_REQUEST, r.error(), text);
    return r;
  }

  // ---- binary ----

  @Test
  void binaryEncodingIsFiveBigEndianLengthPrefixedFields() {
    byte[] payload = {0, 1, (byte) 0xFF};
    Buffer encoded = Envelope.create("chat", "lobby", "dst.0.1", "src.0.2", null, Buffer.buffer(payload), true).toBinary();
    assertEquals(frame("lobby", "chat", "dst.0.1", "src.0.2", payload), encoded);
  }

  @Test
  void binaryRoundTripKeepsEveryFieldButTheSourceWhichTheServerSets() {
    byte[] payload = new byte[256];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    Envelope e = decodedBinary(frame("lobby/été", "chat.message:v1", "n.1.a", "forged", payload));
    assertEquals("lobby/été", e.room());
    assertEquals("chat.message:v1", e.event());
    assertEquals("n.1.a", e.to());
    assertNull(e.from(), "a client-set src must not be taken");
    assertNull(e.id());
    assertTrue(e.isBinaryPayload());
    assertArrayEquals(payload, e.payload().getBytes());
    Envelope again = decodedBinary(e.withFrom("x.0.1").toBinary());
    assertEquals(e.room(), again.room());
    assertEquals(e.event(), again.event());
    assertEquals(e.to(), again.to());
    assertEquals(e.payload(), again.payload());
  }

  @Test
  void emptyBinaryFieldsAndPayloadDecodeAsAbsent() {
    Envelope e = decodedBinary(frame("", "ping", "", "", new byte[0]));
    assertEquals("ping", e.event());
    assertNull(e.room());
    assertNull(e.to());
    assertFalse(e.hasData());
    assertNull(e.data());
    assertEquals(frame("", "ping", "", "", new byte[0]), Envelope.of("ping").toBinary());
  }

  @Test
  void binaryPayloadIsDataWhenItIsJsonAndBytesOtherwise() {
    assertEquals(new JsonObject().put("a", 1), decodedBinary(frame("", "e", "", "", "{\"a\":1}".getBytes())).data());
    Buffer opaque = Buffer.buffer(new byte[] {(byte) 0xFF, 0, 1});
    assertEquals(opaque, decodedBinary(frame("", "e", "", "", opaque.getBytes())).data());
  }

  @Test
  void everyMalformedBinaryFrameIsABadRequestValue() {
    Buffer valid = frame("room", "event", "", "", "payload".getBytes());
    List<Buffer> malformed = List.of(
      Buffer.buffer(),
      Buffer.buffer(new byte[] {0, 0}),
      Buffer.buffer().appendInt(0).appendInt(0).appendInt(0).appendInt(0),
      Buffer.buffer().appendInt(1000).appendString("short"),
      Buffer.buffer().appendInt(0xFFFFFFFF).appendString("x"),
      frame("", "", "", "", new byte[0]),
      frame("room", "bad event", "", "", new byte[0]),
      frame("room", "e".repeat(65), "", "", new byte[0]),
      valid.copy().appendByte((byte) 0),
      Buffer.buffer().appendBuffer(field("r")).appendBuffer(field("e")).appendBuffer(field("")).appendBuffer(field(""))
        .appendInt(10).appendString("12345"),
      Buffer.buffer().appendBuffer(field(new byte[] {(byte) 0xC3, 0x28})).appendBuffer(field("e")).appendBuffer(field(""))
        .appendBuffer(field("")).appendBuffer(field(new byte[0])),
      Buffer.buffer().appendBuffer(field("r")).appendBuffer(field(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}))
        .appendBuffer(field("")).appendBuffer(field("")).appendBuffer(field(new byte[0])),
      Buffer.buffer().appendBuffer(field("r")).appendBuffer(field("e")).appendBuffer(field(new byte[] {(byte) 0xFF}))
        .appendBuffer(field("")).appendBuffer(field(new byte[0])));
    for (Buffer frame : malformed) {
      DecodeResult r = Envelope.decodeBinary(frame);
      assertFalse(r.succeeded(), () -> "accepted " + frame);
      assertEquals(ErrorCode.BAD_REQUEST, r.error());
      assertNull(r.envelope());
      assertNull(r.requestId());
      assertTrue(r.message() != null && !r.message().isEmpty());
    }
  }

  @Test
  void everyTruncationOfABinaryFrameIsAnErrorValue() {
    Buffer valid = frame("room", "event", "dst.0.1", "src", "payload".getBytes());
    for (int n = 0; n < valid.length(); n++) {
      assertFalse(Envelope.decodeBinary(valid.getBuffer(0, n)).succeeded(), "prefix of " + n + " bytes");
    }
    assertTrue(Envelope.decodeBinary(valid).succeeded());
  }

  @Test
  void randomBytesNeverThrowFromTheBinaryDecoder() {
    Random random = new Random(42);
    Buffer valid = frame("room", "event", "dst.0.1", "src", "payload".getBytes());
    for (int i = 0; i < 20_000; i++) {
      Buffer input;
      if (i % 2 == 0) {
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        input = Buffer.buffer(bytes);
      } else {
        byte[] bytes = valid.getBytes();
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        input = Buffer.buffer(bytes);
      }
      try {
        DecodeResult r = Envelope.decodeBinary(input);
        assertTrue(r.succeeded() ? r.envelope() != null : r.error() == ErrorCode.BAD_REQUEST);
      } catch (RuntimeException e) {
        fail("decodeBinary threw on " + input, e);
      }
    }
  }

  // ---- JSON ----

  @Test
  void jsonDecodingReadsEveryFieldAndTheChannelAlias() {
    Envelope e = decodedJson("{\"id\":\"r1\",\"event\":\"chat\",\"room\":\"lobby\",\"to\":\"n.0.1\",\"data\":{\"a\":1}}");
    assertEquals("r1", e.id());
    assertEquals("chat", e.event());
    assertEquals("lobby", e.room());
    assertEquals("n.0.1", e.to());
    assertNull(e.from());
    assertFalse(e.isBinaryPayload());
    assertEquals(new JsonObject().put("a", 1), e.data());
    assertEquals("lobby", decodedJson("{\"event\":\"subscribe\",\"channel\":\"lobby\"}").room());
    assertEquals("lobby", decodedJson("{\"event\":\"join\",\"room\":\"lobby\",\"channel\":\"lobby\"}").room());
  }

  @Test
  void whitespaceAroundTheObjectIsAccepted() {
    assertEquals("ping", decodedJson(" \n\t{\"event\":\"ping\"}\r\n ").event());
  }

  @Test
  void aClientSetFromIsIgnored() {
    assertNull(decodedJson("{\"event\":\"chat\",\"from\":\"forged\"}").from());
  }

  @Test
  void jsonDataIsKeptAsTheExactBytesTheClientSent() {
    List<String> values = List.of(
      "{\"b\": 1,  \"a\" :[1, 2.50, {\"x\":null}]}",
      "[ ]",
      "[1,\"two\",[3],{}]",
      "\"plain\"",
      "\"esc \\\" \\\\ \\/ \\n \\t \\u00e9 \\ud83d\\ude00\"",
      "\"unicode é € 😀 ✓\"",
      "\"\"",
      "0",
      "-12",
      "3.25e-7",
      "1E+300",
      "123456789012345678901234567890",
      "true",
      "false",
      "null",
      "{\"deep\":{\"er\":{\"est\":[[[\"x\"]]]}}}");
    for (String value : values) {
      for (String text : List.of(
        "{\"event\":\"e\",\"data\":" + value + "}",
        "{\"data\":" + value + ",\"event\":\"e\"}",
        "{ \"event\" : \"e\" , \"data\" : " + value + " , \"room\" : \"r\" }",
        "{\"event\":\"e\",\"data\":" + value + "\n}")) {
        Envelope e = decodedJson(text);
        assertTrue(e.hasData(), text);
        assertEquals(value, e.payload().toString(StandardCharsets.UTF_8), text);
      }
    }
  }

  @Test
  void jsonWithoutDataHasNoPayload() {
    Envelope e = decodedJson("{\"event\":\"ping\"}");
    assertFalse(e.hasData());
    assertNull(e.data());
  }

  @Test
  void requestIdsAreStringsOrLongs() {
    assertEquals("abc", decodedJson("{\"id\":\"abc\",\"event\":\"e\"}").id());
    assertEquals("", decodedJson("{\"id\":\"\",\"event\":\"e\"}").id());
    assertEquals("x".repeat(64), decodedJson("{\"id\":\"" + "x".repeat(64) + "\",\"event\":\"e\"}").id());
    assertEquals(42L, decodedJson("{\"id\":42,\"event\":\"e\"}").id());
    assertEquals(-7L, decodedJson("{\"id\":-7,\"event\":\"e\"}").id());
    assertEquals(Long.MAX_VALUE, decodedJson("{\"id\":" + Long.MAX_VALUE + ",\"event\":\"e\"}").id());
    assertEquals(Long.MIN_VALUE, decodedJson("{\"id\":" + Long.MIN_VALUE + ",\"event\":\"e\"}").id());
  }

  @Test
  void badRequestIdsFailWithoutAnId() {
    for (String id : List.of("{}", "[1]", "1.5", "1e3", "true", "\"" + "x".repeat(65) + "\"", "9223372036854775808",
      "-9223372036854775809")) {
      DecodeResult r = failedJson("{\"id\":" + id + ",\"event\":\"e\"}");
      assertNull(r.requestId(), id);
    }
  }

  @Test
  void aFailureCarriesTheIdWhenItCouldBeRead() {
    assertEquals("r1", failedJson("{\"id\":\"r1\",\"event\":5}").requestId());
    assertEquals("r1", failedJson("{\"event\":5,\"id\":\"r1\"}").requestId());
    assertEquals(9L, failedJson("{\"id\":9}").requestId());
    assertEquals("r1", failedJson("{\"id\":\"r1\",\"event\":\"e\",\"room\":1}").requestId());
    assertEquals("r1", failedJson("{\"id\":\"r1\",\"event\":\"e\"} trailing").requestId());
    assertEquals("r1", failedJson("{\"id\":\"r1\",\"event\":\"e\",\"event\":\"f\"}").requestId());
  }

  @Test
  void everyMalformedJsonFrameIsABadRequestValue() {
    List<String> malformed = List.of(
      "", " ", "not json", "{not json", "[]", "[{\"event\":\"e\"}]", "\"event\"", "42", "null", "true",
      "{}", "{\"data\":1}", "{\"event\":null}", "{\"event\":\"\"}", "{\"event\":5}", "{\"event\":{}}",
      "{\"event\":\"" + "e".repeat(65) + "\"}", "{\"event\":\"has space\"}", "{\"event\":\"ümlaut\"}",
      "{\"event\":\"e\",\"room\":5}", "{\"event\":\"e\",\"room\":[\"r\"]}", "{\"event\":\"e\",\"to\":{}}",
      "{\"event\":\"e\",\"channel\":true}", "{\"event\":\"join\",\"room\":\"a\",\"channel\":\"b\"}",
      "{\"event\":\"e\",\"event\":\"e\"}", "{\"event\":\"e\"}x", "{\"event\":\"e\"}{}", "{\"event\":\"e\",}",
      "{\"event\":\"e\",\"data\":" + "[".repeat(200) + "]".repeat(200) + "}",
      "{\"event\":\"e\",\"data\":" + "{\"a\":".repeat(200) + "1" + "}".repeat(200) + "}",
      "{\"event\":\"e\",\"data\":}", "{\"event\":\"e\",\"data\":NaN}", "{'event':'e'}");
    for (String text : malformed) {
      DecodeResult r = failedJson(text);
      assertNull(r.envelope(), text);
      assertTrue(r.message() != null && !r.message().isEmpty(), text);
    }
  }

  @Test
  void everyTruncationOfAJsonFrameIsAnErrorValue() {
    String valid = "{\"id\":\"r1\",\"event\":\"chat\",\"room\":\"lobby\",\"data\":{\"a\":[1,\"é\"]}}";
    byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
    for (int n = 0; n < bytes.length; n++) {
      DecodeResult r = Envelope.decodeJson(Buffer.buffer(java.util.Arrays.copyOf(bytes, n)));
      assertFalse(r.succeeded(), "prefix of " + n + " bytes");
    }
    assertTrue(Envelope.decodeJson(Buffer.buffer(bytes)).succeeded());
  }

  @Test
  void randomTextNeverThrowsFromTheJsonDecoder() {
    Random random = new Random(7);
    String alphabet = "{}[]\":,.-+eE0123456789 truefalsn\\u/event data id room é";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder("{\"event\":\"e\",\"data\":");
      int n = random.nextInt(40);
      for (int j = 0; j < n; j++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      Buffer input = Buffer.buffer(sb.toString());
      try {
        DecodeResult r = Envelope.decodeJson(input);
        assertTrue(r.succeeded() ? r.envelope() != null : r.error() == ErrorCode.BAD_REQUEST);
      } catch (RuntimeException e) {
        fail("decodeJson threw on " + input, e);
      }
    }
  }

  @Test
  void jsonEncodingRoundTripsThroughTheDecoder() {
    Envelope e = Envelope.of("chat").withRoom("lobby").withTo("n.0.1").withId("r9")
      .withData(new JsonObject().put("text", "é \" \\ 😀"));
    Envelope back = decodedJson(e.toJson().toString());
    assertEquals(e.event(), back.event());
    assertEquals(e.room(), back.room());
    assertEquals(e.to(), back.to());
    assertEquals(e.id(), back.id());
    assertEquals(e.data(), back.data());
    assertEquals(7L, decodedJson(Envelope.of("e").withId(7).toJson().toString()).id());
  }

  @Test
  void aNonJsonBinaryPayloadIsEncodedAsBase64InJson() {
    byte[] bytes = {(byte) 0xFF, 0, 'a'};
    JsonObject json = new JsonObject(Envelope.of("blob").withData(Buffer.buffer(bytes)).toJson());
    assertEquals("base64", json.getString("encoding"));
    assertArrayEquals(bytes, java.util.Base64.getDecoder().decode(json.getString("data")));
    JsonObject jsonPayload = new JsonObject(Envelope.of("blob").withData(Buffer.buffer("{\"a\":1}")).toJson());
    assertEquals(new JsonObject().put("a", 1), jsonPayload.getJsonObject("data"));
    assertFalse(jsonPayload.containsKey("encoding"));
  }
}
