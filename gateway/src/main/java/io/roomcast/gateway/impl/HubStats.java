package io.roomcast.gateway.impl;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** A hub's counters on this node, written from every event loop without contention. */
public final class HubStats {

  /** Why a message to or from a client was dropped. */
  public enum Drop {
    SLOW_CLIENT("slow_client"), RATE_LIMIT("rate_limit"), TOO_LARGE("too_large");

    public final String label;

    Drop(String label) {
      this.label = label;
    }
  }

  /** Why a handshake was refused before the upgrade. */
  public enum Rejection {
    ORIGIN("origin"), AUTH("auth"), MAX_CONNECTIONS("max_connections"), MAX_PER_ADDRESS("max_connections_per_address"),
    DRAINING("draining"), BAD_REQUEST("bad_request");

    public final String label;

    Rejection(String label) {
      this.label = label;
    }
  }

  final LongAdder messagesIn = new LongAdder();
  final LongAdder messagesOut = new LongAdder();
  final LongAdder bytesIn = new LongAdder();
  final LongAdder bytesOut = new LongAdder();
  private final Map<Drop, LongAdder> dropped = new EnumMap<>(Drop.class);
  private final Map<Rejection, LongAdder> rejected = new EnumMap<>(Rejection.class);

  HubStats() {
    for (Drop d : Drop.values()) {
      dropped.put(d, new LongAdder());
    }
    for (Rejection r : Rejection.values()) {
      rejected.put(r, new LongAdder());
    }
  }

  void countDrop(Drop reason) {
    dropped.get(reason).increment();
  }

  void countRejection(Rejection reason) {
    rejected.get(reason).increment();
  }

  public long messagesIn() {
    return messagesIn.sum();
  }

  public long messagesOut() {
    return messagesOut.sum();
  }

  public long bytesIn() {
    return bytesIn.sum();
  }

  public long bytesOut() {
    return bytesOut.sum();
  }

  public long dropped(Drop reason) {
    return dropped.get(reason).sum();
  }

  public long rejected(Rejection reason) {
    return rejected.get(reason).sum();
  }
}
