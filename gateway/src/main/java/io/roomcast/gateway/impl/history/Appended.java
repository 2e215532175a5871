package io.roomcast.gateway.impl.history;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;

/** What an append gave each message of its batch: an offset, and whether it was a repeat of a key seen before. */
public final class Appended implements DataSerializable {

  private String epoch;
  private long[] offsets;
  private boolean[] repeated;

  /** For Hazelcast's deserialization. */
  public Appended() {
  }

  Appended(String epoch, long[] offsets, boolean[] repeated) {
    this.epoch = epoch;
    this.offsets = offsets;
    this.repeated = repeated;
  }

  /** @return the room's epoch */
  public String epoch() {
    return epoch;
  }

  /** @return the offset of the i-th message of the batch */
  public long offset(int i) {
    return offsets[i];
  }

  /** @return whether the i-th message repeated a key: it was not appended again, its offset is the first one's */
  public boolean repeated(int i) {
    return repeated[i];
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(epoch);
    out.writeLongArray(offsets);
    out.writeBooleanArray(repeated);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    epoch = in.readString();
    offsets = in.readLongArray();
    repeated = in.readBooleanArray();
  }
}
