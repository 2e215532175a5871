package io.roomcast.loadtests.bench;

import io.netty.buffer.ByteBuf;
import io.roomcast.loadtests.bench.client.ClientConnection;
import io.roomcast.loadtests.bench.client.Payload;
import org.HdrHistogram.Histogram;

/**
 * Accounts for every message of a fan-out step: how many members got it (so lost and duplicated
 * deliveries are exact, per message), deliveries that came out of order from one publisher, and
 * end-to-end latency from the planned send time in the payload to the frame's arrival. With
 * several nodes, latency is also kept apart for members on the publishers' node (0) and on the
 * others. Loop-confined.
 */
final class DeliveryLedger implements Fleet.Deliveries {

  /** What a step came to. */
  record Tally(int sent, long expected, long delivered, long lost, long duplicates, long reordered, long stale,
               long foreign, Histogram all, Histogram local, Histogram remote) {
  }

  private final int expectedPerMessage;
  private final int publishersPerRoom;
  private final boolean byLocality;
  private final Payload.Fields fields = new Payload.Fields();
  private long nextSequence;
  private long first;
  private int[] counts = new int[0];
  private int sent;
  private long measureFrom;
  private Histogram all;
  private Histogram local;
  private Histogram remote;
  private long delivered;
  private long duplicates;
  private long reordered;
  private long stale;
  private long foreign;

  /**
   * @param expectedPerMessage members that get each message (the room's size less the sender)
   * @param publishersPerRoom publishers in each room
   * @param byLocality whether to keep latency by the receiver's node too
   */
  DeliveryLedger(int expectedPerMessage, int publishersPerRoom, boolean byLocality) {
    this.expectedPerMessage = expectedPerMessage;
    this.publishersPerRoom = publishersPerRoom;
    this.byLocality = byLocality;
  }

  /** Starts a step of at most {@code capacity} messages; latency counts messages planned from {@code measureFrom}. */
  void begin(int capacity, long measureFrom) {
    first = nextSequence;
    counts = new int[capacity];
    sent = 0;
    this.measureFrom = measureFrom;
    all = new Histogram(3);
    local = byLocality ? new Histogram(3) : null;
    remote = byLocality ? new Histogram(3) : null;
    delivered = 0;
    duplicates = 0;
    reordered = 0;
    stale = 0;
    foreign = 0;
  }

  /** @return the sequence number of the next message, which counts as sent; -1 when the step is full */
  long send() {
    if (sent >= counts.length) {
      return -1;
    }
    sent++;
    return nextSequence++;
  }

  @Override
  public void onDelivery(ClientConnection c, ByteBuf frame, long receivedNanos) {
    if (!Payload.read(frame, fields)) {
      foreign++;
      return;
    }
    long index = fields.sequence - first;
    if (index < 0 || index >= sent) {
      stale++;
      return;
    }
    delivered++;
    if (++counts[(int) index] > expectedPerMessage) {
      duplicates++;
    }
    if (c.lastSequence != null) {
      int slot = fields.publisher % publishersPerRoom;
      if (fields.sequence < c.lastSequence[slot]) {
        reordered++;
      } else {
        c.lastSequence[slot] = fields.sequence;
      }
    }
    if (fields.sent >= measureFrom) {
      long micros = Math.max(0, (receivedNanos - fields.sent) / 1000);
      all.recordValue(micros);
      if (byLocality) {
        (c.node == 0 ? local : remote).recordValue(micros);
      }
    }
  }

  /** @return whether every message sent so far has reached every member it should */
  boolean complete() {
    return delivered - duplicates >= (long) sent * expectedPerMessage;
  }

  Tally tally() {
    long lost = 0;
    for (int i = 0; i < sent; i++) {
      lost += Math.max(0, expectedPerMessage - counts[i]);
    }
    return new Tally(sent, (long) sent * expectedPerMessage, delivered, lost, duplicates, reordered, stale, foreign,
      all.copy(), local == null ? null : local.copy(), remote == null ? null : remote.copy());
  }
}
