package io.roomcast.gateway.impl;

import io.roomcast.gateway.Hub;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * A hub's lifecycle events for services (the hub option {@code lifecycleAddress},
 * docs/SERVICES.md), published as JSON on that address by the node where they happen:
 * {@code connect}, {@code disconnect}, {@code join}, {@code leave} (not of {@code root}), and a
 * room {@code occupied} or {@code vacated} on this node (its first member here arrived, its last
 * left). At most once, as everything on the event bus; nothing is built when no address is set.
 */
final class Lifecycle {

  private final EventBus bus;
  private final String address;
  private final String hub;
  private final String node;

  Lifecycle(EventBus bus, String address, String hub, String node) {
    this.bus = bus;
    this.address = address;
    this.hub = hub;
    this.node = node;
  }

  void connected(HubConnection c) {
    publish("connect", c, null);
  }

  void disconnected(HubConnection c) {
    publish("disconnect", c, null);
  }

  void joined(HubConnection c, String room) {
    if (!Hub.ROOT.equals(room)) {
      publish("join", c, room);
    }
  }

  void left(HubConnection c, String room) {
    if (!Hub.ROOT.equals(room)) {
      publish("leave", c, room);
    }
  }

  void occupied(String room) {
    if (!Hub.ROOT.equals(room)) {
      publish("occupied", null, room);
    }
  }

  void vacated(String room) {
    if (!Hub.ROOT.equals(room)) {
      publish("vacated", null, room);
    }
  }

  private void publish(String type, HubConnection c, String room) {
    if (address == null) {
      return;
    }
    JsonObject event = new JsonObject().put("type", type).put("hub", hub).put("node", node).put("at", System.currentTimeMillis());
    if (room != null) {
      event.put("room", room);
    }
    if (c != null) {
      JsonObject client = new JsonObject().put("id", c.id());
      if (c.user() != null) {
        client.put("user", c.user());
      }
      event.put("client", client);
    }
    bus.publish(address, event);
  }
}
