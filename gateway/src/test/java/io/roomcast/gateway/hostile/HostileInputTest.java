package io.roomcast.gateway.hostile;

import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.JwtOptions;
import io.roomcast.gateway.impl.codec.Utf8Validator;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.RawSocketClient;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.roomcast.gateway.testing.RawSocketClient.BINARY;
import static io.roomcast.gateway.testing.RawSocketClient.CLOSE;
import static io.roomcast.gateway.testing.RawSocketClient.CONTINUATION;
import static io.roomcast.gateway.testing.RawSocketClient.PING;
import static io.roomcast.gateway.testing.RawSocketClient.PONG;
import static io.roomcast.gateway.testing.RawSocketClient.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The hostile-input catalogue (docs/HOSTILE_INPUT.md): one case per attack, written as hand-built
 * bytes on a raw socket against a real server. Each case asserts the close code or HTTP status
 * the attack gets, then that it harmed no one: a bystander in the attacked room still receives
 * what is published there, quickly; the hub counts only the bystander again; the room holds only
 * the bystander; and no event-bus consumer is left on the addresses the attack named.
 *
 * <p>The hubs run on their defaults but for two shortened timeouts (handshake, slow client) so
 * that the cases that wait for them stay fast. Attacks the hardening tests already cover are
 * referenced in the catalogue, not repeated here.
 */
class HostileInputTest extends GatewayTestBase {

  private static final String ROOM = "lobby";
  private static final String SECRET = "hostile-input-tests-shared-secret-of-enough-length";
  private static final String ISSUER = "roomcast-tests";
  private static final String AUDIENCE = "chat";
  private static final KeyPair RSA = rsaKeyPair();
  private static final String RSA_PUBLIC_PEM = pem("PUBLIC KEY", RSA.getPublic().getEncoded());
  /** How soon the bystander must be answered after an attack, flood or not: generous for shared CPUs. */
  private static final Duration QUICKLY = Duration.ofSeconds(2);
  private static final int PER_ADDRESS = 4;

  private TestClient bystander;

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(
      hub(new HubOptions()),
      hub(new HubOptions().setName("secure").setPath("/secure")
        .setJwt(new JwtOptions().setSecret(SECRET).setIssuer(ISSUER).setAudience(List.of(AUDIENCE)))),
      hub(new HubOptions().setName("rsa").setPath("/rsa").setJwt(new JwtOptions().setAlgorithm("RS256").setPublicKey(RSA_PUBLIC_PEM))),
      hub(new HubOptions().setName("other").setPath("/other")),
      hub(new HubOptions().setName("guarded").setPath("/guarded").setMaxConnectionsPerAddress(PER_ADDRESS)),
      hub(new HubOptions().setName("rooms").setPath("/rooms/:room"))));
  }

  private static HubOptions hub(HubOptions options) {
    return options.setHandshakeTimeout(1000).setSlowClientTimeout(1000);
  }

  @BeforeEach
  void bystanderInTheRoom() {
    bystander = connect();
    Wire.JSON.join(bystander, ROOM);
  }

  // ---- frames that break RFC 6455 ----

  @Test
  void aReservedDataOpcodeClosesWith1002() {
    assertFrameCloses(RawSocketClient.frame(true, 0, 0x3, bytes("{}"), true), 1002);
  }

  @Test
  void aReservedControlOpcodeClosesWith1002() {
    assertFrameCloses(RawSocketClient.frame(true, 0, 0xB, new byte[0], true), 1002);
  }

  @ParameterizedTest(name = "RSV bits {0}")
  @ValueSource(ints = {1, 2, 4, 7})
  void reservedBitsWithoutAnExtensionCloseWith1002(int rsv) {
    assertFrameCloses(RawSocketClient.frame(true, rsv, TEXT, bytes("{\"event\":\"ping\"}"), true), 1002);
  }

  @Test
  void anUnmaskedClientFrameClosesWith1002() {
    assertFrameCloses(RawSocketClient.frame(true, 0, TEXT, bytes("{\"event\":\"ping\"}"), false), 1002);
  }

  @ParameterizedTest(name = "opcode {0}")
  @ValueSource(ints = {PING, PONG, CLOSE})
  void aControlFrameOver125BytesClosesWith1002(int opcode) {
    byte[] payload = new byte[126];
    payload[0] = 0x03;
    payload[1] = (byte) 0xE8;
    assertFrameCloses(RawSocketClient.frame(true, 0, opcode, payload, true), 1002);
  }

  @Test
  void aFragmentedPingClosesWith1002() {
    assertFrameCloses(RawSocketClient.frame(false, 0, PING, bytes("half"), true), 1002);
  }

  @Test
  void aContinuationFrameWithNothingToContinueClosesWith1002() {
    assertFrameCloses(RawSocketClient.frame(true, 0, CONTINUATION, bytes("orphan"), true), 1002);
  }

  @Test
  void aNewMessageInsideAFragmentedOneClosesWith1002() {
    try (RawSocketClient c = attacker()) {
      c.sendFrame(false, TEXT, bytes("{\"event\":"));
      // The pong proves the first fragment was read on its own: Vert.x drops the connection
      // without a close frame when a violation follows another frame in the same read.
      c.sendFrame(true, PING, bytes("between"));
      assertEquals("between", c.readUntil(PONG).text());
      c.write(RawSocketClient.frame(true, 0, BINARY, bytes("interleaved"), true));
      assertEquals(1002, c.awaitClose());
    }
    assertUnharmed();
  }

  @Test
  void aViolationReadTogetherWithAnEarlierFrameDropsTheConnection() {
    try (RawSocketClient c = attacker()) {
      c.write(concat(
        RawSocketClient.frame(false, 0, TEXT, bytes("{\"event\":"), true),
        RawSocketClient.frame(true, 0, BINARY, bytes("interleaved"), true)));
      // Vert.x closes the TCP connection right after a decoding error; the 1002 the gateway
      // answers is still unflushed when an earlier frame of the same read is (Autobahn: NON-STRICT).
      assertEquals(-1, c.awaitClose());
    }
    assertUnharmed();
  }

  @Test
  void aLengthNotInItsShortestEncodingClosesWith1002() {
    // Five bytes announced with the two-byte extended length that is meant for 126 and more.
    assertFrameCloses(header(0x81, 0x80 | 126, 0x00, 0x05, 1, 2, 3, 4), 1002);
  }

  @Test
  void aLengthWithItsTopBitSetClosesWith1002() {
    assertFrameCloses(header(0x81, 0x80 | 127, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4), 1002);
  }

  @Test
  void aFrameAnnouncingFourExbibytesClosesWith1009BeforeAnyOfItArrives() {
    assertFrameCloses(header(0x82, 0x80 | 127, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4), 1009);
  }

  // ---- close frames ----

  @ParameterizedTest(name = "close code {0}")
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999})
  void aCloseFrameWithAReservedOrUnassignedCodeClosesWith1002(int code) {
    assertFrameCloses(RawSocketClient.frame(true, 0, CLOSE, closePayload(code, new byte[0]), true), 1002);
  }

  @Test
  void aCloseReasonOfInvalidUtf8ClosesWith1007() {
    byte[] reason = {'b', 'y', 'e', (byte) 0xC3, 0x28};
    assertFrameCloses(RawSocketClient.frame(true, 0, CLOSE, closePayload(1000, reason), true), 1007);
  }

  @Test
  void aCloseFrameOfOneByteClosesWith1002() {
    assertFrameCloses(RawSocketClient.frame(true, 0, CLOSE, new byte[] {0x03}, true), 1002);
  }

  @Test
  void aCloseCodeAbove4999IsAnsweredWithTheSameCodeAndLeavesNothingBehind() {
    // Codes from 5000 are undefined; Vert.x answers a close frame with its code before the
    // gateway sees it (Autobahn 7.13.x rates this INFORMATIONAL). What matters: nothing is left.
    assertFrameCloses(RawSocketClient.frame(true, 0, CLOSE, closePayload(5000, new byte[0]), true), 5000);
  }

  // ---- floods ----

  @Test
  void aFloodOfEmptyContinuationFramesClosesWith1009AtTheFragmentLimit() {
    try (RawSocketClient c = attacker()) {
      ByteArrayOutputStream flood = new ByteArrayOutputStream();
      flood.writeBytes(RawSocketClient.frame(false, 0, TEXT, bytes("{\"event\":\"chat\",\"room\":\"lobby\","), true));
      byte[] empty = RawSocketClient.frame(false, 0, CONTINUATION, new byte[0], true);
      for (int i = 0; i < 100_000; i++) {
        flood.writeBytes(empty);
      }
      // The server may close before all of it is written: what is refused is not sent.
      writeInChunks(c, flood.toByteArray());
      assertEquals(1009, c.awaitClose());
    }
    assertUnharmed();
  }

  @Test
  void aPingFloodIsAnsweredPingForPingAndHarmsNoOne() {
    int pings = 5000;
    try (RawSocketClient c = attacker()) {
      ByteArrayOutputStream flood = new ByteArrayOutputStream();
      for (int i = 0; i < pings; i++) {
        flood.writeBytes(RawSocketClient.frame(true, 0, PING, bytes(Integer.toString(i)), true));
      }
      c.write(flood.toByteArray());
      for (int i = 0; i < pings; i++) {
        assertEquals(Integer.toString(i), c.readUntil(PONG).text());
      }
      assertUnharmed(1 + 1);
      c.sendFrame(true, CLOSE, closePayload(1000, new byte[0]));
      assertEquals(1000, c.awaitClose());
    }
    assertUnharmed();
  }

  @Test
  void aPingFloodThatNeverReadsItsPongsIsHeldBackThenClosedWith1013() {
    // Each ping makes Vert.x queue a pong. A client that never reads them must not make the
    // server queue without bound: once its send queue is full the server stops reading it (TCP
    // pushes back on the flood) and, still full after the slow-client timeout, closes it.
    long limit = 256L * 1024 * 1024;
    AtomicLong written = new AtomicLong();
    try (RawSocketClient c = attacker()) {
      byte[] ping = RawSocketClient.frame(true, 0, PING, new byte[125], true);
      byte[] burst = new byte[ping.length * 512];
      for (int i = 0; i < 512; i++) {
        System.arraycopy(ping, 0, burst, i * ping.length, ping.length);
      }
      Thread flooder = new Thread(() -> {
        while (written.get() < limit && c.tryWrite(burst)) {
          written.addAndGet(burst.length);
        }
      }, "ping-flooder");
      flooder.setDaemon(true);
      flooder.start();
      // The hub lets go of the attacker while the attacker still reads nothing.
      Await.until(() -> Await.result(hub.count()) == 1L, TestClient.TIMEOUT, "the flooder was closed");
      assertTrue(written.get() < limit, "the server read all " + limit + " bytes of pings it could not answer");
      assertEquals(1013, c.awaitClose(), "the close code, after the pongs that were queued");
      Await.until(() -> !flooder.isAlive(), TestClient.TIMEOUT, "the flooder stopped");
    }
    assertUnharmed();
  }

  @Test
  void anEchoFloodReadOnlyLaterArrivesWholeAndInOrder() {
    // The echo endpoint writes back all it reads: it too stops reading while its queue is full,
    // and must pick up again, losing nothing, once the client reads.
    int messages = 512;
    byte[] payload = new byte[32 * 1024];
    try (RawSocketClient c = RawSocketClient.upgraded(port, GatewayOptions.DEFAULT_ECHO_PATH)) {
      Thread flooder = new Thread(() -> {
        for (int i = 0; i < messages; i++) {
          payload[0] = (byte) i;
          if (!c.tryWrite(RawSocketClient.frame(true, 0, BINARY, payload, true))) {
            return;
          }
        }
      }, "echo-flooder");
      flooder.setDaemon(true);
      flooder.start();
      for (int i = 0; i < messages; i++) {
        RawSocketClient.Frame echo = c.readUntil(BINARY);
        assertEquals(payload.length, echo.payload().length);
        assertEquals((byte) i, echo.payload()[0], "echo " + i + " out of order");
      }
      Await.until(() -> !flooder.isAlive(), TestClient.TIMEOUT, "the flood was written");
    }
    assertUnharmed();
  }

  @Test
  void aFloodOfSilentConnectionsIsDroppedAtTheHandshakeTimeout() {
    List<RawSocketClient> silent = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        silent.add(RawSocketClient.connect("127.0.0.3", port));
      }
      assertUnharmed();
      for (RawSocketClient c : silent) {
        assertTrue(c.awaitEndOfStream(), "a silent connection was kept open");
      }
    } finally {
      silent.forEach(RawSocketClient::close);
    }
    assertUnharmed();
  }

  @Test
  void aFloodOfHalfSentHandshakesIsDroppedAtTheHandshakeTimeout() {
    List<RawSocketClient> half = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        RawSocketClient c = RawSocketClient.connect("127.0.0.3", port);
        half.add(c);
        c.write(bytes("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"));
      }
      assertUnharmed();
      for (RawSocketClient c : half) {
        assertTrue(c.awaitEndOfStream(), "a half-sent handshake was kept open");
      }
    } finally {
      half.forEach(RawSocketClient::close);
    }
    assertUnharmed();
  }

  @Test
  void aConnectionFloodFromOneAddressIsRefusedWith429OverTheLimitWhileOtherAddressesConnect() {
    Hub guarded = gateway.hub("guarded");
    List<RawSocketClient> flood = new ArrayList<>();
    int upgraded = 0;
    int refused = 0;
    try {
      for (int i = 0; i < 40; i++) {
        RawSocketClient c = RawSocketClient.connect("127.0.0.3", port);
        flood.add(c);
        int status = c.upgrade("/guarded", Map.of()).status();
        if (status == 101) {
          upgraded++;
        } else {
          assertEquals(429, status);
          refused++;
        }
      }
      assertEquals(PER_ADDRESS, upgraded);
      assertEquals(40 - PER_ADDRESS, refused);
      try (TestClient elsewhere = TestClient.connect(vertx, port, "/guarded")) {
        assertEquals(PER_ADDRESS + 1L, Await.result(guarded.count()));
      }
    } finally {
      flood.forEach(RawSocketClient::close);
    }
    Await.until(() -> Await.result(guarded.count()) == 0L, TestClient.TIMEOUT, "the flood's connections were released");
    assertUnharmed();
  }

  // ---- handshakes ----

  @Test
  void anOversizedHeaderIsRefusedWith431() {
    assertHandshakeRefused(Map.of("X-Padding", "a".repeat(16 * 1024)), "/ws", 431);
  }

  @Test
  void tooManyHeadersAreRefusedWith431() {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 400; i++) {
      headers.put("X-H" + i, "0123456789012345678901234567890123456789");
    }
    assertHandshakeRefused(headers, "/ws", 431);
  }

  @Test
  void anOversizedRequestLineIsRefusedWith414() {
    assertHandshakeRefused(Map.of(), "/ws?pad=" + "a".repeat(16 * 1024), 414);
  }

  @ParameterizedTest(name = "version {0} on {1}")
  @MethodSource("otherVersions")
  void aWebSocketVersionOtherThan13IsRefusedWith426(String version, String path) {
    try (RawSocketClient c = RawSocketClient.connect(port)) {
      RawSocketClient.Response r = c.upgrade(path, Map.of("Sec-WebSocket-Version", version));
      assertEquals(426, r.status());
      assertEquals("13", r.header("Sec-WebSocket-Version"));
    }
    assertUnharmed();
  }

  static Stream<Arguments> otherVersions() {
    // 7 and 8 are drafts Netty still speaks; 99 is no version at all.
    return Stream.of("7", "8", "99").flatMap(v -> Stream.of(arguments(v, "/ws"), arguments(v, GatewayOptions.DEFAULT_ECHO_PATH)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/ws", GatewayOptions.DEFAULT_ECHO_PATH})
  void aHixie76UpgradeIsRefusedWith426(String path) {
    try (RawSocketClient c = RawSocketClient.connect(port)) {
      // The 2010 draft: no version header, two keys and eight bytes of body; unmasked frames.
      c.write(bytes("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n"
        + "Origin: http://127.0.0.1\r\nSec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\nSec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n\r\n^n:ds[4U"));
      RawSocketClient.Response r = c.readResponse();
      assertEquals(426, r.status());
      assertEquals("13", r.header("Sec-WebSocket-Version"));
    }
    assertUnharmed();
  }

  @Test
  void anUpgradeWithoutAKeyIsRefusedWith400() {
    try (RawSocketClient c = RawSocketClient.connect(port)) {
      c.write(bytes("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n"));
      assertEquals(400, c.readResponse().status());
    }
    assertUnharmed();
  }

  // ---- tokens ----

  static Stream<Arguments> tamperedTokens() {
    String good = token(SECRET, claims(), "HS256");
    String[] p = good.split("\\.");
    long now = System.currentTimeMillis() / 1000;
    return Stream.of(
      arguments("header: alg changed to HS512", json("{\"alg\":\"HS512\",\"typ\":\"JWT\"}") + "." + p[1] + "." + p[2]),
      arguments("header: typ changed", json("{\"alg\":\"HS256\",\"typ\":\"JWS\"}") + "." + p[1] + "." + p[2]),
      arguments("header: not JSON", b64("not json") + "." + p[1] + "." + p[2]),
      arguments("header: kid naming a file", json("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"../../../../dev/null\"}") + "." + p[1] + "." + p[2]),
      arguments("header: kid naming a file, signed with an empty key",
        sign(json("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"../../../../dev/null\"}") + "." + p[1], new byte[0])),
      arguments("alg none", json("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + p[1] + "."),
      arguments("alg None", json("{\"alg\":\"None\",\"typ\":\"JWT\"}") + "." + p[1] + "."),
      arguments("alg NONE with the old signature", json("{\"alg\":\"NONE\",\"typ\":\"JWT\"}") + "." + p[1] + "." + p[2]),
      arguments("payload: sub changed", p[0] + "." + json(claims().put("sub", "mallory").encode()) + "." + p[2]),
      arguments("payload: not JSON", p[0] + "." + b64("{\"sub\":") + "." + p[2]),
      arguments("signature: one character changed", p[0] + "." + p[1] + "." + flip(p[2])),
      arguments("signature: empty", p[0] + "." + p[1] + "."),
      arguments("signature: another secret", token("another-secret-of-sufficient-length-1234567", claims(), "HS256")),
      arguments("signature: not base64url", p[0] + "." + p[1] + ".!!!!"),
      arguments("HS/RS confusion: HS256 signed with the RS256 hub's public key", "rsa:" + sign(json("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + p[1], RSA_PUBLIC_PEM.getBytes(StandardCharsets.UTF_8))),
      arguments("HS/RS confusion: RS256 header on an HS256 token", json("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + p[1] + "." + p[2]),
      arguments("exp in the past", token(SECRET, claims().put("exp", now - 60), "HS256")),
      arguments("nbf in the future", token(SECRET, claims().put("nbf", now + 3600), "HS256")),
      arguments("iat in the future", token(SECRET, claims().put("iat", now + 3600), "HS256")),
      arguments("iss wrong", token(SECRET, claims().put("iss", "someone-else"), "HS256")),
      arguments("iss missing", token(SECRET, without(claims(), "iss"), "HS256")),
      arguments("aud wrong", token(SECRET, claims().put("aud", "billing"), "HS256")),
      arguments("aud missing", token(SECRET, without(claims(), "aud"), "HS256")),
      arguments("truncated: header only", p[0]),
      arguments("truncated: no signature part", p[0] + "." + p[1]),
      arguments("truncated: half a signature", p[0] + "." + p[1] + "." + p[2].substring(0, p[2].length() / 2)),
      arguments("a fourth part", good + "." + p[2]),
      arguments("spaces inside", p[0] + ". " + p[1] + "." + p[2]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tamperedTokens")
  void aTamperedTokenIsRefusedWith401BeforeTheUpgrade(String name, String token) {
    String path = token.startsWith("rsa:") ? "/rsa" : "/secure";
    String value = token.startsWith("rsa:") ? token.substring(4) : token;
    Hub target = gateway.hub(path.substring(1));
    TestClient member = track(TestClient.openWelcomed(vertx, port, "/secure", Map.of("Authorization", "Bearer " + token(SECRET, claims(), "HS256"))));
    Wire.JSON.join(member, ROOM);
    try (RawSocketClient c = RawSocketClient.connect(port)) {
      RawSocketClient.Response r = c.upgrade(path, Map.of("Authorization", "Bearer " + value));
      assertEquals(401, r.status(), name);
      assertEquals("Bearer", r.header("WWW-Authenticate"));
    }
    try (RawSocketClient c = RawSocketClient.connect(port)) {
      assertEquals(401, c.upgrade(path + "?access_token=" + value.replace(" ", "%20"), Map.of()).status(), name + " (query)");
    }
    assertEquals(0L, Await.result(gateway.hub("rsa").count()));
    assertEquals(target == gateway.hub("secure") ? 1L : 0L, Await.result(target.count()));
    assertUnharmed(gateway.hub("secure"), member, 1);
    assertUnharmed();
  }

  // ---- room names that aim at other event-bus addresses ----

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

  // ---- envelopes ----

  @Test
  void jsonNestedThirtyThousandDeepIsABadRequestAndTheConnectionGoesOn() {
    String deep = "[".repeat(30_000) + "]".repeat(30_000);
    try (RawSocketClient c = attacker()) {
      JsonObject reply = request(c, new JsonObject().put("event", "chat").put("room", ROOM), "\"data\":" + deep);
      assertEquals("bad_request", reply.getJsonObject("error").getString("code"), reply.encode());
      assertEquals("ok", request(c, new JsonObject().put("event", "ping")).getString("status"));
    }
    assertUnharmed();
  }

  @Test
  void aSixtyThousandDigitNumberIsABadRequest() {
    try (RawSocketClient c = attacker()) {
      JsonObject reply = request(c, new JsonObject().put("event", "chat").put("room", ROOM), "\"data\":" + "9".repeat(60_000));
      assertEquals("bad_request", reply.getJsonObject("error").getString("code"), reply.encode());
    }
    assertUnharmed();
  }

  @Test
  void aBinaryPayloadNestedThirtyThousandDeepReachesJsonMembersAsBase64() {
    // A JSON member gets a binary payload as data only when it parses as JSON within the
    // nesting limit; deeper, it gets the bytes in base64, and nothing parses them deeper.
    byte[] deep = bytes("[".repeat(30_000) + "]".repeat(30_000));
    try (RawSocketClient c = attacker()) {
      c.sendFrame(true, BINARY, binaryEnvelope(ROOM, "blob", deep));
      Msg blob = bystander.takeEvent("blob");
      assertEquals("base64", blob.encoding());
      assertEquals(Base64.getEncoder().encodeToString(deep), blob.data());
      assertEquals("ok", request(c, new JsonObject().put("event", "ping")).getString("status"));
    }
    assertUnharmed();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"\"data\":NaN", "\"data\":Infinity", "\"data\":'single'", "\"data\":[1,]", "/* comment */ \"data\":1",
    "data:1"})
  void jsonThatOnlyLenientParsersTakeIsABadRequest(String member) {
    try (RawSocketClient c = attacker()) {
      String id = UUID.randomUUID().toString();
      c.sendText("{\"id\":\"" + id + "\",\"event\":\"chat\",\"room\":\"lobby\"," + member + "}");
      JsonObject reply = new JsonObject(c.readUntil(TEXT).text());
      assertEquals("error", reply.getString("status", reply.getString("event")), reply.encode());
      assertEquals("bad_request", reply.getJsonObject("error").getString("code"), reply.encode());
      assertEquals("ok", request(c, new JsonObject().put("event", "ping")).getString("status"));
    }
    assertUnharmed();
  }

  @Test
  void aLoneSurrogateEscapeInDataReachesMembersAsValidUtf8() {
    // An escaped lone surrogate (backslash, u, D800) is valid JSON but no character: re-encoded
    // carelessly it becomes bytes that are not UTF-8, and every browser in the room closes with 1007.
    try (RawSocketClient c = attacker()) {
      c.sendText("{\"event\":\"chat\",\"room\":\"lobby\",\"data\":{\"text\":\"a\\ud800b\\udc00\"}}");
      Msg chat = bystander.takeEvent("chat");
      assertTrue(Utf8Validator.isValid(chat.raw().getBytes()), "the delivery is not valid UTF-8: " + chat.raw());
    }
    assertUnharmed();
  }

  @Test
  void anEventNamedLikeAServerFrameReachesOthersMarkedWithItsSender() {
    try (RawSocketClient c = attacker()) {
      String attackerId = attackerId(c);
      for (String event : List.of("welcome", "reply", "error", "presence", "pong")) {
        c.sendText(new JsonObject().put("event", event).put("room", ROOM).put("id", "x")
          .put("data", new JsonObject().put("id", "spoofed").put("joined", "spoofed")).encode());
        Msg got = bystander.takeEvent(event);
        assertEquals(attackerId, got.from(), "a client's " + event + " must carry its sender");
      }
    }
    assertUnharmed();
  }

  @Test
  void aFromFieldSetByTheClientIsReplacedByTheSender() {
    try (RawSocketClient c = attacker()) {
      String attackerId = attackerId(c);
      c.sendText(new JsonObject().put("event", "chat").put("room", ROOM).put("from", bystander.id()).put("data", "hi").encode());
      assertEquals(attackerId, bystander.takeEvent("chat").from());
    }
    assertUnharmed();
  }

  // ---- helpers ----

  /** A raw client upgraded on /ws, welcomed and joined to the bystander's room. */
  private RawSocketClient attacker() {
    RawSocketClient c = RawSocketClient.upgraded(port, "/ws");
    attackerIds.put(c, new JsonObject(c.readUntil(TEXT).text()).getJsonObject("data").getString("id"));
    JsonObject reply = request(c, new JsonObject().put("event", "join").put("room", ROOM));
    assertEquals("ok", reply.getString("status"), reply.encode());
    assertEquals(2L, Await.result(hub.count()));
    return c;
  }

  private final Map<RawSocketClient, String> attackerIds = new java.util.HashMap<>();

  private String attackerId(RawSocketClient c) {
    return attackerIds.get(c);
  }

  /** Sends a JSON request with an id (and raw extra members) and returns its reply. */
  private static JsonObject request(RawSocketClient c, JsonObject request, String... rawMembers) {
    String id = UUID.randomUUID().toString();
    String json = request.copy().put("id", id).encode();
    for (String member : rawMembers) {
      json = json.substring(0, json.length() - 1) + "," + member + "}";
    }
    c.sendText(json);
    while (true) {
      JsonObject frame = new JsonObject(c.readUntil(TEXT).text());
      if ("reply".equals(frame.getString("event")) && id.equals(frame.getString("id"))) {
        return frame;
      }
    }
  }

  /** @return the text frames that arrive before the answer to a ping: everything sent before it */
  private static List<String> readPending(RawSocketClient c) {
    String id = UUID.randomUUID().toString();
    c.sendText(new JsonObject().put("event", "ping").put("id", id).encode());
    List<String> before = new ArrayList<>();
    while (true) {
      String text = c.readUntil(TEXT).text();
      JsonObject frame = new JsonObject(text);
      if ("reply".equals(frame.getString("event")) && id.equals(frame.getString("id"))) {
        return before;
      }
      before.add(text);
    }
  }

  private void assertFrameCloses(byte[] frame, int expectedCode) {
    try (RawSocketClient c = attacker()) {
      c.write(frame);
      assertEquals(expectedCode, c.awaitClose());
    }
    assertUnharmed();
  }

  private void assertHandshakeRefused(Map<String, String> headers, String path, int status) {
    try (RawSocketClient c = RawSocketClient.connect(port)) {
      assertEquals(status, c.upgrade(path, headers).status());
    }
    assertUnharmed();
  }

  private void assertUnharmed(String... deadAddresses) {
    assertUnharmed(1);
    for (String address : deadAddresses) {
      assertNoHandlers(address);
    }
  }

  private void assertUnharmed(long expectedCount) {
    assertUnharmed(hub, bystander, expectedCount);
  }

  /**
   * The hub counts {@code expectedCount} connections again, the room holds its bystander (and
   * the attacker when it is still connected), and the bystander gets a publish in time.
   */
  private void assertUnharmed(Hub hub, TestClient bystander, long expectedCount) {
    Await.until(() -> Await.result(hub.count()) == expectedCount, TestClient.TIMEOUT,
      "hub " + hub.name() + " counts " + expectedCount + " connections");
    List<String> members = Await.result(hub.clients(ROOM)).stream().map(ClientInfo::id).collect(Collectors.toList());
    assertTrue(members.contains(bystander.id()), "the bystander left the room: " + members);
    assertEquals(expectedCount, members.size(), "room members: " + members);
    String marker = UUID.randomUUID().toString();
    long start = System.nanoTime();
    hub.broadcast(ROOM, "news", new JsonObject().put("marker", marker));
    Msg news = bystander.take(m -> "news".equals(m.event()) && marker.equals(m.dataObject().getString("marker")), QUICKLY);
    assertEquals(ROOM, news.room());
    assertTrue(bystander.sync().stream().noneMatch(m -> m.event() == null || "error".equals(m.event())));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(QUICKLY) < 0, "the bystander was answered in " + took.toMillis() + " ms");
    assertFalse(bystander.isClosed());
  }

  private void assertNoHandlers(String address) {
    Throwable t = Await.failure(vertx.eventBus().request(address, "probe", new DeliveryOptions().setSendTimeout(2000)));
    assertInstanceOf(ReplyException.class, t, address);
    assertEquals(ReplyFailure.NO_HANDLERS, ((ReplyException) t).failureType(), address + ": " + t);
  }

  /** What the hub publishes in the room reaches the client: its consumer is on the hub's address of the room. */
  private static void assertReceivesBroadcast(RawSocketClient c, Hub hub, String room) {
    String marker = UUID.randomUUID().toString();
    hub.broadcast(room, "confined", new JsonObject().put("marker", marker));
    while (true) {
      JsonObject frame = new JsonObject(c.readUntil(TEXT).text());
      if ("confined".equals(frame.getString("event"))) {
        assertEquals(room, frame.getString("room"));
        assertEquals(marker, frame.getJsonObject("data").getString("marker"));
        return;
      }
    }
  }

  private static void writeInChunks(RawSocketClient c, byte[] bytes) {
    for (int i = 0; i < bytes.length; i += 8192) {
      if (!c.tryWrite(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 8192)))) {
        return;
      }
    }
  }

  /** A binary envelope: room, event, dst, src, payload, each after its 4-byte length. */
  private static byte[] binaryEnvelope(String room, String event, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] field : List.of(bytes(room), bytes(event), new byte[0], new byte[0], payload)) {
      out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(field.length).array());
      out.writeBytes(field);
    }
    return out.toByteArray();
  }

  private static byte[] header(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return b;
  }

  private static byte[] closePayload(int code, byte[] reason) {
    byte[] p = new byte[2 + reason.length];
    p[0] = (byte) (code >> 8);
    p[1] = (byte) code;
    System.arraycopy(reason, 0, p, 2, reason.length);
    return p;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- tokens ----

  private static JsonObject claims() {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("sub", "alice").put("iss", ISSUER).put("aud", AUDIENCE).put("iat", now).put("exp", now + 600);
  }

  private static JsonObject without(JsonObject claims, String key) {
    claims.remove(key);
    return claims;
  }

  /** An HS256 token over these exact claims, signed with {@code secret}. */
  private static String token(String secret, JsonObject claims, String alg) {
    return sign(json("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + json(claims.encode()), secret.getBytes(StandardCharsets.UTF_8));
  }

  private static String sign(String signingInput, byte[] key) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
      return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static String json(String json) {
    return b64(json);
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String flip(String signature) {
    char last = signature.charAt(signature.length() / 2);
    return signature.substring(0, signature.length() / 2) + (last == 'A' ? 'B' : 'A') + signature.substring(signature.length() / 2 + 1);
  }

  private static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
      + "\n-----END " + type + "-----\n";
  }
}
