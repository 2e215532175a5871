package io.roomcast.gateway.impl;

import io.roomcast.gateway.impl.bus.BusMessage;
import io.roomcast.gateway.impl.bus.PresenceSnapshot;
import io.roomcast.gateway.impl.bus.Question;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a hub's presence replicas on this node in step with the other nodes: a node that appears
 * is asked for a snapshot of its own entries, a node that is gone is dropped from every replica,
 * and a replica that missed a change asks again. One request per node at a time; a failed one is
 * tried again while the node is alive.
 */
final class PresenceSync {

  static final long RETRY_MS = 1000;
  static final int ATTEMPTS = 5;

  private final HubImpl hub;
  private final String self;
  /** Nodes with a request in flight, and whether another was asked for meanwhile. */
  private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
  private MessageConsumer<BusMessage> consumer;
  private volatile boolean started;

  PresenceSync(HubImpl hub) {
    this.hub = hub;
    this.self = hub.gateway().nodeId();
  }

  /** Takes the snapshots this node asks for; the node directory's news are heard from {@link #begin}. */
  Future<Void> start() {
    if (!hub.vertx().isClustered()) {
      return Future.succeededFuture();
    }
    hub.gateway().onNodeAppeared(this::appeared);
    hub.gateway().onNodeGone(this::gone);
    consumer = hub.eventBus().consumer(hub.addresses().presence(self), msg -> {
      if (msg.body() instanceof PresenceSnapshot snapshot && snapshot.partition() >= 0 && snapshot.partition() < RoomRelay.PARTITIONS) {
        hub.relay().presence(snapshot.partition(), p -> p.onSnapshot(snapshot));
      }
    });
    return consumer.completion();
  }

  /**
   * Once this node's relay partitions are reached by every node's publishes, asks every live node
   * for what it holds: from then on their changes reach the replicas here.
   */
  void begin() {
    started = true;
    hub.gateway().liveNodes().forEach(this::appeared);
  }

  Future<Void> stop() {
    started = false;
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void appeared(String node) {
    if (!started || node.equals(self)) {
      return;
    }
    hub.relay().eachPresence(p -> p.appeared(node));
    request(node);
  }

  private void gone(String node) {
    if (started) {
      hub.relay().eachPresence(p -> p.disappeared(node));
    }
  }

  /** Asks a node for its snapshot, unless a request to it is in flight (then once more after it). */
  void request(String node) {
    if (!started) {
      return;
    }
    if (inFlight.putIfAbsent(node, false) != null) {
      inFlight.put(node, true);
      return;
    }
    send(node, 1);
  }

  private void send(String node, int attempt) {
    hub.eventBus().request(hub.addresses().node(node), new Question.PresenceSync(self), hub.requestOptions()).onComplete(ar -> {
      if (ar.failed() && attempt < ATTEMPTS && hub.gateway().liveNodes().contains(node)) {
        hub.vertx().setTimer(RETRY_MS, t -> send(node, attempt + 1));
        return;
      }
      if (ar.failed()) {
        hub.relay().eachPresence(p -> p.syncFailed(node));
      }
      if (Boolean.TRUE.equals(inFlight.remove(node))) {
        request(node);
      }
    });
  }
}
