package io.roomcast.gateway.hardening;

import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.JwtOptions;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.RawSocketClient;
import io.roomcast.gateway.testing.TestClient;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** JWT on three hubs (HS256, RS256, ES256) and a custom authenticator on a fourth. */
class AuthenticationTest extends GatewayTestBase {

  private static final String SECRET = "a-long-enough-shared-secret-for-hs256-tokens";
  private static final KeyPair RSA = keyPair("RSA", null);
  private static final KeyPair EC = keyPair("EC", "secp256r1");

  private static KeyPair keyPair(String algorithm, String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      if (curve != null) {
        g.initialize(new ECGenParameterSpec(curve));
      } else {
        g.initialize(2048);
      }
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(
      new HubOptions().setJwt(new JwtOptions().setSecret(SECRET).setIssuer("roomcast-tests").setAudience(List.of("chat")).setLeeway(5)),
      new HubOptions().setName("rsa").setPath("/rsa").setJwt(new JwtOptions().setAlgorithm("RS256").setPublicKey(pem("PUBLIC KEY", RSA.getPublic().getEncoded()))),
      new HubOptions().setName("ec").setPath("/ec").setJwt(new JwtOptions().setAlgorithm("ES256").setPublicKey(pem("PUBLIC KEY", EC.getPublic().getEncoded()))),
      new HubOptions().setName("custom").setPath("/custom")));
  }

  @Override
  protected void configure(Gateway gateway) {
    gateway.hubs().forEach(h -> h.on("whoami", ctx -> ctx.reply(ctx.connection().claims())));
    gateway.hub("custom").authenticator(handshake -> "open-sesame".equals(handshake.header("X-Pass"))
      ? Future.succeededFuture(new JsonObject().put("sub", "custom-user"))
      : Future.failedFuture("wrong pass"));
  }

  private String token(String algorithm, String privateKeyOrSecret, JsonObject claims, JWTOptions options) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(privateKeyOrSecret)));
    return signer.generateToken(claims, options.setAlgorithm(algorithm));
  }

  private String hsToken(JsonObject claims, JWTOptions options) {
    return token("HS256", SECRET, claims, options);
  }

  private static JWTOptions valid() {
    return new JWTOptions().setIssuer("roomcast-tests").setAudience(List.of("chat")).setExpiresInSeconds(60);
  }

  private int status(String path, Map<String, String> headers) {
    try (RawSocketClient c = RawSocketClient.connect(port)) {
      RawSocketClient.Response r = c.upgrade(path, headers);
      if (r.status() == 401) {
        assertEquals("Bearer", r.header("WWW-Authenticate"));
      }
      return r.status();
    }
  }

  private JsonObject claimsOf(TestClient c) {
    String id = TestClient.newRequestId();
    c.sendJson(new JsonObject().put("event", "whoami").put("id", id));
    Msg reply = c.takeReply(id);
    return reply.dataObject();
  }

  @Test
  void aValidTokenInTheHeaderConnectsAndItsClaimsReachTheConnection() {
    String token = hsToken(new JsonObject().put("sub", "alice").put("roles", new JsonArray().add("admin")), valid());
    try (TestClient c = track(TestClient.open(vertx, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
      .setURI("/ws").addHeader("Authorization", "Bearer " + token)))) {
      c.takeEvent("welcome");
      JsonObject claims = claimsOf(c);
      assertEquals("alice", claims.getString("sub"));
      assertEquals("admin", claims.getJsonArray("roles").getString(0));
    }
  }

  @Test
  void aValidTokenInTheQueryConnects() {
    String token = hsToken(new JsonObject().put("sub", "bob"), valid());
    TestClient c = connectTo("/ws?access_token=" + token);
    assertEquals("bob", claimsOf(c).getString("sub"));
  }

  @Test
  void missingMalformedTamperedExpiredOrMisaddressedTokensAreRefusedWith401() {
    String good = hsToken(new JsonObject().put("sub", "carol"), valid());
    String[] parts = good.split("\\.");
    Map<String, String> cases = Map.of(
      "missing", "",
      "malformed", "not.a.jwt",
      "garbage", "!!!.@@@.~~~",
      "tampered payload", parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString("{\"sub\":\"mallory\"}".getBytes()) + "." + parts[2],
      "tampered signature", parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA",
      "alg none", Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes()) + "." + parts[1] + ".",
      "wrong secret", token("HS256", "another-secret-of-sufficient-length-123", new JsonObject().put("sub", "x"), valid()),
      "expired", hsToken(new JsonObject().put("sub", "x").put("exp", System.currentTimeMillis() / 1000 - 60), new JWTOptions().setIssuer("roomcast-tests").setAudience(List.of("chat"))),
      "wrong issuer", hsToken(new JsonObject().put("sub", "x"), new JWTOptions().setIssuer("someone-else").setAudience(List.of("chat")).setExpiresInSeconds(60)),
      "wrong audience", hsToken(new JsonObject().put("sub", "x"), new JWTOptions().setIssuer("roomcast-tests").setAudience(List.of("billing")).setExpiresInSeconds(60)));
    cases.forEach((name, token) -> {
      assertEquals(401, status("/ws", token.isEmpty() ? Map.of() : Map.of("Authorization", "Bearer " + token)), name);
      assertEquals(401, status("/ws?access_token=" + token, Map.of()), name + " (query)");
    });
    assertEquals(401, status("/ws", Map.of("Authorization", "Basic dXNlcjpwYXNz")), "basic auth");
    assertEquals(401, status("/ws?access_token=%%%", Map.of()), "a token that cannot be decoded is no token");
  }

  @Test
  void leewayAcceptsATokenJustExpired() {
    String token = hsToken(new JsonObject().put("sub", "dave").put("exp", System.currentTimeMillis() / 1000 - 2),
      new JWTOptions().setIssuer("roomcast-tests").setAudience(List.of("chat")));
    assertEquals(101, status("/ws", Map.of("Authorization", "Bearer " + token)));
  }

  @Test
  void rs256AndEs256TokensAreVerifiedWithTheirPublicKeys() {
    String rsa = token("RS256", pem("PRIVATE KEY", RSA.getPrivate().getEncoded()), new JsonObject().put("sub", "rsa-user"), new JWTOptions().setExpiresInSeconds(60));
    String ec = token("ES256", pem("PRIVATE KEY", EC.getPrivate().getEncoded()), new JsonObject().put("sub", "ec-user"), new JWTOptions().setExpiresInSeconds(60));
    assertEquals("rsa-user", claimsOf(connectTo("/rsa?access_token=" + rsa)).getString("sub"));
    assertEquals("ec-user", claimsOf(connectTo("/ec?access_token=" + ec)).getString("sub"));
    assertEquals(401, status("/rsa?access_token=" + ec, Map.of()));
    assertEquals(401, status("/ec?access_token=" + rsa, Map.of()));
    assertEquals(401, status("/rsa?access_token=" + hsToken(new JsonObject().put("sub", "x"), new JWTOptions().setExpiresInSeconds(60)), Map.of()),
      "an HS256 token must not pass an RS256 hub");
  }

  @Test
  void aCustomAuthenticatorDecides() {
    assertEquals(401, status("/custom", Map.of()));
    assertEquals(401, status("/custom", Map.of("X-Pass", "guess")));
    try (TestClient c = track(TestClient.open(vertx, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
      .setURI("/custom").addHeader("X-Pass", "open-sesame")))) {
      c.takeEvent("welcome");
      assertEquals("custom-user", claimsOf(c).getString("sub"));
    }
  }

  @Test
  void refusedHandshakesLeaveNoConnection() {
    for (int i = 0; i < 20; i++) {
      assertEquals(401, status("/ws", Map.of()));
    }
    assertEquals(0L, io.roomcast.gateway.testing.Await.result(hub.count()));
  }
}
