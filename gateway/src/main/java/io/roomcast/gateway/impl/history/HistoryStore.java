package io.roomcast.gateway.impl.history;

import io.roomcast.gateway.HistoryOptions;
import io.vertx.core.Future;

import java.util.List;

/**
 * Where rooms' histories live: in this process for a node alone, in the cluster's Hazelcast for a
 * cluster (docs/CLUSTER.md). Futures may complete on any thread.
 */
public interface HistoryStore {

  /**
   * Appends messages to a room's history, creating it (a new epoch) when it has none.
   *
   * @param entries the messages, in order, each with an idempotency key
   * @return the offset each was given
   */
  Future<Appended> append(String room, HistoryOptions rule, List<LogEntry> entries);

  /**
   * Reads a room's history.
   *
   * @param after only offsets above it
   * @param before only offsets below it, {@code 0} for no bound
   * @param limit the most messages, the newest of those that match
   * @param create whether to start the room's history (a new epoch) when it has none, so that the
   *     answer always names an epoch
   * @return where the room stands and the messages that match
   */
  Future<Snapshot> read(String room, HistoryOptions rule, long after, long before, int limit, boolean create);

  /** Stops whatever the store runs in the background. */
  void close();
}
