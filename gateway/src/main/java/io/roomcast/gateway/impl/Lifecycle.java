package io.roomcast.gateway.impl;

import io.roomcast.gateway.Hub;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hub's lifecycle events for services (the hub option {@code lifecycleAddress},
 * docs/SERVICES.md), published as JSON on that address by the node where they happen, and
 * queued for its webhooks: {@code connect}, {@code disconnect}, {@code join}, {@code leave} (not
 * of {@code root}), and a room {@code occupied} or {@code vacated} on this node (its first member
 * here arrived, its last left). Each has an {@code id}, the node's and a sequence number, so that
 * a webhook receiver can deduplicate. On the bus at most once; nothing is built when nothing
 * takes the event.
 */
final class Lifecycle {

  private final EventBus bus;
  private final String address;
  private final String hub;
  private final String node;
  private final List<WebhookSender> webhooks;
  private final AtomicLong sequence = new AtomicLong();

  Lifecycle(EventBus bus, String address, String hub, String node, List<WebhookSender> webhooks) {
    this.bus = bus;
    this.address = address;
    this.hub = hub;
    this.node = node;
    this.webhooks = List.copyOf(webhooks);
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
    boolean hooked = false;
    for (WebhookSender w : webhooks) {
      hooked |= w.wants(type);
    }
    if (address == null && !hooked) {
      return;
    }
    JsonObject event = new JsonObject().put("id", node + "-" + sequence.incrementAndGet()).put("type", type).put("hub", hub)
      .put("node", node).put("at", System.currentTimeMillis());
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
    if (address != null) {
      bus.publish(address, event);
    }
    for (WebhookSender w : webhooks) {
      if (w.wants(type)) {
        w.offer(event);
      }
    }
  }

  /** Sends what waits for the webhooks, briefly (see WebhookSender#close), and stops them. */
  Future<Void> close() {
    return Future.join(webhooks.stream().map(WebhookSender::close).toList()).mapEmpty();
  }
}
