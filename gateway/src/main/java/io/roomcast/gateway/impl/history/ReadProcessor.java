package io.roomcast.gateway.impl.history;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Reads a room's log at its partition owner; it never changes it, so no backup runs it. */
public class ReadProcessor implements EntryProcessor<String, RoomLog, Snapshot>, ReadOnly, DataSerializable {

  long after;
  long before;
  int limit;
  long now;
  long ttl;

  /** For Hazelcast's deserialization. */
  public ReadProcessor() {
  }

  ReadProcessor(long after, long before, int limit, long now, long ttl) {
    this.after = after;
    this.before = before;
    this.limit = limit;
    this.now = now;
    this.ttl = ttl;
  }

  @Override
  public Snapshot process(Map.Entry<String, RoomLog> entry) {
    RoomLog log = entry.getValue();
    if (RoomLog.isGone(log, now, ttl)) {
      return new Snapshot(null, 0, 1, List.of());
    }
    return log.read(after, before, limit, now, ttl);
  }

  @Override
  public EntryProcessor<String, RoomLog, Snapshot> getBackupProcessor() {
    return null;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(after);
    out.writeLong(before);
    out.writeInt(limit);
    out.writeLong(now);
    out.writeLong(ttl);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    after = in.readLong();
    before = in.readLong();
    limit = in.readInt();
    now = in.readLong();
    ttl = in.readLong();
  }

  /**
   * Reads a room's log and starts it (a new epoch) when it has none, so that the answer names an
   * epoch; a change, so its backup runs it too.
   */
  public static final class Creating implements EntryProcessor<String, RoomLog, Snapshot>, DataSerializable {

    private final ReadProcessor read = new ReadProcessor();
    private String newEpoch;

    /** For Hazelcast's deserialization. */
    public Creating() {
    }

    Creating(long after, long before, int limit, long now, long ttl, String newEpoch) {
      read.after = after;
      read.before = before;
      read.limit = limit;
      read.now = now;
      read.ttl = ttl;
      this.newEpoch = newEpoch;
    }

    @Override
    public Snapshot process(Map.Entry<String, RoomLog> entry) {
      RoomLog log = entry.getValue();
      if (RoomLog.isGone(log, read.now, read.ttl)) {
        log = new RoomLog(newEpoch, read.now);
        ((ExtendedMapEntry<String, RoomLog>) entry).setValue(log, read.ttl, TimeUnit.MILLISECONDS);
      }
      return log.read(read.after, read.before, read.limit, read.now, read.ttl);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      read.writeData(out);
      out.writeString(newEpoch);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      read.readData(in);
      newEpoch = in.readString();
    }
  }
}
