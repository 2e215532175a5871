package io.roomcast.gateway.impl.history;

import io.roomcast.gateway.HistoryOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The histories of a node that runs alone: in memory, each room's under its own lock, expired rooms swept. */
public final class LocalHistoryStore implements HistoryStore {

  private static final long SWEEP_MS = 30_000;

  private final Vertx vertx;
  private final Map<String, Kept> rooms = new ConcurrentHashMap<>();
  private final long sweeper;

  private record Kept(RoomLog log, long ttl) {
  }

  /** @param vertx where the sweep of expired rooms runs */
  public LocalHistoryStore(Vertx vertx) {
    this.vertx = vertx;
    this.sweeper = vertx.setPeriodic(SWEEP_MS, id -> sweep(System.currentTimeMillis()));
  }

  @Override
  public Future<Appended> append(String room, HistoryOptions rule, List<LogEntry> entries) {
    long now = System.currentTimeMillis();
    Kept kept = current(room, rule, now, true);
    synchronized (kept.log) {
      return Future.succeededFuture(kept.log.append(entries, now, rule.getTtl(), rule.getSize()));
    }
  }

  @Override
  public Future<Snapshot> read(String room, HistoryOptions rule, long after, long before, int limit, boolean create) {
    long now = System.currentTimeMillis();
    Kept kept = current(room, rule, now, create);
    if (kept == null) {
      return Future.succeededFuture(new Snapshot(null, 0, 1, List.of()));
    }
    synchronized (kept.log) {
      return Future.succeededFuture(kept.log.read(after, before, limit, now, rule.getTtl()));
    }
  }

  /** @return the room's log, a new one (new epoch) when it had none or its last write is older than ttl */
  private Kept current(String room, HistoryOptions rule, long now, boolean create) {
    Kept kept = rooms.compute(room, (r, k) -> k == null || expired(k, now) ? null : k);
    if (kept == null && create) {
      kept = rooms.computeIfAbsent(room, r -> new Kept(new RoomLog(Epochs.next(), now), rule.getTtl()));
    }
    return kept;
  }

  private static boolean expired(Kept k, long now) {
    synchronized (k.log) {
      return k.log.lastWriteAt() + k.ttl < now;
    }
  }

  private void sweep(long now) {
    rooms.values().removeIf(k -> expired(k, now));
  }

  @Override
  public void close() {
    vertx.cancelTimer(sweeper);
  }
}
