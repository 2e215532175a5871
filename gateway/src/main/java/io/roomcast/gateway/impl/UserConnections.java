package io.roomcast.gateway.impl;

import io.roomcast.gateway.impl.bus.BusMessage;
import io.roomcast.gateway.impl.bus.DirectDelivery;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's connections of each user (the hub's {@code userClaim}), and the hub-wide address on
 * which every node delivers a message to its own connections of a user: one publish reaches a
 * user's connections on every node, with no lookup of where they are.
 */
final class UserConnections {

  private final HubImpl hub;
  private final Map<String, Set<HubConnection>> byUser = new ConcurrentHashMap<>();
  private MessageConsumer<BusMessage> consumer;

  UserConnections(HubImpl hub) {
    this.hub = hub;
  }

  Future<Void> start() {
    // Cluster-wide when clustered; alone, the node's own consumer takes the publish.
    consumer = hub.eventBus().consumer(hub.addresses().users(), msg -> {
      if (msg.body() instanceof DirectDelivery d) {
        deliver(d);
      }
    });
    return consumer.completion();
  }

  Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  void add(HubConnection c) {
    if (c.user() != null) {
      byUser.computeIfAbsent(c.user(), u -> ConcurrentHashMap.newKeySet()).add(c);
    }
  }

  void remove(HubConnection c) {
    if (c.user() != null) {
      byUser.computeIfPresent(c.user(), (u, set) -> {
        set.remove(c);
        return set.isEmpty() ? null : set;
      });
    }
  }

  /** @return this node's open connections of a user */
  List<HubConnection> of(String user) {
    Set<HubConnection> set = byUser.get(user);
    return set == null ? List.of() : new ArrayList<>(set);
  }

  /** Sends a message to every connection of its user ({@link DirectDelivery#to()}) on every node. */
  void publish(DirectDelivery d) {
    hub.eventBus().publish(hub.addresses().users(), d);
  }

  private void deliver(DirectDelivery d) {
    for (HubConnection c : of(d.to())) {
      c.shard().call(s -> {
        c.deliver(d);
        hub.stats().observeDelivery(d.publishedAt());
        return null;
      });
    }
  }
}
