package io.roomcast.gateway.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.internal.GatewayInternal;
import io.roomcast.gateway.internal.HubCounters;
import io.roomcast.gateway.internal.HubInternal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Roomcast's own meters, read from each hub's {@link HubCounters} when scraped: nothing on the hot
 * paths but the counters that are there anyway, and one histogram observation per delivery and
 * shard. Names are given in Micrometer's dotted form; the Prometheus registry turns
 * {@code roomcast.messages.in} into {@code roomcast_messages_in_total}. docs/OPERATIONS.md lists
 * them all.
 */
final class GatewayMeters {

  /** The delivery-latency histogram's buckets: a message is usually written well under 1 ms after publication. */
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };

  private GatewayMeters() {
  }

  /**
   * Registers the meters of every hub of a gateway.
   *
   * @param gateway a gateway made by {@code Gateway.create}
   * @param registry where to register them
   */
  static void bind(Gateway gateway, MeterRegistry registry) {
    Gauge.builder("roomcast.cluster.nodes", GatewayInternal.of(gateway), GatewayInternal::liveNodeCount)
      .description("Gateway nodes this node knows to be alive, itself included")
      .register(registry);
    for (Hub hub : gateway.hubs()) {
      bind(hub.name(), HubInternal.of(hub).counters(), registry);
    }
  }

  private static void bind(String hub, HubCounters stats, MeterRegistry registry) {
    Tags tags = Tags.of("hub", hub);
    Gauge.builder("roomcast.connections", stats, HubCounters::connections).tags(tags)
      .description("Open WebSocket connections of the hub on this node")
      .register(registry);
    Gauge.builder("roomcast.rooms", stats, HubCounters::rooms).tags(tags)
      .description("Rooms with at least one member on this node, root included")
      .register(registry);
    for (HubCounters.In kind : HubCounters.In.values()) {
      FunctionCounter.builder("roomcast.messages.in", stats, s -> s.messagesIn(kind)).tags(tags.and("kind", kind.label))
        .description("Messages received from clients, by what they asked for")
        .register(registry);
    }
    for (HubCounters.Out kind : HubCounters.Out.values()) {
      FunctionCounter.builder("roomcast.messages.out", stats, s -> s.messagesOut(kind)).tags(tags.and("kind", kind.label))
        .description("Frames written to clients, by kind")
        .register(registry);
    }
    FunctionCounter.builder("roomcast.received", stats, HubCounters::bytesIn).tags(tags).baseUnit("bytes")
      .description("Payload bytes of the messages received from clients")
      .register(registry);
    FunctionCounter.builder("roomcast.sent", stats, HubCounters::bytesOut).tags(tags).baseUnit("bytes")
      .description("Payload bytes of the frames written to clients")
      .register(registry);
    FunctionCounter.builder("roomcast.history.writes", stats, HubCounters::historyWrites).tags(tags)
      .description("messages appended to rooms' histories by this node").register(registry);
    for (boolean delivered : new boolean[] {true, false}) {
      FunctionCounter.builder("roomcast.webhook.events", stats, s -> s.webhookEvents(delivered))
        .tags(tags.and("outcome", delivered ? "delivered" : "dropped"))
        .description("lifecycle events this node's webhooks delivered, or dropped over their queue limit").register(registry);
    }
    FunctionCounter.builder("roomcast.webhook.failures", stats, HubCounters::webhookFailedAttempts).tags(tags)
      .description("webhook POSTs the receivers did not take, each sent again later").register(registry);
    for (boolean recovered : new boolean[] {true, false}) {
      FunctionCounter.builder("roomcast.history.recoveries", stats, s -> s.recoveries(recovered)).tags(tags.and("recovered", String.valueOf(recovered)))
        .description("joins with since, by whether they recovered").register(registry);
    }
    FunctionCounter.builder("roomcast.history.replayed", stats, HubCounters::replayed).tags(tags)
      .description("messages sent again to members that recovered").register(registry);
    Gauge.builder("roomcast.presence.members", stats, HubCounters::presenceMembers).tags(tags)
      .description("connections in the rosters of presence rooms, cluster-wide as this node's replica holds them").register(registry);
    Gauge.builder("roomcast.presence.users", stats, HubCounters::presenceUsers).tags(tags)
      .description("distinct users of each presence room, summed over the rooms").register(registry);
    FunctionCounter.builder("roomcast.presence.events", stats, HubCounters::presenceEvents).tags(tags)
      .description("presence events (joined, left) handed to this node's members").register(registry);
    FunctionCounter.builder("roomcast.rooms.opened", stats, HubCounters::roomOpens).tags(tags)
      .description("rooms the hub's event loops on this node asked to open: joins into a room with no member yet on theirs").register(registry);
    FunctionCounter.builder("roomcast.rooms.open.waits", stats, HubCounters::roomOpenWaits).tags(tags)
      .description("of those, the joins that waited for the node's freshRoomRate").register(registry);
    FunctionCounter.builder("roomcast.tokens.expired", stats, HubCounters::tokensExpired).tags(tags)
      .description("connections closed with 4001 because their token expired").register(registry);
    FunctionCounter.builder("roomcast.tokens.refreshed", stats, HubCounters::tokensRefreshed).tags(tags)
      .description("tokens replaced on live connections by a refresh").register(registry);
    for (HubCounters.Drop reason : HubCounters.Drop.values()) {
      FunctionCounter.builder("roomcast.messages.dropped", stats, s -> s.dropped(reason)).tags(tags.and("reason", reason.label))
        .description("Messages dropped: to a slow client, over the rate limit, or too large")
        .register(registry);
    }
    for (HubCounters.Rejection reason : HubCounters.Rejection.values()) {
      FunctionCounter.builder("roomcast.handshakes.rejected", stats, s -> s.rejected(reason)).tags(tags.and("reason", reason.label))
        .description("WebSocket handshakes refused before the upgrade")
        .register(registry);
    }
    Timer latency = Timer.builder("roomcast.delivery.latency").tags(tags)
      .description("From a message's publication (publishing node's clock) to its write to the local members (this node's clock), "
        + "once per delivery and event loop")
      .serviceLevelObjectives(LATENCY_BUCKETS)
      .register(registry);
    stats.deliveryLatencyObserver(ms -> latency.record(ms, TimeUnit.MILLISECONDS));
  }
}
