package io.roomcast.gateway.hardening;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.JwtOptions;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.RawSocketClient;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A token's lifetime on a live connection (PROTOCOL.md section 8): closed with 4001 once its
 * {@code exp} and the leeway have passed, unless refreshed in-band; a refresh must verify and name
 * the same user, and the rooms its claims no longer permit are left. Every refusal changes
 * nothing.
 */
class TokenLifetimeTest extends GatewayTestBase {

  private static final String SECRET = "token-lifetime-test-secret-of-sufficient-length";
  private static final long LEEWAY_SECONDS = 1;

  @Override
  protected GatewayOptions options() {
    JsonArray rules = new JsonArray()
      .add(new JsonObject().put("room", "vip-*").put("join", new JsonObject().put("claim", "vip").put("equals", true)).put("publish", true))
      .add(new JsonObject().put("room", "*").put("join", true).put("publish", true));
    return super.options().setHubs(List.of(
      new HubOptions().setJwt(new JwtOptions().setSecret(SECRET).setLeeway(LEEWAY_SECONDS)).setPermissions(rules),
      new HubOptions().setName("custom").setPath("/custom"),
      new HubOptions().setName("open").setPath("/open")));
  }

  @Override
  protected void configure(Gateway gateway) {
    // An application's authenticator may give an expiry too: here the token is the exp itself.
    gateway.hub("custom").authenticator(h -> h.token() == null ? Future.failedFuture("no token")
      : Future.succeededFuture(new JsonObject().put("sub", "custom").put("exp", Long.parseLong(h.token()))));
  }

  private String token(String sub, long expiresInSeconds, boolean vip) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    // exp set by hand: a negative lifetime makes a token that expired already.
    return signer.generateToken(new JsonObject().put("sub", sub).put("vip", vip).put("exp", nowSeconds() + expiresInSeconds), new JWTOptions());
  }

  private static Msg refresh(TestClient c, String token) {
    return Wire.JSON.request(c, Envelope.of("refresh").withData(new JsonObject().put("token", token)));
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  @Test
  void aConnectionIsClosedWith4001NoLaterThanTheLeewayAndASecondAfterItsTokenExpires() {
    TestClient c = connectTo("/ws?access_token=" + token("ann", 2, false));
    long exp = nowSeconds() + 2;
    Wire.JSON.join(c, "lobby");
    assertEquals(4001, c.awaitClose(Duration.ofSeconds(10)));
    assertEquals("token expired", c.closeReason());
    long late = System.currentTimeMillis() - (exp + LEEWAY_SECONDS) * 1000;
    System.out.printf("token lifetime: closed %d ms after exp + leeway%n", late);
    assertTrue(late < 1000 + 1000, "closed " + late + " ms after exp + leeway (exp has a second's resolution)");
  }

  @Test
  void connectionsWhoseTokensExpireTogetherOnOneEventLoopAreAllClosed() {
    // Four connections over the two event loops: at least two expire in the same sweep of one shard.
    String token = token("ann", 2, false);
    List<TestClient> clients = List.of(connectTo("/ws?access_token=" + token), connectTo("/ws?access_token=" + token),
      connectTo("/ws?access_token=" + token), connectTo("/ws?access_token=" + token));
    for (TestClient c : clients) {
      assertEquals(4001, c.awaitClose(Duration.ofSeconds(10)), c.id());
    }
  }

  @Test
  void aRefreshedConnectionOutlivesItsFirstTokenAndIsClosedAtTheNewOnesExpiry() {
    TestClient c = connectTo("/ws?access_token=" + token("ann", 2, false));
    Wire.JSON.join(c, "lobby");
    String next = token("ann", 4, false);
    Msg ok = refresh(c, next);
    assertEquals("ok", ok.status(), ok.toString());
    long exp = ok.dataObject().getLong("exp");
    assertTrue(exp >= nowSeconds() + 3, "the new token's exp: " + ok);
    // Past the first token's expiry and leeway: still open, still a member.
    TestClient other = connectTo("/ws?access_token=" + token("bob", 60, false));
    Wire.JSON.join(other, "lobby");
    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(3500).toNanos());
    assertFalse(c.isClosed(), "refreshed, the connection outlives its first token");
    Wire.JSON.send(other, Envelope.of("chat").withRoom("lobby").withData("still here?"));
    assertEquals("still here?", c.takeEvent("chat").data());
    assertEquals(4001, c.awaitClose(Duration.ofSeconds(10)), "and the new token's expiry closes it");
    assertTrue(System.currentTimeMillis() < (exp + LEEWAY_SECONDS) * 1000 + 2000);
  }

  @Test
  void aRefreshThatDoesNotVerifyOrNamesAnotherUserIsForbiddenAndChangesNothing() {
    TestClient c = connectTo("/ws?access_token=" + token("ann", 60, true));
    Wire.JSON.join(c, "vip-lounge");
    String good = token("ann", 120, true);
    String[] parts = good.split("\\.");
    Map<String, String> bad = Map.of(
      "a bad signature", parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA",
      "another user's token", token("mallory", 120, true),
      "an expired token", token("ann", -30, true),
      "not a token", "hello");
    bad.forEach((what, t) -> {
      Msg refused = refresh(c, t);
      assertEquals("forbidden", refused.errorCode(), what + ": " + refused);
    });
    for (JsonObject data : List.of(new JsonObject(), new JsonObject().put("token", ""), new JsonObject().put("token", 42),
        new JsonObject().put("token", "x".repeat(9000)))) {
      Msg refused = Wire.JSON.request(c, Envelope.of("refresh").withData(data));
      assertEquals("bad_request", refused.errorCode(), data.encode().substring(0, Math.min(40, data.encode().length())) + ": " + refused);
    }
    // Nothing changed: same user, still in the vip room, still refreshable.
    assertEquals("ok", Wire.JSON.request(c, Envelope.of("ping")).status());
    assertTrue(c.sync().stream().noneMatch(m -> "left".equals(m.event())));
    assertEquals("ok", refresh(c, good).status());
  }

  @Test
  void aRefreshWhoseClaimsNoLongerPermitARoomLeavesIt() {
    TestClient c = connectTo("/ws?access_token=" + token("ann", 60, true));
    TestClient vip = connectTo("/ws?access_token=" + token("vic", 60, true));
    Wire.JSON.join(c, "vip-lounge");
    Wire.JSON.join(c, "lobby");
    Wire.JSON.join(vip, "vip-lounge");
    Msg ok = refresh(c, token("ann", 60, false));
    assertEquals("ok", ok.status(), ok.toString());
    Msg left = c.takeEvent("left");
    assertEquals("vip-lounge", left.room());
    assertEquals("forbidden", left.dataObject().getString("reason"));
    Wire.JSON.send(vip, Envelope.of("chat").withRoom("vip-lounge").withData("members only"));
    Wire.JSON.send(vip, Envelope.of("chat").withRoom("lobby").withData("x"));
    assertTrue(c.sync().stream().noneMatch(m -> "chat".equals(m.event())), "no longer in the vip room");
    Msg notMember = Wire.JSON.failure(c, Envelope.of("chat").withRoom("vip-lounge").withData("let me in"));
    assertEquals("not_member", notMember.errorCode());
    assertEquals("forbidden", Wire.JSON.failure(c, Envelope.of("join").withRoom("vip-lounge")).errorCode());
  }

  @Test
  void anApplicationsAuthenticatorGivesAnExpiryToo() {
    try (RawSocketClient raw = RawSocketClient.connect(port)) {
      assertEquals(401, raw.upgrade("/custom?access_token=" + (nowSeconds() - 5), Map.of()).status(), "an exp in the past at the handshake");
    }
    TestClient c = connectTo("/custom?access_token=" + (nowSeconds() + 2));
    assertEquals(4001, c.awaitClose(Duration.ofSeconds(10)));
    TestClient refreshed = connectTo("/custom?access_token=" + (nowSeconds() + 2));
    assertEquals("ok", refresh(refreshed, Long.toString(nowSeconds() + 60)).status());
    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(3500).toNanos());
    assertFalse(refreshed.isClosed());
  }

  @Test
  void aRefreshOnAHubWithoutAuthenticationOrAFloodOfThemHarmsNothing() {
    TestClient open = connectTo("/open");
    assertEquals("bad_request", refresh(open, "anything").errorCode());
    TestClient c = connectTo("/ws?access_token=" + token("ann", 60, false));
    Wire.JSON.join(c, "lobby");
    String bad = token("mallory", 60, false);
    for (int i = 0; i < 300; i++) {
      Wire.JSON.send(c, Envelope.of("refresh").withId("f" + i).withData(new JsonObject().put("token", bad)));
    }
    // Every one answered (forbidden, or rate_limited past the message rate), and the connection goes on.
    for (int i = 0; i < 300; i++) {
      Msg answer = c.takeReply("f" + i);
      assertTrue(List.of("forbidden", "rate_limited").contains(answer.errorCode()), answer.toString());
    }
    assertFalse(c.isClosed());
    assertEquals("ok", Wire.JSON.request(c, Envelope.of("ping")).status());
  }
}
