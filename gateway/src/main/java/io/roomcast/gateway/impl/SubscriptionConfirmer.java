package io.roomcast.gateway.impl;

import io.roomcast.gateway.impl.bus.Addresses;
import io.roomcast.gateway.impl.bus.BusMessage;
import io.roomcast.gateway.impl.bus.Probe;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Makes a new subscription effective across the cluster before it is relied on.
 *
 * <p>Each node routes publishes through a cached copy of the cluster's subscription table, updated
 * asynchronously, so a consumer registered here is not yet reachable from every node when its
 * registration completes. To know when it is, this node asks every live node (itself included) to
 * publish probes on the address until one arrives here: a probe from node A that reaches this
 * node proves that A's view includes this node's subscription, and A's view only grows while the
 * subscription lasts. Once every node has been heard from, any later publish from anywhere
 * reaches the new consumer. A node that cannot be asked, or does not answer within the request
 * timeout, is not waited for. Requests to probe, and word that a probe arrived, come to this
 * node's probe address; the probes themselves to the consumer being confirmed, which hands them
 * to {@link #onProbe}.
 */
final class SubscriptionConfirmer {

  private static final Logger log = LoggerFactory.getLogger(SubscriptionConfirmer.class);
  private static final long FIRST_PROBE_DELAY_MS = 5;
  private static final long MAX_PROBE_DELAY_MS = 100;

  private final Vertx vertx;
  private final Addresses addresses;
  private final String self;
  private final Supplier<Set<String>> liveNodes;
  private final long timeoutMs;
  private final DeliveryOptions requestOptions;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Map<String, Long> probing = new ConcurrentHashMap<>();
  private final AtomicLong tokens = new AtomicLong();
  private MessageConsumer<BusMessage> consumer;

  SubscriptionConfirmer(Vertx vertx, Addresses addresses, String self, Supplier<Set<String>> liveNodes, long timeoutMs,
      DeliveryOptions requestOptions) {
    this.vertx = vertx;
    this.addresses = addresses;
    this.self = self;
    this.liveNodes = liveNodes;
    this.timeoutMs = timeoutMs;
    this.requestOptions = requestOptions;
  }

  Future<Void> start() {
    if (!vertx.isClustered()) {
      return Future.succeededFuture();
    }
    consumer = vertx.eventBus().consumer(addresses.probes(self), this::onMessage);
    return consumer.completion();
  }

  Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /**
   * @param address an address whose consumer on this node has just been registered
   * @return completed once every live node's publishes to the address reach this node
   */
  Future<Void> confirm(String address) {
    if (!vertx.isClustered()) {
      return Future.succeededFuture();
    }
    String token = self + "-" + tokens.incrementAndGet();
    Set<String> nodes = liveNodes.get();
    Pending p = new Pending(new HashSet<>(nodes));
    pending.put(token, p);
    p.timer = vertx.setTimer(timeoutMs, id -> {
      if (pending.remove(token) != null) {
        log.warn("{}: no probe from {} within {} ms; going on without", address, p.waitingFor(), timeoutMs);
        p.promise.tryComplete();
      }
    });
    Probe.Request request = new Probe.Request(address, token);
    for (String node : nodes) {
      if (node.equals(self)) {
        startProbing(address, token);
      } else {
        vertx.eventBus().request(addresses.probes(node), request, requestOptions).onFailure(t -> heard(token, node));
      }
    }
    return p.promise.future();
  }

  private void onMessage(Message<BusMessage> msg) {
    if (msg.body() instanceof Probe.Request request) {
      startProbing(request.address(), request.token());
      msg.reply(null);
    } else if (msg.body() instanceof Probe.Seen seen) {
      probing.remove(seen.token());
    }
  }

  /** A probe published on an address reached one of this node's consumers of it. */
  void onProbe(Probe probe) {
    String token = probe.token();
    if (!pending.containsKey(token)) {
      // Another node's probe, or one that arrives after its confirmation: only the origin answers.
      return;
    }
    String prober = probe.node();
    if (prober.equals(self)) {
      probing.remove(token);
    } else {
      vertx.eventBus().send(addresses.probes(prober), new Probe.Seen(token));
    }
    heard(token, prober);
  }

  private void heard(String token, String node) {
    Pending p = pending.get(token);
    if (p != null && p.heard(node) && pending.remove(token) != null) {
      vertx.cancelTimer(p.timer);
      p.promise.tryComplete();
    }
  }

  private void startProbing(String address, String token) {
    probing.put(token, System.nanoTime() + timeoutMs * 1_000_000L);
    probe(address, token, FIRST_PROBE_DELAY_MS);
  }

  private void probe(String address, String token, long nextDelay) {
    Long deadline = probing.get(token);
    if (deadline == null) {
      return;
    }
    if (System.nanoTime() > deadline) {
      probing.remove(token);
      return;
    }
    vertx.eventBus().publish(address, new Probe(self, token));
    vertx.setTimer(nextDelay, id -> probe(address, token, Math.min(nextDelay * 2, MAX_PROBE_DELAY_MS)));
  }

  private static final class Pending {
    final Set<String> waitingFor;
    final Promise<Void> promise = Promise.promise();
    long timer;

    Pending(Set<String> waitingFor) {
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
