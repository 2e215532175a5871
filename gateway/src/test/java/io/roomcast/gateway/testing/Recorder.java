package io.roomcast.gateway.testing;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What server-side callbacks saw, recorded from any thread and read by the test thread, which
 * waits with a deadline for what it expects.
 *
 * @param <T> what is recorded
 */
public final class Recorder<T> {

  private final List<T> items = new ArrayList<>();

  /** Records an item; safe from any thread. */
  public void add(T item) {
    synchronized (items) {
      items.add(item);
      items.notifyAll();
    }
  }

  /**
   * Waits for the first recorded item that matches.
   *
   * @throws AssertionError when none is recorded within {@link TestClient#TIMEOUT}
   */
  public T await(Predicate<? super T> matching) {
    return awaitUntil(() -> {
      for (Iterator<T> it = items.iterator(); it.hasNext(); ) {
        T item = it.next();
        if (matching.test(item)) {
          return item;
        }
      }
      return null;
    }, "no matching item");
  }

  /**
   * Waits until at least {@code count} items are recorded.
   *
   * @return the first {@code count} items, in recording order
   */
  public List<T> awaitCount(int count) {
    return awaitUntil(() -> items.size() >= count ? new ArrayList<>(items.subList(0, count)) : null,
      "fewer than " + count + " items");
  }

  /** @return what is recorded now, in recording order */
  public List<T> snapshot() {
    synchronized (items) {
      return new ArrayList<>(items);
    }
  }

  private interface Lookup<R> {
    R find();
  }

  private <R> R awaitUntil(Lookup<R> lookup, String what) {
    long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
    synchronized (items) {
      while (true) {
        R found = lookup.find();
        if (found != null) {
          return found;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(what + " in " + TestClient.TIMEOUT.toMillis() + " ms; recorded: " + items);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(items, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }
}
