package io.roomcast.gateway.impl;

import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.RoomcastException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hub's bound, on one node, on the rooms its shards open per second (the hub option
 * {@code freshRoomRate}): a token bucket shared by the shards, with bursts of a second's worth.
 * A join that finds it empty waits, and the connection served least recently goes first, so that
 * connections that open rooms all the time (a flood) queue behind the ones that rarely do. A
 * connection may have at most {@code maxRoomsPerConnection} joins waiting.
 */
final class FreshRoomGate {

  private final Vertx vertx;
  private final HubStats stats;
  private final int perSecond;
  private final int maxWaitingPerConnection;
  private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(
    Comparator.comparingLong(Waiter::lastServed).thenComparingLong(Waiter::arrival));
  private double tokens;
  private long refilledAt = System.nanoTime();
  private long arrivals;
  private boolean drainScheduled;

  /** A join waiting for the bucket, on its connection's context. */
  private record Waiter(HubConnection connection, long lastServed, long arrival, Context context, Promise<Void> granted) {
  }

  FreshRoomGate(Vertx vertx, HubStats stats, int perSecond, int maxWaitingPerConnection) {
    this.vertx = vertx;
    this.stats = stats;
    this.perSecond = perSecond;
    this.maxWaitingPerConnection = maxWaitingPerConnection;
    this.tokens = perSecond;
  }

  /**
   * @return completed, on the caller's context, when the connection may open a room; failed when
   *     it already has as many joins waiting as it may be in rooms
   */
  Future<Void> acquire(HubConnection c) {
    stats.countRoomOpen();
    if (perSecond <= 0) {
      return Future.succeededFuture();
    }
    synchronized (this) {
      long now = System.nanoTime();
      refill(now);
      if (waiting.isEmpty() && tokens >= 1) {
        tokens -= 1;
        c.freshRoomServedAt = now;
        return Future.succeededFuture();
      }
      if (c.freshRoomWaits >= maxWaitingPerConnection) {
        return Future.failedFuture(new RoomcastException(ErrorCode.RATE_LIMITED,
          "this connection has " + maxWaitingPerConnection + " joins waiting for the node's bound on new rooms per second"));
      }
      c.freshRoomWaits++;
      stats.countRoomOpenWait();
      Promise<Void> granted = Promise.promise();
      waiting.add(new Waiter(c, c.freshRoomServedAt, ++arrivals, Vertx.currentContext(), granted));
      scheduleDrain(now);
      return granted.future();
    }
  }

  private synchronized void drain() {
    drainScheduled = false;
    long now = System.nanoTime();
    refill(now);
    while (tokens >= 1 && !waiting.isEmpty()) {
      Waiter w = waiting.poll();
      tokens -= 1;
      w.connection.freshRoomServedAt = now;
      w.connection.freshRoomWaits--;
      if (w.context == null) {
        w.granted.complete();
      } else {
        w.context.runOnContext(v -> w.granted.complete());
      }
    }
    if (!waiting.isEmpty()) {
      scheduleDrain(now);
    }
  }

  private void scheduleDrain(long now) {
    if (drainScheduled) {
      return;
    }
    drainScheduled = true;
    // When the next token is due: the bucket refills continuously.
    long waitNanos = (long) Math.ceil((1 - tokens) * TimeUnit.SECONDS.toNanos(1) / perSecond);
    vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)), id -> drain());
  }

  private void refill(long now) {
    tokens = Math.min(perSecond, tokens + (now - refilledAt) * (double) perSecond / TimeUnit.SECONDS.toNanos(1));
    refilledAt = now;
  }
}
