package io.roomcast.gateway.impl;

import io.roomcast.gateway.impl.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Which gateway nodes are alive, learnt from heartbeats on the event bus: every node publishes
 * one each {@link #HEARTBEAT_MS} ms, and a node silent for {@link #EXPIRY_MS} ms is taken for
 * gone. Works the same embedded in any clustered Vert.x, with no access to the cluster manager;
 * without a cluster the only node is this one.
 */
final class NodeDirectory {

  static final long HEARTBEAT_MS = 1000;
  static final long EXPIRY_MS = 3500;
  /** How long after its start a node has heard every other node's heartbeat: one round and a margin. */
  static final long SETTLE_MS = HEARTBEAT_MS * 3 / 2;

  private final Vertx vertx;
  private final String self;
  private final long startedAt = System.currentTimeMillis();
  private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;
  private long timer = -1;
  private volatile boolean stopped;

  NodeDirectory(Vertx vertx, String self) {
    this.vertx = vertx;
    this.self = self;
  }

  Future<Void> start() {
    if (!vertx.isClustered()) {
      return Future.succeededFuture();
    }
    consumer = vertx.eventBus().consumer(Addresses.NODES, msg -> onHeartbeat(msg.body()));
    return consumer.completion().onSuccess(v -> {
      timer = vertx.setPeriodic(0, HEARTBEAT_MS, id -> publishHeartbeat());
    });
  }

  private void onHeartbeat(JsonObject heartbeat) {
    String node = heartbeat.getString("node");
    if (node == null || node.equals(self)) {
      return;
    }
    if (heartbeat.getBoolean("leaving", false)) {
      // A draining node says goodbye: cluster-wide questions stop waiting for it at once.
      lastSeen.remove(node);
      return;
    }
    Long previous = lastSeen.put(node, System.nanoTime());
    if (previous == null || expired(previous)) {
      // A newcomer learns of this node at once instead of a heartbeat later.
      publishHeartbeat();
    }
  }

  private void publishHeartbeat() {
    if (stopped) {
      return;
    }
    vertx.eventBus().publish(Addresses.NODES, new JsonObject().put("node", self).put("startedAt", startedAt));
  }

  private static boolean expired(long seenAt) {
    return System.nanoTime() - seenAt > TimeUnit.MILLISECONDS.toNanos(EXPIRY_MS);
  }

  /** @return this node and every node heard from lately, sorted */
  Set<String> liveNodes() {
    Set<String> nodes = new TreeSet<>();
    nodes.add(self);
    lastSeen.forEach((node, seenAt) -> {
      if (!expired(seenAt)) {
        nodes.add(node);
      }
    });
    return nodes;
  }

  /**
   * @return completed once this node has had time to hear every other live node (at once when
   *     it runs alone): what asks every live node for something at start waits for it
   */
  Future<Void> settled() {
    if (!vertx.isClustered()) {
      return Future.succeededFuture();
    }
    long wait = Math.max(0, SETTLE_MS - (System.currentTimeMillis() - startedAt));
    return vertx.timer(Math.max(1, wait)).mapEmpty();
  }

  /** @return when this node started, wall-clock ms */
  long startedAt() {
    return startedAt;
  }

  Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
      vertx.eventBus().publish(Addresses.NODES, new JsonObject().put("node", self).put("leaving", true));
    }
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
