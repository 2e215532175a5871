package io.roomcast.loadtests.bench.client;

/** Nanoseconds since the harness started: one monotonic clock for send and receive times. */
public final class HarnessClock {

  private static final long EPOCH = System.nanoTime();

  private HarnessClock() {
  }

  /** @return ns since the harness started (never negative) */
  public static long nanos() {
    return System.nanoTime() - EPOCH;
  }
}
