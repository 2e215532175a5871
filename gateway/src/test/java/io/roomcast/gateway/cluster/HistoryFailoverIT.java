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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The issue's own trial, with nodes as processes from the jar: four nodes, two publishers on two
 * different nodes sending 50 messages a second each, a member that stays put and two members (one
 * JSON, one binary) on the node that is killed with {@code kill -9}. They come back on another
 * node with {@code since} and miss nothing; then the node they moved to is killed too (after the
 * cluster has made new backups). Every member gets every message once, in one order: the same
 * message at the same offset for all of them, each publisher's messages in the order it sent them,
 * and the offsets and epoch go on across both losses.
 */
@ExtendWith(VertxExtension.class)
class HistoryFailoverIT {

  private static final String ROOM = "feed.live";

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

  private TestClient client(Vertx vertx, NodeProcess node, Wire wire) {
    TestClient c = wire == Wire.JSON ? TestClient.connect(vertx, node.port(), "/ws")
      : TestClient.connect(vertx, node.port(), "/ws", wire.subprotocol());
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

  /** What one member received, by offset, and where it stands. */
  private static final class Received {
    final String name;
    final Wire wire;
    TestClient client;
    final Map<Long, String> byOffset = new HashMap<>();
    Position last;

    Received(String name, Wire wire, TestClient client) {
      this.name = name;
      this.wire = wire;
      this.client = client;
    }

    /** Reads the deliveries so far, checking that offsets go up by one in one epoch. */
    void drain() {
      for (Msg m : client.sync()) {
        if (!"tick".equals(m.event())) {
          continue;
        }
        JsonObject position = m.position();
        if (last != null) {
          assertEquals(last.epoch(), position.getString("epoch"), name + ": the epoch changed");
          assertEquals(last.offset() + 1, position.getLong("offset"), name + ": a gap or a duplicate in the offsets");
        }
        last = new Position(position.getLong("offset"), position.getString("epoch"));
        JsonObject data = (JsonObject) m.data();
        byOffset.put(last.offset(), data.getString("p") + data.getInteger("n"));
      }
    }

    /** Joins again on another node from the last position seen; @return ms from the welcome to the reply */
    long rejoin(Vertx vertx, HistoryFailoverIT test, NodeProcess node) {
      client = test.client(vertx, node, wire);
      long welcomed = System.nanoTime();
      JsonObject since = new JsonObject().put("offset", last.offset()).put("epoch", last.epoch());
      Envelope join = wire == Wire.JSON ? Envelope.of("join").withRoom(ROOM).withSince(last)
        : Envelope.of("join").withRoom(ROOM).withData(new JsonObject().put("since", since));
      Msg reply = wire.request(client, join);
      long ms = (System.nanoTime() - welcomed) / 1_000_000;
      assertEquals("ok", reply.status(), name + ": " + reply);
      assertTrue(reply.dataObject().getBoolean("recovered"), name + " not recovered on " + node + ": " + reply);
      assertEquals(last.epoch(), reply.dataObject().getString("epoch"));
      return ms;
    }
  }

  @Test
  void membersWhoseNodeIsKilledRecoverEverythingOnAnotherNodeTwiceInOneOrder(Vertx vertx) throws IOException {
    cluster = ProcessCluster.create();
    Path conf = conf();
    NodeProcess first = cluster.start("--conf", conf.toString());
    NodeProcess publishing = cluster.start("--conf", conf.toString());
    NodeProcess second = cluster.start("--conf", conf.toString());
    NodeProcess third = cluster.start("--conf", conf.toString());
    TestClient publisherA = client(vertx, publishing, Wire.JSON);
    TestClient publisherB = client(vertx, third, Wire.JSON);
    Wire.JSON.join(publisherA, ROOM);
    Wire.JSON.join(publisherB, ROOM);
    Received steady = new Received("the member that stays", Wire.JSON, client(vertx, publishing, Wire.JSON));
    Received json = new Received("the JSON member that moves", Wire.JSON, client(vertx, first, Wire.JSON));
    Received binary = new Received("the binary member that moves", Wire.BINARY, client(vertx, first, Wire.BINARY));
    for (Received r : List.of(steady, json, binary)) {
      r.wire.join(r.client, ROOM);
    }
    AtomicInteger sentA = new AtomicInteger();
    AtomicInteger sentB = new AtomicInteger();
    long timer = vertx.setPeriodic(20, id -> {
      publish(publisherA, "A", sentA.getAndIncrement());
      publish(publisherB, "B", sentB.getAndIncrement());
    });
    List<Long> recoveryMs = new ArrayList<>();
    try {
      for (NodeProcess[] move : new NodeProcess[][] {{first, second}, {second, third}}) {
        // Time for the cluster to have made new backups after the last loss, and for the feed to flow.
        long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        Await.until(() -> System.nanoTime() > until, Duration.ofSeconds(10), "a pause");
        json.drain();
        binary.drain();
        move[0].signal("KILL");
        recoveryMs.add(json.rejoin(vertx, this, move[1]));
        recoveryMs.add(binary.rejoin(vertx, this, move[1]));
        // The replayed messages came before the reply, the live ones after: the inbox holds both in order.
        json.drain();
        binary.drain();
      }
    } finally {
      vertx.cancelTimer(timer);
    }
    int total = sentA.get() + sentB.get();
    assertTrue(total > 1000, "the feed ran: " + total + " messages");
    Await.until(() -> {
      for (Received r : List.of(steady, json, binary)) {
        r.drain();
      }
      return steady.byOffset.size() >= total && json.byOffset.size() >= total && binary.byOffset.size() >= total;
    }, Duration.ofSeconds(20), "every message reached every member");
    System.out.println("HistoryFailoverIT: welcome to recovered reply, ms: " + recoveryMs);

    for (Received r : List.of(steady, json, binary)) {
      assertEquals(total, r.byOffset.size(), r.name + " missed or repeated messages");
      assertEquals(total, r.last.offset(), r.name + ": offsets went on from 1 to the last message");
      assertEquals(steady.byOffset, r.byOffset, r.name + " saw another order than the member that stayed");
    }
    // One order that keeps each publisher's own: A0, A1, ... and B0, B1, ... each once, in sequence.
    int nextA = 0;
    int nextB = 0;
    for (long offset = 1; offset <= total; offset++) {
      String m = steady.byOffset.get(offset);
      if (m.startsWith("A")) {
        assertEquals("A" + nextA++, m, "publisher A's messages out of its order at offset " + offset);
      } else {
        assertEquals("B" + nextB++, m, "publisher B's messages out of its order at offset " + offset);
      }
    }
    assertEquals(sentA.get(), nextA);
    assertEquals(sentB.get(), nextB);
  }

  private static void publish(TestClient publisher, String name, int n) {
    publisher.socket().writeTextMessage(Envelope.of("tick").withRoom(ROOM)
      .withData(new JsonObject().put("p", name).put("n", n)).toJson().toString());
  }
}
