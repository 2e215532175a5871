package io.roomcast.gateway.browser;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.JwtOptions;
import io.roomcast.gateway.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token lifetime in roomcast.js (PROTOCOL.md section 8, docs/BROWSER.md "Token lifetime") in
 * headless Chromium against one node whose hub verifies HS256 tokens and keeps the rooms
 * {@code vip-*} for tokens with the claim {@code vip: true}: a token function's tokens are
 * refreshed in-band before they expire, in JSON and in binary; a string token that expires ends
 * the client with 4001; a refused refresh leads to the expiry close and a reconnect with a new
 * token; a refresh that takes a claim away takes the page out of the room that needed it.
 *
 * <p>The pages get their tokens from a queue per client that the test fills ({@code give}): the
 * client's token function takes the next one, or waits until the test gives one. Tokens live a
 * few seconds, so that the whole class takes well under a minute.
 */
@Timeout(120)
class TokenRefreshIT extends BrowserTestBase {

  private static final String SECRET = "the-token-refresh-secret-of-the-browser-tests";

  /**
   * On the harness page: {@code makeWithTokens(name, urls, options)} makes a client whose token
   * function takes tokens from {@code boxes[name]}, filled by {@code give(name, token)}; every
   * call of the function is recorded (its time, page clock) in {@code boxes[name].asked}.
   */
  private static final String TOKEN_BOXES = "() => {"
    + " window.boxes = {};"
    + " window.give = (name, token) => {"
    + "   const box = boxes[name];"
    + "   const waiter = box.waiters.shift();"
    + "   if (waiter) { waiter(token); } else { box.queue.push(token); }"
    + "   return true;"
    + " };"
    + " window.makeWithTokens = (name, urls, options) => {"
    + "   const box = { queue: [], waiters: [], asked: [] };"
    + "   boxes[name] = box;"
    + "   const next = () => {"
    + "     box.asked.push(Date.now());"
    + "     return box.queue.length > 0 ? box.queue.shift() : new Promise((resolve) => box.waiters.push(resolve));"
    + "   };"
    + "   return make(name, urls, { ...options, token: next });"
    + " };"
    + " return true;"
    + " }";

  static TestCluster cluster;

  @BeforeAll
  static void startCluster() {
    JsonObject vip = new JsonObject().put("claim", "vip").put("equals", true);
    JsonArray permissions = new JsonArray()
      .add(new JsonObject().put("room", "vip-*").put("join", vip).put("publish", vip.copy()))
      .add(new JsonObject().put("room", "*").put("join", true).put("publish", true));
    HubOptions hub = new HubOptions().setJwt(new JwtOptions().setSecret(SECRET)).setPermissions(permissions);
    cluster = TestCluster.start(1, new GatewayOptions().setHubs(List.of(hub)), gateway -> { });
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static JsonObject opts() {
    return new JsonObject().put("reconnectDelay", 100).put("maxReconnectDelay", 500);
  }

  @Test
  void aTokenFunctionsTokenIsRefreshedInBandAndTheConnectionOutlivesIt() {
    TestCluster.Node node = cluster.node(0);
    BrowserPage p = page(node);
    String room = "refresh-a";
    publisher(p, node, room);

    // Both encodings at once: a binary client refreshes with a binary envelope.
    List<String> clients = List.of("json", "bin");
    long firstExpMillis = 0;
    for (String c : clients) {
      Token first = token("alice-" + c, false, 6000);
      firstExpMillis = Math.max(firstExpMillis, first.expMillis());
      makeWithTokens(p, c, opts().put("binary", "bin".equals(c)), node.wsUrl());
      give(p, c, first);
      // The refresh's token, given up front: it takes it whenever it asks.
      give(p, c, token("alice-" + c, false, 60_000));
    }
    for (String c : clients) {
      connected(p, c);
      joined(p, c, room);
    }
    String idJson = (String) p.eval("clients.json.id");
    String idBin = (String) p.eval("clients.bin.id");

    // Each asks its function once more, before its first token expires.
    for (String c : clients) {
      p.waitFor("boxes." + c + ".asked.length === 2");
      long askedAt = ((Number) p.eval("boxes." + c + ".asked[1]")).longValue();
      long connectedAt = ((Number) p.eval("boxes." + c + ".asked[0]")).longValue();
      assertTrue(askedAt - connectedAt >= 1000 && askedAt <= firstExpMillis - 1000,
        c + ": the refresh should come in its window, " + (askedAt - connectedAt) + " ms after connecting and "
          + (firstExpMillis - askedAt) + " ms before the first token's expiry\n" + p.diagnostics());
    }

    // Past the first tokens' expiry (the server looks every 250 ms, with no leeway): the same
    // connections, never closed, no error.
    p.waitFor("Date.now() > " + (firstExpMillis + 1500));
    assertEquals(idJson, p.eval("clients.json.id"));
    assertEquals(idBin, p.eval("clients.bin.id"));
    for (String c : clients) {
      assertEquals("open", p.eval("clients." + c + ".state"), p.diagnostics());
      assertEquals(1, p.events(c, "open").size(), p.diagnostics());
      assertEquals(0, p.events(c, "reconnecting").size(), p.diagnostics());
      assertEquals(0, p.events(c, "error").size(), p.diagnostics());
      assertEquals(2, ((Number) p.eval("boxes." + c + ".asked.length")).intValue(), "no other refresh or connection");
    }

    // And they keep receiving.
    p.eval("clients.pub.publish('" + room + "', 'chat', {n: 1})");
    for (String c : clients) {
      p.waitFor("count('" + c + "', 'message', e => e.event === 'chat' && e.data.n === 1) === 1");
    }
  }

  @Test
  void aStringTokenThatExpiresEndsTheClientWith4001() {
    TestCluster.Node node = cluster.node(0);
    BrowserPage p = page(node);
    Token shortLived = token("bob", false, 3000);
    p.connect("s", opts().put("token", shortLived.jwt()), node.wsUrl());
    joined(p, "s", "refresh-b");

    p.waitFor("count('s', 'closed') === 1");
    long seenAt = System.currentTimeMillis();
    assertTrue(seenAt >= shortLived.expMillis(), "closed " + (shortLived.expMillis() - seenAt) + " ms before the token expired");
    assertTrue(seenAt < shortLived.expMillis() + 5000, "closed " + (seenAt - shortLived.expMillis()) + " ms after the token expired");
    JsonObject closed = p.events("s", "closed").get(0).getJsonObject("detail");
    assertEquals(4001, closed.getInteger("code"), closed.encode());
    assertEquals("token expired", closed.getString("reason"), closed.encode());
    assertEquals("token_expired", closed.getJsonObject("error").getString("code"), closed.encode());
    assertEquals(4001, closed.getJsonObject("error").getInteger("closeCode"), closed.encode());
    List<JsonObject> errors = p.events("s", "error");
    assertEquals(1, errors.size(), p.diagnostics());
    assertEquals("token_expired", errors.get(0).getJsonObject("detail").getString("code"));
    assertEquals("closed", p.eval("clients.s.state"));

    // The same token would be refused: the client does not try.
    p.assertStaysFalse("count('s', 'reconnecting') > 0 || count('s', 'open') > 1", Duration.ofSeconds(1));
  }

  @Test
  void aRefusedRefreshEndsInTheExpiryCloseAndAReconnectWithANewToken() {
    TestCluster.Node node = cluster.node(0);
    BrowserPage p = page(node);
    String room = "refresh-c";
    publisher(p, node, room);

    Token first = token("carol", false, 5000);
    makeWithTokens(p, "c", opts(), node.wsUrl());
    give(p, "c", first);
    // The refresh gets a token of another user, which the server refuses; the reconnect after
    // the expiry close gets a good one.
    give(p, "c", token("mallory", false, 60_000));
    give(p, "c", token("carol", false, 60_000));
    connected(p, "c");
    joined(p, "c", room);
    String firstId = (String) p.eval("clients.c.id");

    p.waitFor("count('c', 'error', e => e.detail.code === 'forbidden') === 1");
    // Refused: nothing changed, the connection lives on until its token expires.
    assertEquals(firstId, p.eval("clients.c.id"));
    assertEquals(1, p.events("c", "open").size(), p.diagnostics());

    p.waitFor("count('c', 'open') === 2");
    assertTrue(System.currentTimeMillis() >= first.expMillis(), "reconnected before the first token expired");
    JsonObject reconnecting = p.events("c", "reconnecting").get(0).getJsonObject("detail");
    assertEquals(4001, reconnecting.getInteger("code"), reconnecting.encode());
    assertEquals("token expired", reconnecting.getString("reason"), reconnecting.encode());
    JsonObject reopened = p.events("c", "open").get(1).getJsonObject("detail");
    assertEquals(true, reopened.getBoolean("reconnected"), reopened.encode());
    assertEquals(firstId, reopened.getString("previousId"), reopened.encode());
    assertNotEquals(firstId, reopened.getString("id"), reopened.encode());
    assertEquals(new JsonArray().add(room), reopened.getJsonArray("rooms"), reopened.encode());
    assertEquals(new JsonArray(), reopened.getJsonArray("failedRooms"), reopened.encode());
    assertEquals(3, ((Number) p.eval("boxes.c.asked.length")).intValue(), "connect, refresh, reconnect");
    assertEquals(0, p.events("c", "closed").size(), p.diagnostics());
    assertEquals(1, p.events("c", "reconnecting").size(), p.diagnostics());
    assertEquals(1, p.events("c", "error").size(), p.diagnostics());

    // Back in its room with its new id.
    p.eval("clients.pub.publish('" + room + "', 'chat', {n: 1})");
    p.waitFor("count('c', 'message', e => e.event === 'chat' && e.data.n === 1) === 1");
  }

  @Test
  void aRefreshWithoutTheClaimARoomNeedsTakesThePageOutOfIt() {
    TestCluster.Node node = cluster.node(0);
    BrowserPage p = page(node);
    String vipRoom = "vip-lounge";
    String room = "refresh-d";
    publisher(p, node, vipRoom, room);

    // Both encodings at once: a binary client gets the server's left as a binary envelope.
    List<String> clients = List.of("dj", "db");
    long firstExpMillis = 0;
    for (String c : clients) {
      // Long enough for the checks below to be done before the refresh is due.
      Token first = token("dave-" + c, true, 8000);
      firstExpMillis = Math.max(firstExpMillis, first.expMillis());
      makeWithTokens(p, c, opts().put("binary", "db".equals(c)), node.wsUrl());
      give(p, c, first);
    }
    for (String c : clients) {
      connected(p, c);
      joined(p, c, vipRoom);
      joined(p, c, room);
    }
    String idJson = (String) p.eval("clients.dj.id");
    String idBin = (String) p.eval("clients.db.id");

    // A peer cannot fake the server's left: its delivery named left has `from`, and reaches
    // message listeners only.
    p.eval("clients.pub.publish('" + vipRoom + "', 'left', {reason: 'forbidden'})");
    for (String c : clients) {
      p.waitFor("count('" + c + "', 'message', e => e.event === 'left' && e.room === '" + vipRoom + "') === 1");
      assertEquals(0, p.events(c, "left").size(), p.diagnostics());
      assertEquals(new JsonArray().add(vipRoom).add(room), rooms(p, c));
    }

    // The refresh is due: each client gets a token of the same user without the vip claim.
    for (String c : clients) {
      p.waitFor("boxes." + c + ".asked.length === 2");
      give(p, c, token("dave-" + c, false, 60_000));
    }
    for (String c : clients) {
      p.waitFor("count('" + c + "', 'left') === 1");
      JsonObject left = p.events(c, "left").get(0).getJsonObject("detail");
      assertEquals(new JsonObject().put("room", vipRoom).put("reason", "forbidden"), left, c);
      assertEquals(new JsonArray().add(room), rooms(p, c), c + " still remembers the room it was taken out of");
    }

    // No longer a member: a publish there does not reach them, one in the other room does.
    p.eval("clients.pub.publish('" + vipRoom + "', 'chat', {n: 1})");
    p.eval("clients.pub.publish('" + room + "', 'chat', {n: 2})");
    for (String c : clients) {
      p.waitFor("count('" + c + "', 'message', e => e.event === 'chat' && e.data.n === 2) === 1");
    }
    p.assertStaysFalse("count('dj', 'message', e => e.event === 'chat' && e.data.n === 1) > 0"
      + " || count('db', 'message', e => e.event === 'chat' && e.data.n === 1) > 0", Duration.ofSeconds(1));
    // And the new claims do not let them back in.
    for (String c : clients) {
      JsonObject refused = p.json("settle(clients." + c + ".join('" + vipRoom + "'))");
      assertEquals("forbidden", errorCode(refused), c + ": " + refused);
    }

    // All on the same connections, past the first tokens' expiry.
    p.waitFor("Date.now() > " + (firstExpMillis + 1500));
    assertEquals(idJson, p.eval("clients.dj.id"));
    assertEquals(idBin, p.eval("clients.db.id"));
    for (String c : clients) {
      assertEquals(1, p.events(c, "open").size(), p.diagnostics());
      assertEquals(0, p.events(c, "reconnecting").size(), p.diagnostics());
      assertEquals(0, p.events(c, "error").size(), p.diagnostics());
    }
  }

  /** The harness with the token queues installed. */
  private BrowserPage page(TestCluster.Node node) {
    BrowserPage p = harness(node);
    p.call(TOKEN_BOXES, null);
    return p;
  }

  /** A client {@code pub} on the page, with a vip token good for ten minutes, in these rooms. */
  private static void publisher(BrowserPage p, TestCluster.Node node, String... rooms) {
    p.connect("pub", opts().put("token", token("publisher", true, 600_000).jwt()), node.wsUrl());
    for (String room : rooms) {
      joined(p, "pub", room);
    }
  }

  private static void makeWithTokens(BrowserPage p, String name, JsonObject options, String... urls) {
    p.call("a => makeWithTokens(a.name, a.urls, a.options)", Map.of("name", name, "urls", List.of(urls), "options", options.getMap()));
  }

  private static void give(BrowserPage p, String client, Token token) {
    p.call("a => give(a.client, a.token)", Map.of("client", client, "token", token.jwt()));
  }

  private static void connected(BrowserPage p, String client) {
    JsonObject opened = p.json("settle(clients['" + client + "'].connect())");
    if (!opened.containsKey("ok")) {
      throw new AssertionError(client + " did not connect: " + opened + "\n" + p.diagnostics());
    }
  }

  private static void joined(BrowserPage p, String client, String room) {
    JsonObject settled = p.json("settle(clients['" + client + "'].join('" + room + "'))");
    JsonObject ok = settled.getJsonObject("ok");
    assertTrue(ok != null && room.equals(ok.getString("room")), client + " did not join " + room + ": " + settled + "\n" + p.diagnostics());
  }

  private static JsonArray rooms(BrowserPage p, String client) {
    return new JsonArray((String) p.eval("JSON.stringify(clients['" + client + "'].rooms)"));
  }

  private static String errorCode(JsonObject settled) {
    JsonObject error = settled.getJsonObject("error");
    if (error == null) {
      throw new AssertionError("expected an error, got " + settled);
    }
    return error.getString("code");
  }

  /** A signed token and its {@code exp} (seconds since the epoch). */
  private record Token(String jwt, long exp) {
    long expMillis() {
      return exp * 1000;
    }
  }

  /**
   * An HS256 token naming {@code sub}, with {@code vip: true} when asked, issued now and expiring
   * in {@code lifetimeMs} rounded up to the next whole second ({@code exp} is in seconds).
   */
  private static Token token(String sub, boolean vip, long lifetimeMs) {
    long now = System.currentTimeMillis();
    long exp = (now + lifetimeMs + 999) / 1000;
    JsonObject claims = new JsonObject().put("sub", sub).put("iat", now / 1000).put("exp", exp);
    if (vip) {
      claims.put("vip", true);
    }
    String input = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64(claims.encode());
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String signature = Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
      return new Token(input + "." + signature, exp);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
