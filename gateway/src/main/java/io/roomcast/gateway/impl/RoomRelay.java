package io.roomcast.gateway.impl;

import io.roomcast.gateway.Position;
import io.roomcast.gateway.impl.bus.Attached;
import io.roomcast.gateway.impl.bus.BusMessage;
import io.roomcast.gateway.impl.bus.RoomDelivery;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a hub's room messages cross the cluster (docs/CLUSTER.md). Every node consumes the hub's
 * {@value #PARTITIONS} relay partitions, registered cluster-wide once at start; a room belongs to
 * one partition, and a message to a room is published on its partition, so it reaches every node
 * once. There the partition hands it to the room's address locally, where the shards holding
 * members consume it. Joining a room therefore touches no other node.
 */
final class RoomRelay {

  /** Relay partitions per hub: part of the wire contract, the same on every node. */
  static final int PARTITIONS = 16;

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final HubImpl hub;
  private final boolean clustered;
  private final List<String> deployments = new ArrayList<>();
  private final RelayPartition[] partitions = new RelayPartition[PARTITIONS];

  RoomRelay(HubImpl hub) {
    this.hub = hub;
    this.clustered = hub.vertx().isClustered();
  }

  /** @return the partition a room belongs to, the same on every node */
  static int partitionOf(String room) {
    return Math.floorMod(room.hashCode(), PARTITIONS);
  }

  /**
   * Deploys the partitions, each on an event loop of its own choosing, and when clustered waits
   * until every live node's publishes reach them.
   */
  Future<Void> start() {
    if (!clustered && hub.history().isEmpty()) {
      // Alone and without history, a message goes straight to its room's address.
      return Future.succeededFuture();
    }
    AtomicInteger next = new AtomicInteger();
    Future<Void> deployed = hub.vertx().deployVerticle(() -> {
      RelayPartition p = new RelayPartition(hub, this, next.getAndIncrement());
      partitions[p.index()] = p;
      return p;
    }, new DeploymentOptions().setInstances(PARTITIONS)).map(id -> {
      deployments.add(id);
      return null;
    });
    if (!clustered) {
      return deployed;
    }
    return deployed.compose(v -> hub.gateway().settled())
      .compose(v -> {
        List<Future<Void>> confirmed = new ArrayList<>();
        for (RelayPartition p : partitions) {
          confirmed.add(hub.confirmer().confirm(hub.addresses().relay(p.index())));
        }
        return Future.all(confirmed).mapEmpty();
      });
  }

  Future<Void> stop() {
    List<Future<Void>> stopping = new ArrayList<>();
    // Deployed from the gateway's verticle, the partitions may be gone with it already.
    deployments.forEach(id -> stopping.add(hub.vertx().undeploy(id).recover(t -> Future.succeededFuture())));
    deployments.clear();
    return Future.join(stopping).mapEmpty();
  }

  /**
   * Sends a message to every member of its room on every node (but the one it excludes); in a
   * room with history, once the store has given it its position.
   *
   * @param key the client's idempotency key, or {@code null}
   * @return the message's position, {@code null} in a room without history
   */
  Future<Position> publish(RoomDelivery delivery, String key) {
    if (hub.history().ruleOf(delivery.room()) == null) {
      publish(delivery);
      return Future.succeededFuture();
    }
    Promise<Position> positioned = Promise.promise();
    partitions[partitionOf(delivery.room())].execute(h -> h.append(delivery, key, positioned));
    return positioned.future();
  }

  /** A member of this node asks for a room with history (answered by {@link Attached} on the room's address). */
  void attach(String room, long token, Position since) {
    partitions[partitionOf(room)].execute(h -> h.attach(room, token, since));
  }

  /** A member of this node that had attached to a room with history left it. */
  void detach(String room) {
    partitions[partitionOf(room)].execute(h -> h.detach(room));
  }

  /** Sends a message to every member of its room on every node (but the one it excludes), without position. */
  void publish(RoomDelivery delivery) {
    if (clustered) {
      hub.eventBus().publish(hub.addresses().relay(partitionOf(delivery.room())), delivery);
    } else {
      handOn(delivery);
    }
  }

  /** Hands a message to this node's shards that hold members of its room; nobody gets it when none does. */
  void handOn(RoomDelivery delivery) {
    handOn(delivery.room(), delivery);
  }

  /** Hands a message to this node's shards that hold members or would-be members of a room. */
  void handOn(String room, BusMessage message) {
    hub.eventBus().publish(hub.addresses().room(room), message, LOCAL);
  }
}
