package io.roomcast.gateway.impl;

import io.roomcast.gateway.impl.bus.RoomDelivery;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
    if (!clustered) {
      return Future.succeededFuture();
    }
    List<RelayPartition> partitions = new CopyOnWriteArrayList<>();
    AtomicInteger next = new AtomicInteger();
    return hub.vertx().deployVerticle(() -> {
      RelayPartition p = new RelayPartition(hub, this, next.getAndIncrement());
      partitions.add(p);
      return p;
    }, new DeploymentOptions().setInstances(PARTITIONS))
      .compose(id -> {
        deployments.add(id);
        return hub.gateway().settled();
      })
      .compose(v -> {
        List<Future<Void>> confirmed = new ArrayList<>();
        partitions.forEach(p -> confirmed.add(hub.confirmer().confirm(hub.addresses().relay(p.index()))));
        return Future.all(confirmed).mapEmpty();
      });
  }

  Future<Void> stop() {
    List<Future<Void>> stopping = new ArrayList<>();
    deployments.forEach(id -> stopping.add(hub.vertx().undeploy(id)));
    deployments.clear();
    return Future.join(stopping).mapEmpty();
  }

  /** Sends a message to every member of its room on every node (but the one it excludes). */
  void publish(RoomDelivery delivery) {
    if (clustered) {
      hub.eventBus().publish(hub.addresses().relay(partitionOf(delivery.room())), delivery);
    } else {
      handOn(delivery);
    }
  }

  /** Hands a message to this node's shards that hold members of its room; nobody gets it when none does. */
  void handOn(RoomDelivery delivery) {
    hub.eventBus().publish(hub.addresses().room(delivery.room()), delivery, LOCAL);
  }
}
