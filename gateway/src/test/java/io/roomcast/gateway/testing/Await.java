package io.roomcast.gateway.testing;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocks a test thread on a future, with a deadline. */
public final class Await {

  private Await() {
  }

  /**
   * @return the future's result
   * @throws AssertionError when it does not complete within {@link TestClient#TIMEOUT}
   */
  public static <T> T result(Future<T> future) {
    try {
      return future.await(TestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result in " + TestClient.TIMEOUT.toMillis() + " ms", e);
    }
  }

  /**
   * Polls a condition until it holds.
   *
   * @throws AssertionError when it does not hold within {@code timeout}
   */
  public static void until(java.util.function.BooleanSupplier condition, java.time.Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not true within " + timeout.toMillis() + " ms: " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
    }
  }

  /** @return the failure of a future that must fail */
  public static Throwable failure(Future<?> future) {
    try {
      future.await(TestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result in " + TestClient.TIMEOUT.toMillis() + " ms", e);
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }
}
