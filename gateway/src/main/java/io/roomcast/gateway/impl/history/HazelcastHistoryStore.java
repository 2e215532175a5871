package io.roomcast.gateway.impl.history;

import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.roomcast.gateway.HistoryOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The histories of a cluster's rooms, one entry per room in a Hazelcast map with one synchronous
 * backup, kept as objects (no serialization on the owner) and changed only by entry processors at
 * the room's partition owner. A room's entry expires {@code ttl} after its last write, which starts
 * a new epoch; so does the loss of both copies of an entry.
 */
public final class HazelcastHistoryStore implements HistoryStore {

  /** The maps' names: {@code roomcast.history.<hub>}. */
  public static final String MAP_PREFIX = "roomcast.history.";

  private static final Logger log = LoggerFactory.getLogger(HazelcastHistoryStore.class);

  private final IMap<String, RoomLog> map;

  /**
   * @param hazelcast the cluster's Hazelcast member in this process
   * @param hub the hub whose histories these are
   */
  public HazelcastHistoryStore(HazelcastInstance hazelcast, String hub) {
    configure(hazelcast);
    this.map = hazelcast.getMap(MAP_PREFIX + hub);
  }

  private static void configure(HazelcastInstance hazelcast) {
    MapConfig config = new MapConfig(MAP_PREFIX + "*")
      .setInMemoryFormat(InMemoryFormat.OBJECT)
      .setBackupCount(1)
      .setAsyncBackupCount(0)
      .setStatisticsEnabled(true);
    try {
      hazelcast.getConfig().addMapConfig(config);
    } catch (RuntimeException e) {
      // A configuration of the operator's own for these maps wins; say that it does.
      log.warn("the Hazelcast configuration already defines maps {}: using it, not Roomcast's ({})", config.getName(), e.getMessage());
    }
  }

  @Override
  public Future<Appended> append(String room, HistoryOptions rule, List<LogEntry> entries) {
    return future(map.submitToKey(room, new AppendProcessor(entries, System.currentTimeMillis(), rule.getTtl(), rule.getSize(), Epochs.next())));
  }

  @Override
  public Future<Snapshot> read(String room, HistoryOptions rule, long after, long before, int limit, boolean create) {
    long now = System.currentTimeMillis();
    return future(map.submitToKey(room, create
      ? new ReadProcessor.Creating(after, before, limit, now, rule.getTtl(), Epochs.next())
      : new ReadProcessor(after, before, limit, now, rule.getTtl())));
  }

  private static <T> Future<T> future(CompletionStage<T> stage) {
    Promise<T> promise = Promise.promise();
    stage.whenComplete((result, failure) -> {
      if (failure != null) {
        promise.fail(failure);
      } else {
        promise.complete(result);
      }
    });
    return promise.future();
  }

  @Override
  public void close() {
  }
}
