package io.roomcast.gateway.impl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A hub's connection counts on this node, overall and per peer IP address, for its limits. */
final class ConnectionLimits {

  private final int max;
  private final int maxPerAddress;
  private final AtomicInteger total = new AtomicInteger();
  private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

  ConnectionLimits(int max, int maxPerAddress) {
    this.max = max;
    this.maxPerAddress = maxPerAddress;
  }

  /**
   * Takes a place for a new connection.
   *
   * @param address the peer's IP address
   * @return {@code null} when taken, else the limit that refuses it
   */
  HubStats.Rejection tryAcquire(String address) {
    if (total.incrementAndGet() > max && max > 0) {
      total.decrementAndGet();
      return HubStats.Rejection.MAX_CONNECTIONS;
    }
    if (maxPerAddress > 0) {
      AtomicInteger count = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
      if (count.incrementAndGet() > maxPerAddress) {
        decrement(address);
        total.decrementAndGet();
        return HubStats.Rejection.MAX_PER_ADDRESS;
      }
    }
    return null;
  }

  /** Gives back the place of a connection that closed or never opened. */
  void release(String address) {
    total.decrementAndGet();
    if (maxPerAddress > 0) {
      decrement(address);
    }
  }

  private void decrement(String address) {
    perAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
  }

  int total() {
    return total.get();
  }
}
