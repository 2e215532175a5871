package io.roomcast.gateway.impl;

import io.roomcast.gateway.internal.HubCounters;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * A hub's counters on this node, written from every event loop without contention (one
 * {@link LongAdder} per counter, arrays indexed by enum ordinal: no allocation on the hot paths).
 * The node's metrics read them; the management API sums them across the cluster.
 */
final class HubStats implements HubCounters {

  private static final In[] INS = In.values();
  private static final Out[] OUTS = Out.values();

  private final LongAdder[] in = adders(In.values().length);
  private final LongAdder[] out = adders(Out.values().length);
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();
  private final LongAdder[] dropped = adders(Drop.values().length);
  private final LongAdder[] rejected = adders(Rejection.values().length);
  private final LongAdder connections = new LongAdder();
  private final LongAdder historyWrites = new LongAdder();
  private final LongAdder webhookDelivered = new LongAdder();
  private final LongAdder webhookDropped = new LongAdder();
  private final LongAdder webhookFailedAttempts = new LongAdder();
  private final LongAdder recovered = new LongAdder();
  private final LongAdder notRecovered = new LongAdder();
  private final LongAdder replayed = new LongAdder();
  private final LongAdder presenceMembers = new LongAdder();
  private final LongAdder presenceUsers = new LongAdder();
  private final LongAdder presenceEvents = new LongAdder();
  private final LongAdder tokensExpired = new LongAdder();
  private final LongAdder roomOpens = new LongAdder();
  private final LongAdder roomOpenWaits = new LongAdder();
  private final LongAdder tokensRefreshed = new LongAdder();
  // Room -> how many shards of this node hold members of it: the node's distinct rooms are its keys.
  private final Map<String, Integer> roomShards = new ConcurrentHashMap<>();
  private volatile LongConsumer deliveryLatency;

  HubStats() {
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] adders = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }

  void countIn(In kind, int bytes) {
    in[kind.ordinal()].increment();
    bytesIn.add(bytes);
  }

  void countOut(Out kind, int bytes) {
    out[kind.ordinal()].increment();
    bytesOut.add(bytes);
  }

  void countDrop(Drop reason) {
    dropped[reason.ordinal()].increment();
  }

  void countHistoryWrites(int messages) {
    historyWrites.add(messages);
  }

  void webhookDelivered(int events) {
    webhookDelivered.add(events);
  }

  void webhookDropped(int events) {
    webhookDropped.add(events);
  }

  void webhookFailedAttempt() {
    webhookFailedAttempts.increment();
  }

  void countRecovery(boolean wasRecovered, int messagesReplayed) {
    (wasRecovered ? recovered : notRecovered).increment();
    replayed.add(messagesReplayed);
  }

  /** @param newUser whether the connection is its user's first in the room */
  void presenceJoined(boolean newUser) {
    presenceMembers.increment();
    if (newUser) {
      presenceUsers.increment();
    }
  }

  /** @param lastOfUser whether the connection was its user's last in the room */
  void presenceLeft(boolean lastOfUser) {
    presenceMembers.decrement();
    if (lastOfUser) {
      presenceUsers.decrement();
    }
  }

  void presenceAnnounced() {
    presenceEvents.increment();
  }

  void countRoomOpen() {
    roomOpens.increment();
  }

  void countRoomOpenWait() {
    roomOpenWaits.increment();
  }

  void countTokenExpiry() {
    tokensExpired.increment();
  }

  void countTokenRefresh() {
    tokensRefreshed.increment();
  }

  void countRejection(Rejection reason) {
    rejected[reason.ordinal()].increment();
  }

  void connectionOpened() {
    connections.increment();
  }

  void connectionClosed() {
    connections.decrement();
  }

  /** @return whether the room had no member on this node before */
  boolean roomOpened(String room) {
    return roomShards.merge(room, 1, Integer::sum) == 1;
  }

  /** @return whether the room has no member on this node any more */
  boolean roomClosed(String room) {
    return roomShards.computeIfPresent(room, (r, shards) -> shards == 1 ? null : shards - 1) == null;
  }

  /**
   * Observes the delay from a message's publication to its write on this node, once per
   * delivery and shard (not per member): one clock read.
   *
   * @param publishedAt the message's publication time, wall-clock ms of the publishing node, 0 when unknown
   */
  void observeDelivery(long publishedAt) {
    LongConsumer observer = deliveryLatency;
    if (observer != null && publishedAt > 0) {
      // Another node's clock may be ahead of this one: never a negative delay.
      observer.accept(Math.max(0, System.currentTimeMillis() - publishedAt));
    }
  }

  @Override
  public void deliveryLatencyObserver(LongConsumer observer) {
    this.deliveryLatency = observer;
  }

  @Override
  public long messagesIn() {
    long sum = 0;
    for (LongAdder a : in) {
      sum += a.sum();
    }
    return sum;
  }

  @Override
  public long messagesIn(In kind) {
    return in[kind.ordinal()].sum();
  }

  @Override
  public long messagesOut() {
    long sum = 0;
    for (LongAdder a : out) {
      sum += a.sum();
    }
    return sum;
  }

  @Override
  public long messagesOut(Out kind) {
    return out[kind.ordinal()].sum();
  }

  @Override
  public long bytesIn() {
    return bytesIn.sum();
  }

  @Override
  public long bytesOut() {
    return bytesOut.sum();
  }

  @Override
  public long dropped(Drop reason) {
    return dropped[reason.ordinal()].sum();
  }

  @Override
  public long rejected(Rejection reason) {
    return rejected[reason.ordinal()].sum();
  }

  @Override
  public long historyWrites() {
    return historyWrites.sum();
  }

  @Override
  public long webhookEvents(boolean delivered) {
    return (delivered ? webhookDelivered : webhookDropped).sum();
  }

  @Override
  public long webhookFailedAttempts() {
    return webhookFailedAttempts.sum();
  }

  @Override
  public long recoveries(boolean wasRecovered) {
    return (wasRecovered ? recovered : notRecovered).sum();
  }

  @Override
  public long replayed() {
    return replayed.sum();
  }

  @Override
  public long presenceMembers() {
    return presenceMembers.sum();
  }

  @Override
  public long presenceUsers() {
    return presenceUsers.sum();
  }

  @Override
  public long presenceEvents() {
    return presenceEvents.sum();
  }

  @Override
  public long roomOpens() {
    return roomOpens.sum();
  }

  @Override
  public long roomOpenWaits() {
    return roomOpenWaits.sum();
  }

  @Override
  public long tokensExpired() {
    return tokensExpired.sum();
  }

  @Override
  public long tokensRefreshed() {
    return tokensRefreshed.sum();
  }

  @Override
  public long connections() {
    return connections.sum();
  }

  @Override
  public int rooms() {
    return roomShards.size();
  }

  @Override
  public JsonObject toJson() {
    JsonObject drops = new JsonObject();
    long droppedTotal = 0;
    for (Drop d : Drop.values()) {
      long n = dropped(d);
      drops.put(d.label, n);
      droppedTotal += n;
    }
    JsonObject rejections = new JsonObject();
    for (Rejection r : Rejection.values()) {
      rejections.put(r.label, rejected(r));
    }
    JsonObject ins = new JsonObject();
    for (In k : INS) {
      ins.put(k.label, messagesIn(k));
    }
    JsonObject outs = new JsonObject();
    for (Out k : OUTS) {
      outs.put(k.label, messagesOut(k));
    }
    return new JsonObject()
      .put("connections", connections())
      .put("rooms", rooms())
      .put("messagesIn", messagesIn())
      .put("messagesOut", messagesOut())
      .put("bytesIn", bytesIn())
      .put("bytesOut", bytesOut())
      .put("dropped", droppedTotal)
      .put("droppedByReason", drops)
      .put("messagesInByKind", ins)
      .put("messagesOutByKind", outs)
      .put("handshakesRejected", rejections)
      .put("history", new JsonObject().put("writes", historyWrites()).put("recovered", recoveries(true))
        .put("notRecovered", recoveries(false)).put("replayed", replayed()))
      .put("presence", new JsonObject().put("members", presenceMembers()).put("users", presenceUsers())
        .put("events", presenceEvents()))
      .put("roomOpens", new JsonObject().put("opened", roomOpens()).put("waited", roomOpenWaits()))
      .put("tokens", new JsonObject().put("expired", tokensExpired()).put("refreshed", tokensRefreshed()));
  }
}
