package io.roomcast.gateway.impl;

import io.roomcast.gateway.HistoryOptions;
import io.roomcast.gateway.Position;
import io.roomcast.gateway.impl.bus.Attached;
import io.roomcast.gateway.impl.bus.RoomDelivery;
import io.roomcast.gateway.impl.history.Appended;
import io.roomcast.gateway.impl.history.HistoryStore;
import io.roomcast.gateway.impl.history.LogEntry;
import io.roomcast.gateway.impl.history.Snapshot;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The rooms with history of one relay partition on this node (docs/CLUSTER.md): it appends what
 * this node publishes to them, one batch in flight per room, and hands the positioned messages of
 * the rooms that have members here to them in offset order, filling gaps from the store. Confined
 * to the partition's event loop; the store's answers are brought back to it.
 */
final class PartitionHistory {

  private static final Logger log = LoggerFactory.getLogger(PartitionHistory.class);

  /** How long a gap may stay open before the store is asked for what is missing. */
  static final long GAP_WAIT_MS = 200;
  private static final int BATCH = 64;

  private record Publish(RoomDelivery delivery, String key, boolean clientKey, Promise<Position> done) {
  }

  private final HubImpl hub;
  private final HistoryRooms history;
  private final Context context;
  private final String keyPrefix;
  private final Consumer<RoomDelivery> publishPositioned;
  private final Map<String, RoomTimeline> timelines = new HashMap<>();
  private final Map<String, ArrayDeque<Publish>> appending = new HashMap<>();
  private long keys;

  /**
   * @param publishPositioned sends a message that has its position to every node's partition
   */
  PartitionHistory(HubImpl hub, Context context, int index, Consumer<RoomDelivery> publishPositioned) {
    this.hub = hub;
    this.history = hub.history();
    this.context = context;
    this.keyPrefix = "n:" + hub.gateway().nodeId() + "." + index + ".";
    this.publishPositioned = publishPositioned;
  }

  private HistoryStore store() {
    return history.store();
  }

  /** Runs on the partition's event loop once a store answer is in. */
  private <T> void then(Future<T> answer, Handler<AsyncResult<T>> handler) {
    answer.onComplete(ar -> context.runOnContext(v -> handler.handle(ar)));
  }

  // ---- Appending what this node publishes

  /** Appends a message to its room's history, then publishes it at its position. */
  void append(RoomDelivery d, String clientKey, Promise<Position> done) {
    // Two name spaces, so that no client can take a key this node makes.
    String key = clientKey != null ? "c:" + clientKey : keyPrefix + (++keys);
    ArrayDeque<Publish> queue = appending.computeIfAbsent(d.room(), r -> new ArrayDeque<>());
    queue.add(new Publish(d, key, clientKey != null, done));
    if (queue.size() == 1) {
      flush(d.room(), queue);
    }
  }

  private void flush(String room, ArrayDeque<Publish> queue) {
    HistoryOptions rule = history.ruleOf(room);
    List<Publish> batch = new ArrayList<>(Math.min(BATCH, queue.size()));
    List<LogEntry> entries = new ArrayList<>(batch.size());
    for (Publish p : queue) {
      if (batch.size() == BATCH) {
        break;
      }
      batch.add(p);
      entries.add(LogEntry.of(p.delivery, p.key));
    }
    then(store().append(room, rule, entries), ar -> {
      for (int i = 0; i < batch.size(); i++) {
        queue.poll();
        Publish p = batch.get(i);
        if (ar.failed()) {
          p.done.fail(ar.cause());
          continue;
        }
        Appended appended = ar.result();
        hub.stats().countHistoryWrites(1);
        // A repeat of this node's own key is a retry of a batch whose answer was lost: publish it.
        if (!appended.repeated(i) || !p.clientKey) {
          publishPositioned.accept(p.delivery.at(appended.offset(i), appended.epoch()));
        }
        p.done.complete(new Position(appended.offset(i), appended.epoch()));
      }
      if (ar.failed()) {
        log.warn("could not append to the history of room {}: {}", room, ar.cause().toString());
      }
      if (queue.isEmpty()) {
        appending.remove(room);
      } else {
        flush(room, queue);
      }
    });
  }

  // ---- Handing positioned messages to this node's members in order

  /** Takes a positioned message published anywhere in the cluster. */
  void onPositioned(RoomDelivery d) {
    RoomTimeline t = timelines.get(d.room());
    if (t == null) {
      return;
    }
    if (t.isSynced() && !t.epoch.equals(d.epoch())) {
      // A new epoch, or a straggler of the old one: the store knows which.
      fill(t);
      return;
    }
    t.offer(d);
    if (t.isSynced()) {
      drain(t);
    }
  }

  private void drain(RoomTimeline t) {
    t.drain(hub.relay()::handOn);
    if (!t.hasGap()) {
      cancelGapTimer(t);
    } else if (t.gapTimer < 0 && !t.reading) {
      t.gapTimer = hub.vertx().setTimer(GAP_WAIT_MS, id -> {
        t.gapTimer = -1;
        if (t.hasGap() && timelines.get(t.room) == t) {
          fill(t);
        }
      });
    }
  }

  private void cancelGapTimer(RoomTimeline t) {
    if (t.gapTimer >= 0) {
      hub.vertx().cancelTimer(t.gapTimer);
      t.gapTimer = -1;
    }
  }

  /** Reads what this node missed of a room from the store. */
  private void fill(RoomTimeline t) {
    if (t.reading) {
      return;
    }
    t.reading = true;
    cancelGapTimer(t);
    then(store().read(t.room, t.rule, t.delivered, 0, t.rule.getSize(), false), ar -> {
      t.reading = false;
      if (timelines.get(t.room) != t) {
        return;
      }
      if (ar.failed()) {
        log.warn("could not read the history of room {} to fill a gap: {}", t.room, ar.cause().toString());
        drain(t);
        return;
      }
      absorb(t, ar.result());
    });
  }

  /** Takes what a read found: a gap filled, a new epoch, or offsets no longer kept. */
  private void absorb(RoomTimeline t, Snapshot s) {
    if (s.epoch() != null && !s.epoch().equals(t.epoch)) {
      log.info("room {} starts a new epoch {} (was {}): its history was lost or expired", t.room, s.epoch(), t.epoch);
      t.restart(s.epoch());
      // The read was of the old epoch's offsets: read the new one from its start.
      fill(t);
      return;
    }
    for (LogEntry e : s.entries()) {
      t.offer(e.toDelivery(t.room, t.epoch));
    }
    t.skipTo(s.oldestOffset());
    drain(t);
  }

  // ---- Members attaching and detaching

  /** A member of this node asks to receive the room's messages, recovering from {@code since} if given. */
  void attach(String room, long token, Position since) {
    RoomTimeline t = timelines.get(room);
    if (t == null) {
      t = new RoomTimeline(room, history.ruleOf(room));
      timelines.put(room, t);
      sync(t);
    }
    RoomTimeline.Waiting w = new RoomTimeline.Waiting(token, since);
    if (t.isSynced() && t.waiting.isEmpty()) {
      serve(t, w);
    } else {
      t.waiting.add(w);
    }
  }

  /** Starts following a room: where it stands now; what comes after it goes to its members here. */
  private void sync(RoomTimeline t) {
    t.reading = true;
    then(store().read(t.room, t.rule, Long.MAX_VALUE, 0, 0, true), ar -> {
      t.reading = false;
      if (ar.failed()) {
        log.warn("could not read where room {} stands: {}", t.room, ar.cause().toString());
        timelines.remove(t.room);
        t.waiting.forEach(w -> answer(t, Attached.failed(w.token(), "the room's history is unavailable")));
        return;
      }
      Snapshot s = ar.result();
      t.epoch = s.epoch();
      t.delivered = s.lastOffset();
      t.dropOtherEpochs();
      drain(t);
      serveWaiting(t);
    });
  }

  private void serveWaiting(RoomTimeline t) {
    List<RoomTimeline.Waiting> waiting = new ArrayList<>(t.waiting);
    t.waiting.clear();
    waiting.forEach(w -> serve(t, w));
  }

  private void serve(RoomTimeline t, RoomTimeline.Waiting w) {
    Position since = w.since();
    if (since == null) {
      attached(t, w.token(), null, List.of());
    } else if (!since.epoch().equals(t.epoch)) {
      attached(t, w.token(), false, List.of());
    } else if (since.offset() <= t.delivered && t.recentCovers(since.offset())) {
      attached(t, w.token(), true, t.after(since.offset(), List.of()));
    } else {
      recover(t, w);
    }
  }

  /** Reads what a member missed from the store, then attaches it. */
  private void recover(RoomTimeline t, RoomTimeline.Waiting w) {
    long since = w.since().offset();
    t.recovering++;
    then(store().read(t.room, t.rule, Math.min(since, t.delivered), 0, t.rule.getSize(), false), ar -> {
      t.recovering--;
      if (ar.failed()) {
        log.warn("could not read the history of room {} to recover a member: {}", t.room, ar.cause().toString());
        attached(t, w.token(), false, List.of());
        drain(t);
        return;
      }
      Snapshot s = ar.result();
      absorb(t, s);
      List<RoomDelivery> missed = null;
      if (t.epoch.equals(w.since().epoch()) && s.oldestOffset() <= since + 1 && since <= t.delivered) {
        List<RoomDelivery> read = new ArrayList<>(s.entries().size());
        s.entries().forEach(e -> read.add(e.toDelivery(t.room, t.epoch)));
        missed = t.after(since, read);
      }
      attached(t, w.token(), missed != null, missed == null ? List.of() : missed);
    });
  }

  private void attached(RoomTimeline t, long token, Boolean recovered, List<RoomDelivery> missed) {
    t.attached++;
    if (recovered != null) {
      hub.stats().countRecovery(recovered, missed.size());
    }
    answer(t, new Attached(token, t.delivered, t.epoch, recovered, missed, null));
  }

  private void answer(RoomTimeline t, Attached attached) {
    hub.relay().handOn(t.room, attached);
  }

  /** A member of this node that had attached left the room, or was refused after attaching. */
  void detach(String room) {
    RoomTimeline t = timelines.get(room);
    if (t != null) {
      t.attached--;
      forgetIfUnused(t);
    }
  }

  /** Stops following a room that no member here receives and none is about to. */
  private void forgetIfUnused(RoomTimeline t) {
    if (t.attached <= 0 && t.waiting.isEmpty() && t.recovering == 0 && timelines.get(t.room) == t) {
      timelines.remove(t.room);
      cancelGapTimer(t);
    }
  }

  void close() {
    timelines.values().forEach(this::cancelGapTimer);
    timelines.clear();
    appending.values().forEach(q -> q.forEach(p -> p.done.tryFail("the hub is closing")));
    appending.clear();
  }
}
