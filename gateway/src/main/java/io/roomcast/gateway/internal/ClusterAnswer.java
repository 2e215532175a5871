package io.roomcast.gateway.internal;

import java.util.List;

/**
 * A cluster-wide answer and the live nodes that did not give their part of it in time. An answer
 * with nodes missing is partial: the management API refuses to pass it off as the whole (503).
 *
 * @param value what the nodes that answered said, combined
 * @param missing the live nodes that failed or did not answer within the request timeout, sorted
 * @param <T> the answer's type
 */
public record ClusterAnswer<T>(T value, List<String> missing) {

  /** @return whether every live node answered */
  public boolean complete() {
    return missing.isEmpty();
  }

  /**
   * @param f what to make of the value
   * @param <R> what it makes
   * @return the same answer with its value transformed, the same nodes missing
   */
  public <R> ClusterAnswer<R> map(java.util.function.Function<? super T, ? extends R> f) {
    return new ClusterAnswer<>(f.apply(value), missing);
  }
}
