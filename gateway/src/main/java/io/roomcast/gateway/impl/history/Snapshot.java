package io.roomcast.gateway.impl.history;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.List;

/** Where a room's history stands, and the messages a read asked for, oldest first. */
public final class Snapshot implements DataSerializable {

  private String epoch;
  private long lastOffset;
  private long oldestOffset;
  private List<LogEntry> entries;

  /** For Hazelcast's deserialization. */
  public Snapshot() {
  }

  Snapshot(String epoch, long lastOffset, long oldestOffset, List<LogEntry> entries) {
    this.epoch = epoch;
    this.lastOffset = lastOffset;
    this.oldestOffset = oldestOffset;
    this.entries = entries;
  }

  /** @return the room's epoch, or {@code null} when it has no history (a read never creates one) */
  public String epoch() {
    return epoch;
  }

  /** @return the offset of the room's latest message, {@code 0} when none */
  public long lastOffset() {
    return lastOffset;
  }

  /** @return the oldest offset still kept ({@code lastOffset + 1} when none is) */
  public long oldestOffset() {
    return oldestOffset;
  }

  /** @return the messages read, oldest first */
  public List<LogEntry> entries() {
    return entries;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(epoch);
    out.writeLong(lastOffset);
    out.writeLong(oldestOffset);
    LogEntry.writeList(out, entries);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    epoch = in.readString();
    lastOffset = in.readLong();
    oldestOffset = in.readLong();
    entries = LogEntry.readList(in);
  }
}
