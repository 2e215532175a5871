package io.roomcast.gateway.cluster;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.Position;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.NodeProcess;
import io.roomcast.gateway.testing.ProcessCluster;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The issue's own trial, with nodes as processes from the jar: a member on one node, a publisher
 * on another sending 100 messages a second, {@code kill -9} of the member's node; the member comes
 * back on a third node with {@code since} and misses nothing. Then the node it moved to is killed
 * too (after the cluster has made new backups): the history, its offsets and its epoch survive
 * both losses, and nothing is delivered twice.
 */
@ExtendWith(VertxExtension.class)
class HistoryFailoverIT {

  private ProcessCluster cluster;
  private final List<TestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(c -> {
      try {
        c.close();
      } catch (RuntimeException | AssertionError ignored) {
        // the node is gone
      }
    });
    if (cluster != null) {
      cluster.close();
    }
  }

  private TestClient client(Vertx vertx, NodeProcess node) {
    TestClient c = TestClient.connect(vertx, node.port(), "/ws");
    clients.add(c);
    return c;
  }

  private static Path conf() throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "node-logs"));
    Path file = Files.createTempFile(dir, "history-", ".json");
    Files.writeString(file, new JsonObject().put("hubs", new JsonArray().add(new JsonObject()
      .put("history", new JsonArray().add(new JsonObject().put("room", "feed.*").put("size", 5000))))).encode());
    return file;
  }

  /** Reads a member's deliveries of the feed into {@code received} (n of each message), checking offsets go up by one. */
  private static Position drain(TestClient member, List<Integer> received, Position last) {
    for (Msg m : member.sync()) {
      if (!"tick".equals(m.event())) {
        continue;
      }
      JsonObject position = m.position();
      if (last != null) {
        assertEquals(last.epoch(), position.getString("epoch"), "the epoch changed");
        assertEquals(last.offset() + 1, position.getLong("offset"), "a gap or a duplicate in the offsets");
      }
      last = new Position(position.getLong("offset"), position.getString("epoch"));
      received.add(((JsonObject) m.data()).getInteger("n"));
    }
    return last;
  }

  @Test
  void aMemberWhoseNodeIsKilledRecoversEverythingOnAnotherNodeTwice(Vertx vertx) throws IOException {
    cluster = ProcessCluster.create();
    Path conf = conf();
    NodeProcess first = cluster.start("--conf", conf.toString());
    NodeProcess publisherNode = cluster.start("--conf", conf.toString());
    NodeProcess second = cluster.start("--conf", conf.toString());
    NodeProcess third = cluster.start("--conf", conf.toString());
    String room = "feed.live";
    TestClient publisher = client(vertx, publisherNode);
    Wire.JSON.join(publisher, room);
    TestClient member = client(vertx, first);
    Wire.JSON.join(member, room);
    AtomicInteger sent = new AtomicInteger();
    long timer = vertx.setPeriodic(10, id -> publisher.socket().writeTextMessage(Envelope.of("tick").withRoom(room)
      .withData(new JsonObject().put("n", sent.getAndIncrement())).toJson().toString()));
    List<Integer> received = new ArrayList<>();
    Position last = null;
    try {
      for (NodeProcess[] move : new NodeProcess[][] {{first, second}, {second, third}}) {
        // Time for the cluster to have made new backups after the last loss, and for the feed to flow.
        long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        Await.until(() -> System.nanoTime() > until, Duration.ofSeconds(10), "a pause");
        last = drain(member, received, last);
        move[0].signal("KILL");
        member = client(vertx, move[1]);
        Msg reply = Wire.JSON.request(member, Envelope.of("join").withRoom(room).withSince(last));
        assertEquals("ok", reply.status(), reply.toString());
        assertTrue(reply.dataObject().getBoolean("recovered"), "not recovered after the kill of " + move[0] + ": " + reply);
        assertEquals(last.epoch(), reply.dataObject().getString("epoch"));
        // The replayed messages came before the reply, the live ones after: the inbox holds both in order.
        last = drain(member, received, last);
      }
    } finally {
      vertx.cancelTimer(timer);
    }
    int total = sent.get();
    assertTrue(total > 1000, "the feed ran: " + total + " messages");
    TestClient finalMember = member;
    List<Integer> rest = new ArrayList<>();
    Position[] end = {last};
    Await.until(() -> {
      end[0] = drain(finalMember, rest, end[0]);
      return received.size() + rest.size() >= total;
    }, Duration.ofSeconds(20), "every message reached the member");
    received.addAll(rest);
    List<Integer> expected = new ArrayList<>();
    for (int n = 0; n < total; n++) {
      expected.add(n);
    }
    assertEquals(expected, received, "the member missed, repeated or reordered messages across two kills");
    assertEquals(total, end[0].offset(), "offsets went on from where they were");
  }
}
