package io.roomcast.gateway.impl.history;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One room's history: its epoch, its last offset, the last {@code size} messages not older than
 * {@code ttl}, and the idempotency keys seen within {@code ttl}. Not thread-safe: in a cluster it
 * is changed only by entry processors at the room's partition owner (and the same processors
 * replayed at its backup, which is why everything here is deterministic: times and new epochs
 * come from the caller); alone, under its store's lock.
 */
public final class RoomLog implements DataSerializable {

  /** The fewest idempotency keys a room remembers, whatever its size. */
  static final int MIN_KEYS = 1000;

  private String epoch;
  private long lastOffset;
  private long lastWriteAt;
  private final ArrayDeque<LogEntry> entries = new ArrayDeque<>();
  // Key -> offset, oldest first; the times are the entries' or, for a forgotten entry, its own.
  private final LinkedHashMap<String, long[]> keys = new LinkedHashMap<>();

  /** For Hazelcast's deserialization. */
  public RoomLog() {
  }

  /** @param epoch the epoch of a room's new history */
  RoomLog(String epoch, long now) {
    this.epoch = epoch;
    this.lastWriteAt = now;
  }

  String epoch() {
    return epoch;
  }

  long lastOffset() {
    return lastOffset;
  }

  long lastWriteAt() {
    return lastWriteAt;
  }

  /**
   * Gives each entry the room's next offset, unless its key was seen within {@code ttl}: then it
   * gets the offset it was given the first time and is not kept again.
   */
  Appended append(List<LogEntry> batch, long now, long ttl, int size) {
    forgetOlderThan(now - ttl);
    long[] offsets = new long[batch.size()];
    boolean[] repeated = new boolean[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      LogEntry e = batch.get(i);
      long[] seen = e.key() == null ? null : keys.get(e.key());
      if (seen != null) {
        offsets[i] = seen[0];
        repeated[i] = true;
        continue;
      }
      offsets[i] = ++lastOffset;
      entries.addLast(e.at(lastOffset));
      if (e.key() != null) {
        keys.put(e.key(), new long[] {lastOffset, e.publishedAt()});
      }
    }
    while (entries.size() > size) {
      entries.removeFirst();
    }
    int maxKeys = Math.max(MIN_KEYS, size);
    Iterator<long[]> it = keys.values().iterator();
    while (keys.size() > maxKeys && it.hasNext()) {
      it.next();
      it.remove();
    }
    lastWriteAt = now;
    return new Appended(epoch, offsets, repeated);
  }

  /**
   * @param after only offsets above it
   * @param before only offsets below it; {@code 0} for no bound
   * @param limit the most messages, the newest of those that match
   * @return the matching messages kept and not older than {@code ttl}, oldest first
   */
  Snapshot read(long after, long before, int limit, long now, long ttl) {
    List<LogEntry> matching = new ArrayList<>();
    long oldest = lastOffset + 1;
    for (LogEntry e : entries) {
      if (e.publishedAt() < now - ttl) {
        continue;
      }
      oldest = Math.min(oldest, e.offset());
      if (e.offset() > after && (before <= 0 || e.offset() < before)) {
        matching.add(e);
      }
    }
    List<LogEntry> newest = matching.size() > limit ? matching.subList(matching.size() - limit, matching.size()) : matching;
    return new Snapshot(epoch, lastOffset, oldest, new ArrayList<>(newest));
  }

  private void forgetOlderThan(long cutoff) {
    while (!entries.isEmpty() && entries.peekFirst().publishedAt() < cutoff) {
      entries.removeFirst();
    }
    Iterator<long[]> it = keys.values().iterator();
    while (it.hasNext() && it.next()[1] < cutoff) {
      it.remove();
    }
  }

  /**
   * @return whether a log read from the map is missing, or silent for longer than its ttl: then
   *     the room starts a new epoch (the map's own expiry may not have removed it yet)
   */
  static boolean isGone(RoomLog log, long now, long ttl) {
    return log == null || log.lastWriteAt() + ttl < now;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(epoch);
    out.writeLong(lastOffset);
    out.writeLong(lastWriteAt);
    LogEntry.writeList(out, entries);
    out.writeInt(keys.size());
    for (Map.Entry<String, long[]> k : keys.entrySet()) {
      out.writeString(k.getKey());
      out.writeLong(k.getValue()[0]);
      out.writeLong(k.getValue()[1]);
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    epoch = in.readString();
    lastOffset = in.readLong();
    lastWriteAt = in.readLong();
    entries.addAll(LogEntry.readList(in));
    int k = in.readInt();
    for (int i = 0; i < k; i++) {
      keys.put(in.readString(), new long[] {in.readLong(), in.readLong()});
    }
  }
}
