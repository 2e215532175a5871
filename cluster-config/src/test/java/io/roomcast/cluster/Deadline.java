package io.roomcast.cluster;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits on a condition with a deadline, polling, instead of sleeping a fixed time. */
final class Deadline {

  private static final long POLL_MILLIS = 20;

  private Deadline() {
  }

  /**
   * Waits until {@code condition} holds.
   *
   * @param limit how long to wait at most
   * @param condition the condition, polled every 20 ms
   * @param what describes the condition, and the state when it fails
   * @return how long it took
   * @throws AssertionError when the condition does not hold within {@code limit}
   */
  static Duration await(Duration limit, BooleanSupplier condition, Supplier<String> what) {
    long start = System.nanoTime();
    long end = start + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("not within " + limit.toMillis() + " ms: " + what.get());
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting: " + what.get(), e);
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
