package io.roomcast.gateway.impl;

import io.roomcast.gateway.impl.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Which gateway nodes are alive, learnt from heartbeats on the event bus: every node publishes
 * one each {@link #HEARTBEAT_MS} ms, and a node silent for {@link #EXPIRY_MS} ms is taken for
 * gone. Works the same embedded in any clustered Vert.x, with no access to the cluster manager;
 * without a cluster the only node is this one. Listeners hear when a node appears (a newcomer, or
 * one heard again after it was taken for gone) and when it is gone (silent, or said goodbye).
 */
final class NodeDirectory {

  static final long HEARTBEAT_MS = 1000;
  static final long EXPIRY_MS = 3500;
  /** How long after its start a node has heard every other node's heartbeat: one round and a margin. */
  static final long SETTLE_MS = HEARTBEAT_MS * 3 / 2;
  /** How often silent nodes are looked for. */
  static final long SWEEP_MS = 250;

  private final Vertx vertx;
  private final String self;
  private final long startedAt = System.currentTimeMillis();
  private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;
  private final List<Consumer<String>> appearedListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> goneListeners = new CopyOnWriteArrayList<>();
  private long timer = -1;
  private long sweepTimer = -1;
  private long lastSweep = System.nanoTime();
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
      sweepTimer = vertx.setPeriodic(SWEEP_MS, id -> sweep());
    });
  }

  /** @param listener told the id of each node that appears, on some event loop */
  void onAppeared(Consumer<String> listener) {
    appearedListeners.add(listener);
  }

  /** @param listener told the id of each node that is gone, on some event loop */
  void onGone(Consumer<String> listener) {
    goneListeners.add(listener);
  }

  /** Finds the nodes that fell silent, so that what they held is let go without anybody asking. */
  private synchronized void sweep() {
    long now = System.nanoTime();
    long sinceLast = now - lastSweep;
    lastSweep = now;
    if (sinceLast > TimeUnit.MILLISECONDS.toNanos(EXPIRY_MS / 2)) {
      // This process was frozen (SIGSTOP, a long pause): the others' heartbeats are queued, not
      // missing. Give them a full expiry to arrive instead of declaring everybody gone.
      lastSeen.replaceAll((node, seenAt) -> now);
      return;
    }
    lastSeen.forEach((node, seenAt) -> {
      if (expired(seenAt) && lastSeen.remove(node, seenAt)) {
        goneListeners.forEach(l -> l.accept(node));
      }
    });
  }

  // Synchronized with the sweep, so that listeners hear of one node's going and coming in order.
  private synchronized void onHeartbeat(JsonObject heartbeat) {
    String node = heartbeat.getString("node");
    if (node == null || node.equals(self)) {
      return;
    }
    if (heartbeat.getBoolean("leaving", false)) {
      // A draining node says goodbye: cluster-wide questions stop waiting for it at once.
      if (lastSeen.remove(node) != null) {
        goneListeners.forEach(l -> l.accept(node));
      }
      return;
    }
    Long previous = lastSeen.put(node, System.nanoTime());
    if (previous == null || expired(previous)) {
      // A newcomer learns of this node at once instead of a heartbeat later.
      publishHeartbeat();
      if (previous != null) {
        // Silent past the expiry, but the sweep did not run in between: gone, then back.
        goneListeners.forEach(l -> l.accept(node));
      }
      appearedListeners.forEach(l -> l.accept(node));
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
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
      sweepTimer = -1;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
      vertx.eventBus().publish(Addresses.NODES, new JsonObject().put("node", self).put("leaving", true));
    }
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
