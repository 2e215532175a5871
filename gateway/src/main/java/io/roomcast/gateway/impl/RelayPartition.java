package io.roomcast.gateway.impl;

import io.roomcast.gateway.impl.bus.BusMessage;
import io.roomcast.gateway.impl.bus.PresenceBatch;
import io.roomcast.gateway.impl.bus.PresenceChange;
import io.roomcast.gateway.impl.bus.Probe;
import io.roomcast.gateway.impl.bus.RoomDelivery;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.List;

/**
 * One relay partition of a hub on this node, on its own event loop: it takes the messages
 * published to its rooms anywhere in the cluster and hands them to this node's shards, those of
 * rooms with history in offset order ({@link PartitionHistory}), and keeps this node's replica of
 * the rosters of its presence rooms ({@link PartitionPresence}).
 */
final class RelayPartition extends VerticleBase {

  private final HubImpl hub;
  private final RoomRelay relay;
  private final int index;
  private MessageConsumer<BusMessage> consumer;
  private PartitionHistory history;
  private PartitionPresence presence;
  /** This node's presence changes of the current turn of the event loop, published together at its end. */
  private List<PresenceChange> outgoing = new ArrayList<>();

  RelayPartition(HubImpl hub, RoomRelay relay, int index) {
    this.hub = hub;
    this.relay = relay;
    this.index = index;
  }

  int index() {
    return index;
  }

  @Override
  public Future<?> start() {
    if (!hub.history().isEmpty()) {
      history = new PartitionHistory(hub, context, index, this::publishPositioned);
    }
    if (hub.hasPresence()) {
      presence = new PartitionPresence(hub, index, this::publishChange);
    }
    if (!vertx.isClustered()) {
      return Future.succeededFuture();
    }
    consumer = vertx.eventBus().consumer(hub.addresses().relay(index), this::onMessage);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    if (history != null) {
      history.close();
    }
    return Future.succeededFuture();
  }

  /** Runs something on this partition's event loop, where its rooms' state lives. */
  void execute(java.util.function.Consumer<PartitionHistory> action) {
    context.runOnContext(v -> action.accept(history));
  }

  /** Runs something on this partition's event loop, with its presence rosters. */
  void executePresence(java.util.function.Consumer<PartitionPresence> action) {
    context.runOnContext(v -> action.accept(presence));
  }

  private void publishChange(PresenceChange change) {
    if (!vertx.isClustered()) {
      return;
    }
    outgoing.add(change);
    if (outgoing.size() == 1) {
      // Queued behind what the event loop has to do now: the joins already waiting join the batch.
      context.runOnContext(v -> flushChanges());
    }
  }

  private void flushChanges() {
    List<PresenceChange> changes = outgoing;
    outgoing = new ArrayList<>();
    // Comes back to this partition too, which knows it as its own and skips it.
    vertx.eventBus().publish(hub.addresses().relay(index), changes.size() == 1 ? changes.get(0) : new PresenceBatch(changes));
  }

  private void publishPositioned(RoomDelivery d) {
    if (vertx.isClustered()) {
      // Reaches this partition too, through its own consumer.
      vertx.eventBus().publish(hub.addresses().relay(index), d);
    } else {
      history.onPositioned(d);
    }
  }

  private void onMessage(Message<BusMessage> msg) {
    BusMessage body = msg.body();
    if (body instanceof RoomDelivery d) {
      if (d.epoch() != null && history != null && hub.history().ruleOf(d.room()) != null) {
        history.onPositioned(d);
      } else {
        // Without the room's history rule here (a node configured apart), its members still get it, as it comes.
        relay.handOn(d);
      }
    } else if (body instanceof PresenceChange change) {
      if (presence != null) {
        presence.onChange(change);
      }
    } else if (body instanceof PresenceBatch batch) {
      if (presence != null) {
        batch.changes().forEach(presence::onChange);
      }
    } else if (body instanceof Probe probe) {
      hub.confirmer().onProbe(probe);
    }
  }
}
