package io.roomcast.gateway.impl.history;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Appends a batch to a room's log at its partition owner, and again at its backup: deterministic,
 * since the time and the epoch of a new history come with it.
 */
public final class AppendProcessor implements EntryProcessor<String, RoomLog, Appended>, DataSerializable {

  private List<LogEntry> entries;
  private long now;
  private long ttl;
  private int size;
  private String newEpoch;

  /** For Hazelcast's deserialization. */
  public AppendProcessor() {
  }

  AppendProcessor(List<LogEntry> entries, long now, long ttl, int size, String newEpoch) {
    this.entries = entries;
    this.now = now;
    this.ttl = ttl;
    this.size = size;
    this.newEpoch = newEpoch;
  }

  @Override
  public Appended process(Map.Entry<String, RoomLog> entry) {
    RoomLog log = entry.getValue();
    if (RoomLog.isGone(log, now, ttl)) {
      log = new RoomLog(newEpoch, now);
    }
    Appended appended = log.append(entries, now, ttl, size);
    // The entry lives ttl after its last message: a room silent that long starts a new epoch.
    ((ExtendedMapEntry<String, RoomLog>) entry).setValue(log, ttl, TimeUnit.MILLISECONDS);
    return appended;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    LogEntry.writeList(out, entries);
    out.writeLong(now);
    out.writeLong(ttl);
    out.writeInt(size);
    out.writeString(newEpoch);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    entries = LogEntry.readList(in);
    now = in.readLong();
    ttl = in.readLong();
    size = in.readInt();
    newEpoch = in.readString();
  }
}
