package io.roomcast.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.shareddata.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ObjectInputFilter;
import java.io.Serializable;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code java-serialization-filter} of the shipped configurations against what a clustered Vert.x really sends.
 *
 * <p>A JVM-wide {@link ObjectInputFilter} that decides nothing records every class that reaches Java
 * deserialization while two nodes use the event bus, shared data and locks, and receive an exception from the
 * other member. Every recorded class must pass the whitelist; a class outside it must be refused.
 */
@Timeout(120)
class DeserializationFilterTest {

  private static final Set<String> DESERIALIZED = ConcurrentHashMap.newKeySet();

  private final ClusteredVertx nodes = new ClusteredVertx();

  @BeforeAll
  static void recordJavaDeserialization() {
    ObjectInputFilter.Config.setSerialFilter(info -> {
      // A hidden class (the lambda that SerializedLambda resolves to) is reported too, but the stream never
      // names it: the member's filter, which checks names in the stream, has nothing to decide about it.
      if (info.serialClass() != null && !info.serialClass().isHidden()) {
        DESERIALIZED.add(info.serialClass().getName());
      }
      return ObjectInputFilter.Status.UNDECIDED;
    });
  }

  @AfterEach
  void closeNodes() {
    nodes.close();
  }

  @Test
  void everythingAClusteredVertxDeserializesPassesTheWhitelist() {
    String cluster = Members.randomClusterName();
    ClusteredVertx.Node a = nodes.start(cluster);
    ClusteredVertx.Node b = nodes.start(cluster);

    // The event bus: a consumer registered on b, a request and a reply, a publish, the consumer removed.
    MessageConsumer<Buffer> consumer = b.vertx().eventBus().<Buffer>consumer("roomcast.default.node.b",
        msg -> msg.reply(msg.body().copy().appendString("!")));
    ClusteredVertx.await(consumer.completion());
    Deadline.await(Duration.ofSeconds(10), () -> {
      try {
        Message<Buffer> reply = ClusteredVertx.await(a.vertx().eventBus().request("roomcast.default.node.b",
            Buffer.buffer("hi")));
        return "hi!".equals(reply.body().toString());
      } catch (RuntimeException e) {
        return false;
      }
    }, () -> "no reply from the other node");
    a.vertx().eventBus().publish("roomcast.default.node.b", Buffer.buffer("to all"));
    ClusteredVertx.await(consumer.unregister());

    // Shared data, all of it stored by Hazelcast on one member or the other.
    AsyncMap<String, Object> onA = ClusteredVertx.await(a.vertx().sharedData().getAsyncMap("roomcast.test"));
    AsyncMap<String, Object> onB = ClusteredVertx.await(b.vertx().sharedData().getAsyncMap("roomcast.test"));
    ClusteredVertx.await(onA.put("json", new JsonObject().put("room", "lobby")));
    ClusteredVertx.await(onA.put("buffer", Buffer.buffer("bytes")));
    ClusteredVertx.await(onA.put("text", "plain"));
    assertEquals(new JsonObject().put("room", "lobby"), ClusteredVertx.await(onB.get("json")));
    assertEquals(Buffer.buffer("bytes"), ClusteredVertx.await(onB.get("buffer")));
    assertEquals("plain", ClusteredVertx.await(onB.get("text")));
    ClusteredVertx.await(onB.putIfAbsent("ttl", "expires", 60_000));
    ClusteredVertx.await(onB.replace("text", "replaced"));
    assertEquals(4, ClusteredVertx.await(onA.size()));
    assertEquals(4, ClusteredVertx.await(onA.entries()).size());
    assertEquals(4, ClusteredVertx.await(onA.keys()).size());
    assertEquals(4, ClusteredVertx.await(onA.values()).size());
    ClusteredVertx.await(onA.removeIfPresent("text", "replaced"));
    Counter counter = ClusteredVertx.await(b.vertx().sharedData().getCounter("roomcast.test.counter"));
    Counter sameOnA = ClusteredVertx.await(a.vertx().sharedData().getCounter("roomcast.test.counter"));
    ClusteredVertx.await(counter.incrementAndGet());
    assertEquals(1L, ClusteredVertx.await(sameOnA.getAndAdd(5)));
    assertEquals(true, ClusteredVertx.await(counter.compareAndSet(6, 7)));
    assertEquals(7L, ClusteredVertx.await(sameOnA.get()));
    Lock lock = ClusteredVertx.await(a.vertx().sharedData().getLockWithTimeout("roomcast.test.lock", 5_000));
    lock.release();
    ClusteredVertx.await(b.vertx().sharedData().getLockWithTimeout("roomcast.test.lock", 5_000)).release();

    // An error answered by the other member travels as a Java-serialized exception.
    HazelcastInstance hzA = a.clusterManager().getHazelcastInstance();
    HazelcastInstance hzB = b.clusterManager().getHazelcastInstance();
    String remoteKey = keyOwnedBy(hzA, hzB.getCluster().getLocalMember());
    IMap<String, String> locks = hzA.getMap("roomcast.test.locks");
    IllegalMonitorStateException remote = assertThrows(IllegalMonitorStateException.class, () -> locks.unlock(remoteKey),
        "the other member's exception arrives as itself, not as a refused deserialization");
    assertTrue(DESERIALIZED.contains(IllegalMonitorStateException.class.getName()),
        () -> "the exception came through Java deserialization: " + DESERIALIZED + " / " + remote);

    JavaSerializationFilterConfig filter = ClusterConfigs.load("loopback").getSerializationConfig()
        .getJavaSerializationFilterConfig();
    Set<String> refused = new TreeSet<>();
    for (String name : DESERIALIZED) {
      if (!allowed(filter, name)) {
        refused.add(name);
      }
    }
    System.out.println("deserialized through Java serialization: " + new TreeSet<>(DESERIALIZED));
    assertTrue(refused.isEmpty(), () -> "deserialized but outside the whitelist: " + refused);
  }

  @Test
  void aSerializableClassOutsideTheWhitelistIsRefused() {
    String cluster = Members.randomClusterName();
    ClusteredVertx.Node a = nodes.start(cluster);
    ClusteredVertx.Node b = nodes.start(cluster);
    HazelcastInstance hzA = a.clusterManager().getHazelcastInstance();
    HazelcastInstance hzB = b.clusterManager().getHazelcastInstance();

    hzA.getMap("roomcast.test.gadgets").put("g", new Gadget());
    HazelcastSerializationException e = assertThrows(HazelcastSerializationException.class,
        () -> hzB.getMap("roomcast.test.gadgets").get("g"));
    Throwable cause = e;
    while (cause != null && !(cause instanceof SecurityException)) {
      cause = cause.getCause();
    }
    assertTrue(cause != null && cause.getMessage().contains(Gadget.class.getName()),
        () -> "refused by the filter: " + e);
  }

  /** The member's rule with the default list disabled: on the whitelist and not on the blacklist. */
  private static boolean allowed(JavaSerializationFilterConfig filter, String className) {
    ClassFilter blacklist = filter.getBlacklist();
    return !blacklist.isListed(className) && filter.getWhitelist().isListed(className);
  }

  /** A key whose partition the member owns, once partitions have migrated to it after its join. */
  private static String keyOwnedBy(HazelcastInstance via, Member owner) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < 10_000; i++) {
        String key = "k" + i;
        Member partitionOwner = via.getPartitionService().getPartition(key).getOwner();
        if (owner.equals(partitionOwner)) {
          return key;
        }
      }
      java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
    }
    throw new AssertionError("no key owned by " + owner + " within 30 s");
  }

  /** Stands for any application class that Java serialization would instantiate. */
  static final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
