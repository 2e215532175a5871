package io.roomcast.gateway.impl;

import io.roomcast.gateway.impl.bus.BusMessage;
import io.roomcast.gateway.impl.bus.Probe;
import io.roomcast.gateway.impl.bus.RoomDelivery;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * One relay partition of a hub on this node, on its own event loop: it takes the messages
 * published to its rooms anywhere in the cluster and hands them to this node's shards.
 */
final class RelayPartition extends VerticleBase {

  private final HubImpl hub;
  private final RoomRelay relay;
  private final int index;
  private MessageConsumer<BusMessage> consumer;

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
    consumer = vertx.eventBus().consumer(hub.addresses().relay(index), this::onMessage);
    return consumer.completion();
  }

  private void onMessage(Message<BusMessage> msg) {
    BusMessage body = msg.body();
    if (body instanceof RoomDelivery d) {
      relay.handOn(d);
    } else if (body instanceof Probe probe) {
      hub.confirmer().onProbe(probe);
    }
  }
}
