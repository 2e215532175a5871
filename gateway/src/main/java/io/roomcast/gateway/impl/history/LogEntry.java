package io.roomcast.gateway.impl.history;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.roomcast.gateway.HistoryMessage;
import io.roomcast.gateway.Position;
import io.roomcast.gateway.impl.bus.RoomDelivery;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One message of a room's history, as the log keeps it and as it travels to and from the log's
 * owner. Immutable once it has its offset.
 */
public final class LogEntry implements DataSerializable {

  private long offset;
  private String event;
  private String from;
  private String exclude;
  private byte[] payload;
  private boolean binaryPayload;
  private long publishedAt;
  private String key;

  /** For Hazelcast's deserialization. */
  public LogEntry() {
  }

  private LogEntry(long offset, String event, String from, String exclude, byte[] payload, boolean binaryPayload, long publishedAt,
      String key) {
    this.offset = offset;
    this.event = event;
    this.from = from;
    this.exclude = exclude;
    this.payload = payload;
    this.binaryPayload = binaryPayload;
    this.publishedAt = publishedAt;
    this.key = key;
  }

  /**
   * @param d a message to append, not yet given an offset
   * @param key its idempotency key: the client's, or one the node made
   * @return the entry to append
   */
  public static LogEntry of(RoomDelivery d, String key) {
    return new LogEntry(0, d.event(), d.from(), d.exclude(), d.payload() == null ? null : d.payload().getBytes(), d.binaryPayload(),
      d.publishedAt(), key);
  }

  LogEntry at(long offset) {
    return new LogEntry(offset, event, from, exclude, payload, binaryPayload, publishedAt, key);
  }

  long offset() {
    return offset;
  }

  long publishedAt() {
    return publishedAt;
  }

  String key() {
    return key;
  }

  /** @return the entry as a delivery to the room's members, at its position */
  public RoomDelivery toDelivery(String room, String epoch) {
    return RoomDelivery.kept(room, event, from, exclude, payload == null ? null : Buffer.buffer(payload), binaryPayload, publishedAt,
      offset, epoch);
  }

  /** @return the entry as the history API shows it */
  public HistoryMessage toMessage() {
    return new HistoryMessage(offset, event, from, payload == null ? null : Buffer.buffer(payload), binaryPayload, publishedAt);
  }

  /** @return the entry's position in a room's epoch */
  public Position position(String epoch) {
    return new Position(offset, epoch);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(offset);
    out.writeString(event);
    out.writeString(from);
    out.writeString(exclude);
    out.writeByteArray(payload);
    out.writeBoolean(binaryPayload);
    out.writeLong(publishedAt);
    out.writeString(key);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    offset = in.readLong();
    event = in.readString();
    from = in.readString();
    exclude = in.readString();
    payload = in.readByteArray();
    binaryPayload = in.readBoolean();
    publishedAt = in.readLong();
    key = in.readString();
  }

  /** Writes a list of entries: its size, then each. */
  static void writeList(ObjectDataOutput out, Collection<LogEntry> entries) throws IOException {
    out.writeInt(entries.size());
    for (LogEntry e : entries) {
      e.writeData(out);
    }
  }

  /** @return a list written by {@link #writeList} */
  static List<LogEntry> readList(ObjectDataInput in) throws IOException {
    int n = in.readInt();
    List<LogEntry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      LogEntry e = new LogEntry();
      e.readData(in);
      entries.add(e);
    }
    return entries;
  }
}
