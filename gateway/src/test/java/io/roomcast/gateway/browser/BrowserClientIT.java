package io.roomcast.gateway.browser;

import io.roomcast.gateway.internal.HubCounters;

import io.roomcast.gateway.internal.HubInternal;

import io.roomcast.gateway.JwtOptions;

import io.roomcast.gateway.HubOptions;

import io.roomcast.gateway.GatewayOptions;

import io.roomcast.gateway.testing.TestCluster;

import io.roomcast.gateway.testing.Await;

import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.node.DemoHandlers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * roomcast.js in headless Chromium against two nodes of a real cluster: chat across nodes in both
 * encodings, request/reply, the close rules, the queue, and the heartbeat.
 */
@Timeout(120)
class BrowserClientIT extends BrowserTestBase {

  static TestCluster cluster;

  /** A hub that verifies tokens, beside the default one. */
  static final String SECURE_PATH = "/secure";

  @BeforeAll
  static void startCluster() {
    GatewayOptions options = new GatewayOptions().addHub(new HubOptions().setName("secure").setPath(SECURE_PATH)
      .setJwt(new JwtOptions().setSecret("the-secure-hub-secret-of-the-browser-tests")));
    cluster = TestCluster.start(2, options, BrowserClientIT::handlers);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Handlers the request tests call, on every node. */
  static void handlers(Gateway gateway) {
    DemoHandlers.install(gateway);
    Hub hub = gateway.hub("default");
    hub.on("echo", ctx -> ctx.reply(ctx.data()));
    hub.on("never", ctx -> {
      // Never answers: the client's timeout has to.
    });
    hub.on("deny", ctx -> ctx.fail(ErrorCode.FORBIDDEN, "denied by the test"));
  }

  private static JsonObject opts() {
    return new JsonObject().put("reconnectDelay", 50).put("maxReconnectDelay", 200);
  }

  @Test
  void pagesOnTwoNodesChatInARoomBothWays() {
    TestCluster.Node nodeA = cluster.node(0);
    TestCluster.Node nodeB = cluster.node(1);
    BrowserPage pa = harness(nodeA);
    BrowserPage pb = harness(nodeB);
    pa.connect("a", opts(), nodeA.wsUrl());
    pb.connect("b", opts(), nodeB.wsUrl());
    String idA = (String) pa.eval("clients.a.id");
    String idB = (String) pb.eval("clients.b.id");
    assertEquals(nodeA.id(), pa.eval("clients.a.node"));
    assertEquals(nodeB.id(), pb.eval("clients.b.node"));

    assertEquals(ok(new JsonObject().put("room", "lobby")), pa.json("settle(clients.a.join('lobby'))"));
    assertEquals(ok(new JsonObject().put("room", "lobby")), pb.json("settle(clients.b.join('lobby'))"));

    pa.eval("clients.a.publish('lobby', 'chat', {text: 'hello from A', n: 1})");
    pb.waitFor("count('b', 'message', e => e.event === 'chat' && e.data.n === 1) === 1");
    JsonObject got = pb.events("b", "message").get(0);
    assertEquals("lobby", got.getString("room"));
    assertEquals(idA, got.getString("from"));
    assertEquals("hello from A", got.getJsonObject("data").getString("text"));

    pb.eval("clients.b.publish('lobby', 'chat', {text: 'hello from B', n: 2})");
    pa.waitFor("count('a', 'message', e => e.event === 'chat' && e.data.n === 2) === 1");
    assertEquals(idB, pa.events("a", "message").get(0).getString("from"));

    // A direct message crosses nodes too, and named listeners get (data, message).
    pb.call("() => { window.direct = []; clients.b.on('poke', (data, msg) => direct.push({data, from: msg.from, room: msg.room || null})); }", null);
    pa.call("id => clients.a.send(id, 'poke', {x: 1})", idB);
    pb.waitFor("window.direct.length === 1");
    assertEquals(new JsonArray().add(new JsonObject().put("data", new JsonObject().put("x", 1)).put("from", idA).putNull("room")),
      new JsonArray((String) pb.eval("JSON.stringify(direct)")));

    // Nobody got their own message back.
    assertEquals(1, pa.events("a", "message").size());
    assertEquals(1, pb.events("b", "message").size() - 1);
  }

  @Test
  void binaryAndJsonClientsExchangeJsonAndBytesAcrossNodes() {
    TestCluster.Node nodeA = cluster.node(0);
    TestCluster.Node nodeB = cluster.node(1);
    BrowserPage pa = harness(nodeA);
    BrowserPage pb = harness(nodeB);
    pa.connect("a", opts().put("binary", true), nodeA.wsUrl());
    pb.connect("b", opts(), nodeB.wsUrl());
    // Binary replies have no id: join and leave are matched by event and room.
    assertEquals(ok(new JsonObject().put("room", "mixed")), pa.json("settle(clients.a.join('mixed'))"));
    assertEquals(ok(new JsonObject().put("room", "mixed")), pb.json("settle(clients.b.join('mixed'))"));

    pa.eval("clients.a.publish('mixed', 'chat', {n: 1})");
    pa.eval("clients.a.publish('mixed', 'blob', new Uint8Array([0, 1, 2, 255]))");
    pb.waitFor("count('b', 'message', e => e.event === 'blob') === 1");
    List<JsonObject> atB = pb.events("b", "message");
    assertEquals(new JsonObject().put("n", 1), atB.get(0).getJsonObject("data"));
    assertEquals(bytes(0, 1, 2, 255), atB.get(1).getJsonObject("data"));

    // A JSON client sends bytes as a binary envelope; a binary client reads JSON payloads as JSON.
    pb.eval("clients.b.publish('mixed', 'chat', {n: 2})");
    pb.eval("clients.b.publish('mixed', 'blob', new Uint8Array([9, 8, 7]).buffer)");
    pa.waitFor("count('a', 'message', e => e.event === 'blob') === 1");
    List<JsonObject> atA = pa.events("a", "message");
    assertEquals(new JsonObject().put("n", 2), atA.get(0).getJsonObject("data"));
    assertEquals(bytes(9, 8, 7), atA.get(1).getJsonObject("data"));
    assertEquals(pb.eval("clients.b.id"), atA.get(1).getString("from"));

    // Errors of binary built-ins come back matched too; root cannot be left.
    assertEquals("forbidden", pa.json("settle(clients.a.leave('root'))").getJsonObject("error").getString("code"));
    assertEquals(ok(new JsonObject().put("room", "mixed")), pa.json("settle(clients.a.leave('mixed'))"));
    pa.eval("clients.a.publish('mixed', 'chat', {n: 3})");
    pa.waitFor("count('a', 'error', e => e.detail.code === 'not_member') === 1");
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void requestResolvesWithTheReplyAndRejectsOnErrorOrTimeout(boolean binary) {
    TestCluster.Node nodeA = cluster.node(0);
    BrowserPage p = harness(nodeA);
    p.connect("q", opts().put("binary", binary), nodeA.wsUrl());
    String room = "requests-" + binary;

    assertEquals(ok(new JsonObject().put("x", new JsonArray().add(1).add("two"))),
      p.json("settle(clients.q.request('echo', {x: [1, 'two']}))"));
    assertEquals("forbidden", errorCode(p.json("settle(clients.q.request('deny'))")));
    assertEquals("unknown_event", errorCode(p.json("settle(clients.q.request('nobody-handles-this'))")));

    long started = System.nanoTime();
    JsonObject timedOut = p.json("settle(clients.q.request('never', null, {timeout: 300}))");
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals("timeout", errorCode(timedOut));
    assertTrue(tookMs >= 300 && tookMs < 10_000, "the timeout took " + tookMs + " ms");

    // The demo's members request: only for members, answered from every node.
    assertEquals("not_member", errorCode(p.json("settle(clients.q.request('members', null, {room: '" + room + "'}))")));
    p.json("settle(clients.q.join('" + room + "'))");
    JsonObject members = p.json("settle(clients.q.request('members', null, {room: '" + room + "'}))").getJsonObject("ok");
    assertEquals(new JsonArray().add(new JsonObject().put("id", p.eval("clients.q.id")).put("node", nodeA.id())),
      members.getJsonArray("members"));

    // With a room and no handler, a request is a publish the server acknowledges.
    assertEquals(ok(new JsonObject()), p.json("settle(clients.q.request('chat', {n: 1}, {room: '" + room + "'}))"));
    // Nothing is left waiting: a late reply to the timed-out request would have nowhere to go.
    assertEquals(0, p.events("q", "error").size(), p.diagnostics());
  }

  @Test
  void kickedClientIsClosedWith1008AndDoesNotReconnect() {
    TestCluster.Node nodeA = cluster.node(0);
    TestCluster.Node nodeB = cluster.node(1);
    BrowserPage p = harness(nodeA);
    p.connect("k", opts(), nodeA.wsUrl(), nodeB.wsUrl());
    String id = (String) p.eval("clients.k.id");

    // Kicked from the other node: the command crosses the cluster.
    Await.result(nodeB.hub().kick(id));
    p.waitFor("count('k', 'closed') === 1");
    JsonObject closed = p.events("k", "closed").get(0).getJsonObject("detail");
    assertEquals(1008, closed.getInteger("code"));
    assertEquals("kicked", closed.getString("reason"));
    assertEquals("policy", closed.getJsonObject("error").getString("code"));
    assertEquals("closed", p.eval("clients.k.state"));
    assertEquals(1, p.events("k", "error").size());

    // Its backoff is at most 200 ms: ten times that without an attempt means it is not trying.
    p.assertStaysFalse("count('k', 'reconnecting') > 0 || count('k', 'open') > 1", Duration.ofSeconds(2));
    assertEquals("closed", errorCode(p.json("settle(clients.k.join('anywhere'))")));
    assertEquals("closed", p.eval("(() => { try { clients.k.publish('r', 'e', 1); return 'sent'; } catch (e) { return e.code; } })()"));
  }

  @Test
  void refusedHandshakeEndsInAnErrorInsteadOfLooping() {
    TestCluster.Node nodeA = cluster.node(0);
    HubCounters stats = HubInternal.of(nodeA.gateway().hub("secure")).counters();
    long refusedBefore = stats.rejected(HubCounters.Rejection.AUTH);

    BrowserPage p = harness(nodeA);
    // A bad token: the hub answers 401 to every handshake, which a browser only sees as a failure.
    p.make("r", opts().put("token", "bad-token").put("maxHandshakeFailures", 3).put("queueLimit", 2),
      "ws://127.0.0.1:" + nodeA.port() + SECURE_PATH);
    p.call("() => {"
      + " window.connected = settle(clients.r.connect());"
      + " clients.r.publish('x', 'chat', 1);"
      + " clients.r.publish('x', 'chat', 2);"
      + " try { clients.r.publish('x', 'chat', 3); window.third = 'queued'; } catch (e) { window.third = e.code; }"
      + " window.queuedBeforeFailure = clients.r.queued;"
      + " }", null);
    // Read in the same turn as the publishes: three refusals with a backoff below 50 and 100 ms
    // can all be over before the next call reaches the page, and they empty the queue.
    assertEquals("queue_full", p.eval("window.third"));
    assertEquals(2, p.eval("window.queuedBeforeFailure"));

    p.waitFor("count('r', 'closed') === 1");
    JsonObject connected = new JsonObject((String) p.eval("window.connected"));
    assertEquals("handshake_failed", errorCode(connected));
    JsonObject closed = p.events("r", "closed").get(0).getJsonObject("detail");
    assertEquals("handshake_failed", closed.getJsonObject("error").getString("code"));
    assertEquals(2, p.events("r", "reconnecting").size());
    assertEquals(0, p.eval("clients.r.queued"));
    assertEquals(3, stats.rejected(HubCounters.Rejection.AUTH) - refusedBefore, "three handshakes, each refused");

    p.assertStaysFalse("count('r', 'reconnecting') > 2", Duration.ofSeconds(2));
    assertEquals(3, stats.rejected(HubCounters.Rejection.AUTH) - refusedBefore);
  }

  @Test
  void deadLinkIsFoundByTheHeartbeatAndTheClientMovesToTheNextNode() {
    TestCluster.Node nodeA = cluster.node(0);
    TestCluster.Node nodeB = cluster.node(1);
    FreezableProxy proxy = closeAfterTest(FreezableProxy.start(nodeA.vertx(), nodeA.port()));
    BrowserPage p = harness(nodeA);
    p.connect("h", opts().put("heartbeatInterval", 500).put("heartbeatTimeout", 1000), proxy.wsUrl(), nodeB.wsUrl());
    String firstId = (String) p.eval("clients.h.id");
    assertEquals(nodeA.id(), p.eval("clients.h.node"));
    p.json("settle(clients.h.join('heartbeat'))");
    BrowserPage other = harness(nodeB);
    other.connect("o", opts(), nodeB.wsUrl());
    other.json("settle(clients.o.join('heartbeat'))");

    proxy.freeze();
    p.waitFor("count('h', 'open') === 2");
    JsonObject reconnecting = p.events("h", "reconnecting").get(0).getJsonObject("detail");
    assertEquals(4000, reconnecting.getInteger("code"), "a lost heartbeat, not a close the browser saw");
    JsonObject reopened = p.events("h", "open").get(1).getJsonObject("detail");
    assertEquals(nodeB.id(), reopened.getString("node"));
    assertEquals(firstId, reopened.getString("previousId"));
    assertNotEquals(firstId, reopened.getString("id"));
    assertEquals(new JsonArray().add("heartbeat"), reopened.getJsonArray("rooms"));

    other.eval("clients.o.publish('heartbeat', 'chat', {n: 1})");
    p.waitFor("count('h', 'message', e => e.event === 'chat') === 1");
  }

  private static JsonObject ok(Object value) {
    return new JsonObject().put("ok", value);
  }

  private static String errorCode(JsonObject settled) {
    JsonObject error = settled.getJsonObject("error");
    if (error == null) {
      throw new AssertionError("expected an error, got " + settled);
    }
    return error.getString("code");
  }

  private static JsonObject bytes(int... values) {
    JsonArray array = new JsonArray();
    for (int v : values) {
      array.add(v);
    }
    return new JsonObject().put("bytes", array);
  }
}
