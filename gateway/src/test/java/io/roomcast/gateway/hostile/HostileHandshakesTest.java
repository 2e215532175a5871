package io.roomcast.gateway.hostile;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.RawSocketClient;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Handshakes and tokens that break the rules: refused with their HTTP status before any upgrade.
 */
class HostileHandshakesTest extends HostileInputTestBase {

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
}
