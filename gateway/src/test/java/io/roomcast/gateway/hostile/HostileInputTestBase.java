package io.roomcast.gateway.hostile;

import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.JwtOptions;
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
import java.util.stream.Collectors;
import static io.roomcast.gateway.testing.RawSocketClient.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile-input catalogue (docs/HOSTILE_INPUT.md), one class per section: one case per attack, written as hand-built
 * bytes on a raw socket against a real server. Each case asserts the close code or HTTP status
 * the attack gets, then that it harmed no one: a bystander in the attacked room still receives
 * what is published there, quickly; the hub counts only the bystander again; the room holds only
 * the bystander; and no event-bus consumer is left on the addresses the attack named.
 *
 * <p>The hubs run on their defaults but for two shortened timeouts (handshake, slow client) so
 * that the cases that wait for them stay fast. Attacks the hardening tests already cover are
 * referenced in the catalogue, not repeated here.
 */
abstract class HostileInputTestBase extends GatewayTestBase {

  protected static final String ROOM = "lobby";
  protected static final String SECRET = "hostile-input-tests-shared-secret-of-enough-length";
  protected static final String ISSUER = "roomcast-tests";
  protected static final String AUDIENCE = "chat";
  protected static final KeyPair RSA = rsaKeyPair();
  protected static final String RSA_PUBLIC_PEM = pem("PUBLIC KEY", RSA.getPublic().getEncoded());
  /** How soon the bystander must be answered after an attack, flood or not: generous for shared CPUs. */
  protected static final Duration QUICKLY = Duration.ofSeconds(2);
  protected static final int PER_ADDRESS = 4;

  protected TestClient bystander;

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

  protected static HubOptions hub(HubOptions options) {
    return options.setHandshakeTimeout(1000).setSlowClientTimeout(1000);
  }

  @BeforeEach
  void bystanderInTheRoom() {
    bystander = connect();
    Wire.JSON.join(bystander, ROOM);
  }


  /** A raw client upgraded on /ws, welcomed and joined to the bystander's room. */
  protected RawSocketClient attacker() {
    RawSocketClient c = RawSocketClient.upgraded(port, "/ws");
    attackerIds.put(c, new JsonObject(c.readUntil(TEXT).text()).getJsonObject("data").getString("id"));
    JsonObject reply = request(c, new JsonObject().put("event", "join").put("room", ROOM));
    assertEquals("ok", reply.getString("status"), reply.encode());
    assertEquals(2L, Await.result(hub.count()));
    return c;
  }

  protected final Map<RawSocketClient, String> attackerIds = new java.util.HashMap<>();

  protected String attackerId(RawSocketClient c) {
    return attackerIds.get(c);
  }

  /** Sends a JSON request with an id (and raw extra members) and returns its reply. */
  protected static JsonObject request(RawSocketClient c, JsonObject request, String... rawMembers) {
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
  protected static List<String> readPending(RawSocketClient c) {
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

  protected void assertFrameCloses(byte[] frame, int expectedCode) {
    try (RawSocketClient c = attacker()) {
      c.write(frame);
      assertEquals(expectedCode, c.awaitClose());
    }
    assertUnharmed();
  }

  protected void assertHandshakeRefused(Map<String, String> headers, String path, int status) {
    try (RawSocketClient c = RawSocketClient.connect(port)) {
      assertEquals(status, c.upgrade(path, headers).status());
    }
    assertUnharmed();
  }

  protected void assertUnharmed(String... deadAddresses) {
    assertUnharmed(1);
    for (String address : deadAddresses) {
      assertNoHandlers(address);
    }
  }

  protected void assertUnharmed(long expectedCount) {
    assertUnharmed(hub, bystander, expectedCount);
  }

  /**
   * The hub counts {@code expectedCount} connections again, the room holds its bystander (and
   * the attacker when it is still connected), and the bystander gets a publish in time.
   */
  protected void assertUnharmed(Hub hub, TestClient bystander, long expectedCount) {
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

  protected void assertNoHandlers(String address) {
    Throwable t = Await.failure(vertx.eventBus().request(address, "probe", new DeliveryOptions().setSendTimeout(2000)));
    assertInstanceOf(ReplyException.class, t, address);
    assertEquals(ReplyFailure.NO_HANDLERS, ((ReplyException) t).failureType(), address + ": " + t);
  }

  /** What the hub publishes in the room reaches the client: its consumer is on the hub's address of the room. */
  protected static void assertReceivesBroadcast(RawSocketClient c, Hub hub, String room) {
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

  protected static void writeInChunks(RawSocketClient c, byte[] bytes) {
    for (int i = 0; i < bytes.length; i += 8192) {
      if (!c.tryWrite(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 8192)))) {
        return;
      }
    }
  }

  /** A binary envelope: room, event, dst, src, payload, each after its 4-byte length. */
  protected static byte[] binaryEnvelope(String room, String event, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] field : List.of(bytes(room), bytes(event), new byte[0], new byte[0], payload)) {
      out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(field.length).array());
      out.writeBytes(field);
    }
    return out.toByteArray();
  }

  protected static byte[] header(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return b;
  }

  protected static byte[] closePayload(int code, byte[] reason) {
    byte[] p = new byte[2 + reason.length];
    p[0] = (byte) (code >> 8);
    p[1] = (byte) code;
    System.arraycopy(reason, 0, p, 2, reason.length);
    return p;
  }

  protected static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- tokens ----

  protected static JsonObject claims() {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("sub", "alice").put("iss", ISSUER).put("aud", AUDIENCE).put("iat", now).put("exp", now + 600);
  }

  protected static JsonObject without(JsonObject claims, String key) {
    claims.remove(key);
    return claims;
  }

  /** An HS256 token over these exact claims, signed with {@code secret}. */
  protected static String token(String secret, JsonObject claims, String alg) {
    return sign(json("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + json(claims.encode()), secret.getBytes(StandardCharsets.UTF_8));
  }

  protected static String sign(String signingInput, byte[] key) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
      return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  protected static String json(String json) {
    return b64(json);
  }

  protected static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  protected static String flip(String signature) {
    char last = signature.charAt(signature.length() / 2);
    return signature.substring(0, signature.length() / 2) + (last == 'A' ? 'B' : 'A') + signature.substring(signature.length() / 2 + 1);
  }

  protected static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  protected static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
      + "\n-----END " + type + "-----\n";
  }
}
