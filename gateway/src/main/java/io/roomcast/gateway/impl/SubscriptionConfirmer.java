package io.roomcast.gateway.impl;

import io.roomcast.gateway.impl.bus.Delivery;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes a new room subscription effective across the cluster before a {@code join} is answered.
 *
 * <p>Each node routes publishes through a cached copy of the cluster's subscription table, updated
 * asynchronously, so a consumer registered here is not yet reachable from every node when its
 * registration completes. To know when it is, this node asks every live node (itself included) to
 * publish probes on the room's address until one arrives here: a probe from node A that reaches
 * this node proves that A's view includes this node's subscription, and A's view only grows while
 * the subscription lasts. Once every node has been heard from, any later publish from anywhere
 * reaches the new member. A node that cannot be asked, or does not answer within the request
 * timeout, is not waited for.
 */
final class SubscriptionConfirmer {

  private static final Logger log = LoggerFactory.getLogger(SubscriptionConfirmer.class);
  private static final long FIRST_PROBE_DELAY_MS = 5;
  private static final long MAX_PROBE_DELAY_MS = 100;

  private final HubImpl hub;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Map<String, Long> probing = new ConcurrentHashMap<>();
  private final AtomicLong tokens = new AtomicLong();

  SubscriptionConfirmer(HubImpl hub) {
    this.hub = hub;
  }

  private Vertx vertx() {
    return hub.vertx();
  }

  private String self() {
    return hub.gateway().nodeId();
  }

  /**
   * @param room a room whose consumer on this node has just been registered
   * @return completed once every live node's publishes to the room reach this node
   */
  Future<Void> confirm(String room) {
    if (!vertx().isClustered()) {
      return Future.succeededFuture();
    }
    String token = self() + "-" + tokens.incrementAndGet();
    Set<String> nodes = hub.gateway().directory().liveNodes();
    Pending p = new Pending(room, new HashSet<>(nodes));
    pending.put(token, p);
    long timeout = hub.gateway().options().getRequestTimeout();
    p.timer = vertx().setTimer(timeout, id -> {
      if (pending.remove(token) != null) {
        log.warn("room {} of hub {}: no probe from {} within {} ms; answering the join anyway", room, hub.name(), p.waitingFor(), timeout);
        p.promise.tryComplete();
      }
    });
    JsonObject request = new JsonObject().put("op", "probe").put("room", room).put("token", token).put("origin", self());
    for (String node : nodes) {
      if (node.equals(self())) {
        startProbing(room, token);
      } else {
        hub.eventBus().request(hub.addresses().node(node), request, hub.requestOptions())
          .onFailure(t -> heard(token, node));
      }
    }
    return p.promise.future();
  }

  /** Another node asks this one to publish probes for its new subscription. */
  void onProbeRequest(JsonObject request) {
    startProbing(request.getString("room"), request.getString("token"));
  }

  /** The node that asked has heard this one: stop probing. */
  void onProbeSeen(JsonObject message) {
    probing.remove(message.getString("token"));
  }

  /** A probe published on a room address reached one of this node's consumers. */
  void onProbe(Delivery probe) {
    String token = probe.event();
    Pending p = pending.get(token);
    if (p == null) {
      // Another node's probe, or one that arrives after its confirmation: only the origin answers.
      return;
    }
    String prober = probe.from();
    if (prober.equals(self())) {
      probing.remove(token);
    } else {
      hub.eventBus().send(hub.addresses().node(prober), new JsonObject().put("op", "probe-seen").put("token", token));
    }
    heard(token, prober);
  }

  private void heard(String token, String node) {
    Pending p = pending.get(token);
    if (p != null && p.heard(node) && pending.remove(token) != null) {
      vertx().cancelTimer(p.timer);
      p.promise.tryComplete();
    }
  }

  private void startProbing(String room, String token) {
    long deadline = System.nanoTime() + hub.gateway().options().getRequestTimeout() * 1_000_000L;
    probing.put(token, deadline);
    probe(room, token, FIRST_PROBE_DELAY_MS);
  }

  private void probe(String room, String token, long nextDelay) {
    Long deadline = probing.get(token);
    if (deadline == null) {
      return;
    }
    if (System.nanoTime() > deadline) {
      probing.remove(token);
      return;
    }
    hub.publish(Delivery.probe(room, self(), token));
    vertx().setTimer(nextDelay, id -> probe(room, token, Math.min(nextDelay * 2, MAX_PROBE_DELAY_MS)));
  }

  private static final class Pending {
    final String room;
    final Set<String> waitingFor;
    final Promise<Void> promise = Promise.promise();
    long timer;

    Pending(String room, Set<String> waitingFor) {
      this.room = room;
      this.waitingFor = waitingFor;
    }

    synchronized boolean heard(String node) {
      waitingFor.remove(node);
      return waitingFor.isEmpty();
    }

    synchronized Set<String> waitingFor() {
      return new HashSet<>(waitingFor);
    }
  }
}
