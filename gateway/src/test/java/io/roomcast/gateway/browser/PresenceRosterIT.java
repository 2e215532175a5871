package io.roomcast.gateway.browser;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.JwtOptions;
import io.roomcast.gateway.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The roster of roomcast.js (docs/BROWSER.md, PROTOCOL.md section 7) in headless Chromium on two
 * nodes whose hub keeps presence in {@code team:*} and names users by a token claim: a user
 * connected on both nodes is one entry with two connections on every page, with the info they
 * joined with, and when one node stops, the pages on the other see that user's entry lose the
 * connection it held. Each test has its own cluster, since it stops one of its nodes.
 */
@Timeout(120)
class PresenceRosterIT extends BrowserTestBase {

  private static final String SECRET = "the-presence-roster-secret-of-the-browser-tests";
  /** Not {@code sub}: each connection's token has its own {@code sub}, and only this claim folds them. */
  private static final String USER_CLAIM = "uid";
  private static final String ROOM = "team:1";
  /** How long the pages on the surviving node may take to see the stopped node's member go. */
  private static final Duration LEFT_WITHIN = Duration.ofSeconds(10);

  private TestCluster cluster;

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aUsersConnectionsOnTwoNodesAreOneEntryThatLosesTheConnectionOfAStoppedNode() {
    HubOptions hub = new HubOptions()
      .setJwt(new JwtOptions().setSecret(SECRET))
      .setPresence(List.of("team:*"))
      .setUserClaim(USER_CLAIM);
    cluster = TestCluster.start(2, new GatewayOptions().setHubs(List.of(hub)), gateway -> { });
    TestCluster.Node nodeA = cluster.node(0);
    TestCluster.Node nodeB = cluster.node(1);

    // Both pages are served by B, which stays up. Alice's first connection is on A only and does
    // not reconnect: when A stops, her entry must lose it, and nothing may bring it back.
    BrowserPage p1 = harness(nodeB);
    p1.connect("alice1", options("alice", "alice-laptop").put("reconnect", false), nodeA.wsUrl());
    BrowserPage p2 = harness(nodeB);
    p2.connect("alice2", options("alice", "alice-phone"), nodeB.wsUrl());
    // Bob speaks binary: his info travels in the payload of a binary join.
    p2.connect("bob", options("bob", "bob-desk").put("binary", true), nodeB.wsUrl());
    assertEquals(nodeA.id(), p1.eval("clients.alice1.node"));
    String alice1 = (String) p1.eval("clients.alice1.id");
    String alice2 = (String) p2.eval("clients.alice2.id");
    String bob = (String) p2.eval("clients.bob.id");
    for (BrowserPage p : List.of(p1, p2)) {
      recordRosters(p);
    }

    joined(p1, "alice1", ROOM, "{name: 'Alice'}");
    joined(p2, "alice2", ROOM, "{name: 'Alice'}");
    joined(p2, "bob", ROOM, "{name: 'Bob'}");

    // Every page converges on two entries: alice with her two connections, bob with his one.
    String both = "alice:2:Alice,bob:1:Bob";
    p1.waitFor("shape('alice1', '" + ROOM + "') === '" + both + "'");
    p2.waitFor("shape('alice2', '" + ROOM + "') === '" + both + "'");
    p2.waitFor("shape('bob', '" + ROOM + "') === '" + both + "'");
    for (String[] c : new String[][] {{"alice1", "p1"}, {"alice2", "p2"}, {"bob", "p2"}}) {
      BrowserPage p = "p1".equals(c[1]) ? p1 : p2;
      JsonArray roster = roster(p, c[0], ROOM);
      assertEquals(Set.of(alice1, alice2), clientsOf(entry(roster, "alice")), c[0] + " sees " + roster);
      assertEquals(Set.of(bob), clientsOf(entry(roster, "bob")), c[0] + " sees " + roster);
      assertTrue((Boolean) p.eval("rosters.some((e) => e.c === '" + c[0] + "' && e.room === '" + ROOM + "' && e.roster !== null)"),
        c[0] + " got no roster event\n" + p.diagnostics());
    }

    // The presence request answers for the whole cluster, and with countOnly without members.
    JsonObject presence = ok(p2, "clients.bob.presence('" + ROOM + "')");
    assertEquals(3, presence.getInteger("count"), presence.encode());
    assertEquals(2, presence.getInteger("users"), presence.encode());
    assertEquals(3, presence.getJsonArray("members").size(), presence.encode());
    JsonObject counts = ok(p1, "clients.alice1.presence('" + ROOM + "', {countOnly: true})");
    assertEquals(3, counts.getInteger("count"), counts.encode());
    assertEquals(2, counts.getInteger("users"), counts.encode());
    assertFalse(counts.containsKey("members"), counts.encode());

    // Info over 1,024 bytes encoded is refused, in JSON and in binary, and the room is not kept.
    for (String c : List.of("alice2", "bob")) {
      JsonObject refused = p2.json("settle(clients." + c + ".join('team:2', {info: {name: 'x'.repeat(1100)}}))");
      assertEquals("bad_request", errorCode(refused), c + ": " + refused);
      assertEquals(false, p2.eval("clients." + c + ".rooms.includes('team:2')"));
      assertNull(p2.eval("clients." + c + ".roster('team:2')"));
    }

    // A room without presence has no roster, and asking its presence is refused.
    joined(p2, "alice2", "lobby", "{name: 'Alice'}");
    assertEquals("bad_request", errorCode(p2.json("settle(clients.alice2.presence('lobby'))")));
    p2.assertStaysFalse("clients.alice2.roster('lobby') !== null", Duration.ofSeconds(1));
    for (String c : List.of("alice2", "bob")) {
      assertEquals(0, p2.events(c, "error").size(), p2.diagnostics());
    }
    assertEquals(0, p1.events("alice1", "error").size(), p1.diagnostics());

    long stopping = System.nanoTime();
    cluster.stop(nodeA);
    long stoppedMs = (System.nanoTime() - stopping) / 1_000_000;
    String aliceOnB = "alice:1:Alice,bob:1:Bob";
    p2.waitFor("shape('alice2', '" + ROOM + "') === '" + aliceOnB + "'", LEFT_WITHIN);
    p2.waitFor("shape('bob', '" + ROOM + "') === '" + aliceOnB + "'", LEFT_WITHIN);
    System.out.println("PresenceRosterIT: the pages on B saw alice lose her connection on A "
      + (System.nanoTime() - stopping) / 1_000_000 + " ms after the stop began (the stop took " + stoppedMs + " ms)");
    for (String c : List.of("alice2", "bob")) {
      JsonArray roster = roster(p2, c, ROOM);
      assertEquals(Set.of(alice2), clientsOf(entry(roster, "alice")), c + " sees " + roster);
      assertEquals(Set.of(bob), clientsOf(entry(roster, "bob")), c + " sees " + roster);
    }
    // No ghost comes back, and the cluster-wide answer no longer lists the connection on A.
    p2.assertStaysFalse("shape('alice2', '" + ROOM + "') !== '" + aliceOnB + "' || shape('bob', '" + ROOM + "') !== '" + aliceOnB + "'",
      Duration.ofSeconds(2));
    JsonObject after = ok(p2, "clients.alice2.presence('" + ROOM + "')");
    assertEquals(2, after.getInteger("count"), after.encode());
    assertEquals(2, after.getInteger("users"), after.encode());
    assertFalse(after.getJsonArray("members").encode().contains(alice1), after.encode());
    for (String c : List.of("alice2", "bob")) {
      assertEquals(0, p2.events(c, "error").size(), p2.diagnostics());
    }
  }

  /** Client options with a token naming {@code user} (the claim {@link #USER_CLAIM}) on one of their devices. */
  private static JsonObject options(String user, String device) {
    JsonObject claims = new JsonObject().put("sub", device).put(USER_CLAIM, user);
    return new JsonObject().put("token", token(claims)).put("reconnectDelay", 100).put("maxReconnectDelay", 1000);
  }

  /** An HS256 token over these claims, valid for ten minutes. */
  private static String token(JsonObject claims) {
    claims.put("exp", System.currentTimeMillis() / 1000 + 600);
    String input = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64(claims.encode());
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Records every roster event of the page's clients in {@code window.rosters}, and defines
   * {@code shape(client, room)}: the client's roster as sorted {@code user:connections:name}
   * entries, or null.
   */
  private static void recordRosters(BrowserPage p) {
    p.call("() => {"
      + " window.rosters = [];"
      + " for (const [name, rc] of Object.entries(clients)) {"
      + "   rc.on('roster', (d) => rosters.push({c: name, room: d.room, roster: d.roster}));"
      + " }"
      + " window.shape = (c, room) => {"
      + "   const r = clients[c].roster(room);"
      + "   return r === null ? null : r.map((e) => e.user + ':' + e.connections + ':' + (e.info ? e.info.name : '-')).sort().join(',');"
      + " };"
      + " }", null);
  }

  private static void joined(BrowserPage p, String client, String room, String info) {
    JsonObject settled = p.json("settle(clients." + client + ".join('" + room + "', {info: " + info + "}))");
    JsonObject ok = settled.getJsonObject("ok");
    assertTrue(ok != null && room.equals(ok.getString("room")), client + " did not join " + room + ": " + settled + "\n" + p.diagnostics());
  }

  /** @return what a promise resolved with, failing with its error */
  private static JsonObject ok(BrowserPage p, String promise) {
    JsonObject settled = p.json("settle(" + promise + ")");
    JsonObject ok = settled.getJsonObject("ok");
    if (ok == null) {
      throw new AssertionError(promise + " failed: " + settled + "\n" + p.diagnostics());
    }
    return ok;
  }

  private static JsonArray roster(BrowserPage p, String client, String room) {
    return new JsonArray((String) p.eval("JSON.stringify(clients." + client + ".roster('" + room + "'))"));
  }

  private static JsonObject entry(JsonArray roster, String user) {
    for (Object o : roster) {
      JsonObject e = (JsonObject) o;
      if (user.equals(e.getString("user"))) {
        return e;
      }
    }
    throw new AssertionError("no entry of " + user + " in " + roster.encode());
  }

  private static Set<String> clientsOf(JsonObject entry) {
    Set<String> ids = new TreeSet<>();
    entry.getJsonArray("clients").forEach(id -> ids.add((String) id));
    assertEquals(ids.size(), entry.getInteger("connections"), entry.encode());
    return ids;
  }

  private static String errorCode(JsonObject settled) {
    JsonObject error = settled.getJsonObject("error");
    if (error == null) {
      throw new AssertionError("expected an error, got " + settled);
    }
    return error.getString("code");
  }
}
