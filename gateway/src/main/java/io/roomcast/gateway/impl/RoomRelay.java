package io.roomcast.gateway.impl;

import io.roomcast.gateway.Position;
import io.roomcast.gateway.impl.bus.Attached;
import io.roomcast.gateway.impl.bus.BusMessage;
import io.roomcast.gateway.impl.bus.RoomDelivery;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

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
  private volatile boolean deployed;

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
    if (!clustered && hub.history().isEmpty() && !hub.hasPresence()) {
      // Alone, without history or presence, a message goes straight to its room's address.
      return Future.succeededFuture();
    }
    AtomicInteger next = new AtomicInteger();
    Future<Void> deployed = hub.vertx().deployVerticle(() -> {
      RelayPartition p = new RelayPartition(hub, this, next.getAndIncrement());
      partitions[p.index()] = p;
      return p;
    }, new DeploymentOptions().setInstances(PARTITIONS)).map(id -> {
      deployments.add(id);
      this.deployed = true;
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

  /** @return whether the partitions run, so that their rosters can be asked */
  boolean isDeployed() {
    return deployed;
  }

  /** Runs something on the event loop of a partition, with its presence rosters. */
  void presence(int partition, Consumer<PartitionPresence> action) {
    partitions[partition].executePresence(action);
  }

  /** Runs something on the event loop of every partition, with its presence rosters. */
  void eachPresence(Consumer<PartitionPresence> action) {
    for (RelayPartition p : partitions) {
      p.executePresence(action);
    }
  }

  /**
   * @param room a presence room
   * @param action what to do with the rosters of the room's partition, on its event loop
   * @return the action's result, handed back on the caller's context when it has one
   */
  <T> Future<T> presence(String room, Function<PartitionPresence, T> action) {
    Context caller = Vertx.currentContext();
    Promise<T> result = Promise.promise();
    partitions[partitionOf(room)].executePresence(p -> {
      T value = action.apply(p);
      if (caller == null) {
        result.complete(value);
      } else {
        caller.runOnContext(v -> result.complete(value));
      }
    });
    return result.future();
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
