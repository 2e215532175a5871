package io.roomcast.gateway.browser;

import io.roomcast.gateway.testing.TestCluster;

import io.roomcast.gateway.testing.Await;

import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HistoryOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.node.DemoHandlers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node of the cluster is stopped under a page: the page reconnects to the other URL, joins its
 * room again, gets a new client id, and receives and publishes as before, once per message.
 * Each test has its own cluster, since it stops one of its nodes.
 */
@Timeout(120)
class FailoverIT extends BrowserTestBase {

  private TestCluster cluster;

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  // JSON here and binary in the history case below: each wire fails over once (a cluster each costs seconds).
  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false})
  void pageOfAStoppedNodeReconnectsToTheOtherRejoinsAndReceivesOnce(boolean binary) {
    cluster = TestCluster.start(2, DemoHandlers::install);
    TestCluster.Node nodeA = cluster.node(0);
    TestCluster.Node nodeB = cluster.node(1);
    JsonObject options = new JsonObject().put("binary", binary).put("reconnectDelay", 100).put("maxReconnectDelay", 1000);

    // The page is served by B, which stays up; its client starts on A.
    BrowserPage pa = harness(nodeB);
    pa.connect("a", options, nodeA.wsUrl(), nodeB.wsUrl());
    BrowserPage pb = harness(nodeB);
    pb.connect("b", options, nodeB.wsUrl());
    String firstId = (String) pa.eval("clients.a.id");
    String idB = (String) pb.eval("clients.b.id");
    assertEquals(nodeA.id(), pa.eval("clients.a.node"));
    pa.json("settle(clients.a.join('room1'))");
    pb.json("settle(clients.b.join('room1'))");
    // One listener for the whole life of the client; a reconnect must not add another.
    pa.call("() => {"
      + " window.chats = [];"
      + " clients.a.on('chat', (data, msg) => chats.push(data.n));"
      // While reconnecting: a publish is queued, then sent once back in room1; a join waits for
      // the next connection.
      + " clients.a.once('reconnecting', () => {"
      + "   clients.a.publish('room1', 'chat', {n: 'queued'});"
      + "   window.lateJoin = settle(clients.a.join('room2'));"
      + " });"
      + " }", null);

    pb.eval("clients.b.publish('room1', 'chat', {n: 1})");
    pa.waitFor("chats.length === 1");

    cluster.stop(nodeA);

    pa.waitFor("count('a', 'open') === 2");
    JsonObject reconnecting = pa.events("a", "reconnecting").get(0).getJsonObject("detail");
    assertEquals(1001, reconnecting.getInteger("code"), "a draining node closes with 1001");
    assertEquals(nodeB.wsUrl(), reconnecting.getString("url"));
    JsonObject reopened = pa.events("a", "open").get(1).getJsonObject("detail");
    String newId = reopened.getString("id");
    assertEquals(nodeB.id(), reopened.getString("node"));
    assertEquals(firstId, reopened.getString("previousId"));
    assertNotEquals(firstId, newId);
    assertEquals(true, reopened.getBoolean("reconnected"));
    assertEquals(new JsonArray().add("room1").add("room2"), reopened.getJsonArray("rooms"));
    assertEquals(new JsonObject().put("ok", new JsonObject().put("room", "room2")), new JsonObject((String) pa.eval("window.lateJoin")));
    assertEquals(newId, pa.eval("clients.a.id"));

    // The queued publish went out after the re-join, under the new id, once.
    pb.waitFor("count('b', 'message', e => e.data && e.data.n === 'queued') === 1");
    JsonObject queued = pb.events("b", "message").stream()
      .filter(e -> "queued".equals(e.getJsonObject("data").getString("n"))).findFirst().orElseThrow();
    assertEquals(newId, queued.getString("from"));

    // Messages after the failover reach the page once each, through its one listener.
    pb.eval("clients.b.publish('room1', 'chat', {n: 2})");
    pb.eval("clients.b.publish('room1', 'chat', {n: 3})");
    pa.waitFor("chats.includes(3)");
    assertEquals(new JsonArray().add(1).add(2).add(3), new JsonArray((String) pa.eval("JSON.stringify(chats)")));

    // And the other way: the page publishes from its new node.
    pa.eval("clients.a.publish('room1', 'chat', {n: 4})");
    pb.waitFor("count('b', 'message', e => e.data && e.data.n === 4) === 1");

    // The room did not lose the page: the surviving node lists it under its new id.
    List<ClientInfo> members = Await.result(nodeB.hub().clients("room1"));
    List<String> ids = members.stream().map(ClientInfo::id).sorted().collect(Collectors.toList());
    assertTrue(ids.contains(newId) && ids.contains(idB) && !ids.contains(firstId), ids.toString());
    assertEquals(0, pa.events("a", "error").size(), pa.diagnostics());
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {true})
  void pageRecoversWhatARoomWithHistoryGotWhileItWasAway(boolean binary) {
    GatewayOptions options = new GatewayOptions().setHubs(List.of(new HubOptions().setHistory(List.of(new HistoryOptions("feed.*")))));
    cluster = TestCluster.start(2, options, DemoHandlers::install);
    TestCluster.Node nodeA = cluster.node(0);
    TestCluster.Node nodeB = cluster.node(1);
    // A long first delay: the messages below are published while the page is away.
    JsonObject clientOptions = new JsonObject().put("binary", binary).put("reconnectDelay", 1500).put("maxReconnectDelay", 3000);
    BrowserPage pa = harness(nodeB);
    pa.connect("a", clientOptions, nodeA.wsUrl(), nodeB.wsUrl());
    BrowserPage pb = harness(nodeB);
    pb.connect("b", clientOptions, nodeB.wsUrl());
    JsonObject joined = pa.json("settle(clients.a.join('feed.x'))").getJsonObject("ok");
    assertEquals(0, joined.getInteger("offset"), joined.encode());
    pb.json("settle(clients.b.join('feed.x'))");
    pa.call("() => { window.got = []; clients.a.on('tick', (data, msg) => got.push([data, msg.offset])); }", null);
    pb.eval("clients.b.publish('feed.x', 'tick', 1)");
    pa.waitFor("got.length === 1");

    cluster.stop(nodeA);
    pb.eval("clients.b.publish('feed.x', 'tick', 2)");
    pb.eval("clients.b.publish('feed.x', 'tick', 3, {key: 'third'})");
    pb.eval("clients.b.publish('feed.x', 'tick', 3, {key: 'third'})");
    pa.waitFor("count('a', 'open') === 2");
    pa.waitFor("got.length >= 3");
    pb.eval("clients.b.publish('feed.x', 'tick', 4)");
    pa.waitFor("got.length >= 4");
    assertEquals(new JsonArray("[[1,1],[2,2],[3,3],[4,4]]"), new JsonArray((String) pa.eval("JSON.stringify(got)")),
      "what the page got while away, then live, each once in order");
    JsonObject reopened = pa.events("a", "open").get(1).getJsonObject("detail");
    assertEquals(new JsonArray(), reopened.getJsonArray("unrecoveredRooms"));
    assertEquals(4, pa.json("JSON.stringify(clients.a.position('feed.x'))").getInteger("offset"));
    JsonObject history = pa.json("settle(clients.a.history('feed.x', {limit: 2}))").getJsonObject("ok");
    assertEquals(new JsonArray().add(3).add(4), new JsonArray(history.getJsonArray("messages").stream()
      .map(m -> ((JsonObject) m).getInteger("data")).collect(Collectors.toList())));
    assertEquals(0, pa.events("a", "error").size(), pa.diagnostics());
  }

  @Test
  void anAcknowledgedPublishWhoseReplyWasLostIsSentAgainAndDeliveredOnce() {
    GatewayOptions options = new GatewayOptions().setHubs(List.of(new HubOptions().setHistory(List.of(new HistoryOptions("feed.*")))));
    cluster = TestCluster.start(2, options, DemoHandlers::install);
    TestCluster.Node nodeA = cluster.node(0);
    TestCluster.Node nodeB = cluster.node(1);
    // Closed here, not after the test: it runs on node A's Vert.x, which the cluster's teardown closes first.
    try (FreezableProxy proxy = FreezableProxy.start(nodeA.vertx(), nodeA.port())) {
      lostReplyIsSentAgain(proxy, nodeB);
    }
  }

  private void lostReplyIsSentAgain(FreezableProxy proxy, TestCluster.Node nodeB) {
    BrowserPage pa = harness(nodeB);
    pa.connect("a", new JsonObject().put("heartbeatInterval", 500).put("heartbeatTimeout", 1000), proxy.wsUrl(), nodeB.wsUrl());
    BrowserPage pb = harness(nodeB);
    pb.connect("b", new JsonObject(), nodeB.wsUrl());
    pa.json("settle(clients.a.join('feed.x'))");
    pb.json("settle(clients.b.join('feed.x'))");
    pb.call("() => { window.got = []; clients.b.on('tick', (data, msg) => got.push([data, msg.offset])); }", null);
    for (String badKey : List.of("''", "'k'.repeat(65)", "42")) {
      JsonObject refused = pa.json("settle(clients.a.request('tick', 0, {room: 'feed.x', key: " + badKey + "}))");
      assertEquals("bad_request", refused.getJsonObject("error").getString("code"), badKey + ": " + refused);
    }

    // The publish reaches node A, which delivers it; its reply never comes back. The heartbeat
    // finds the link dead, the page moves to node B and sends the publish again, with its key.
    proxy.freezeReplies();
    pa.call("() => { window.acked = settle(clients.a.request('tick', 1, {room: 'feed.x'})); }", null);
    pb.waitFor("got.length === 1");
    pa.waitFor("count('a', 'open') === 2");
    JsonObject acked = pa.json("acked").getJsonObject("ok");
    assertEquals(1, acked.getInteger("offset"), "the reply to the copy names the first copy's position: " + acked);
    pa.eval("clients.a.publish('feed.x', 'tick', 2)");
    pb.waitFor("got.length >= 2");
    assertEquals(new JsonArray("[[1,1],[2,2]]"), new JsonArray((String) pb.eval("JSON.stringify(got)")),
      "the publish was delivered once, whichever copy the cluster saw first");
    assertEquals(0, pa.events("a", "error").size(), pa.diagnostics());
  }
}
