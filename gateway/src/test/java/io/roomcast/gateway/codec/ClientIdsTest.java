package io.roomcast.gateway.codec;

import io.roomcast.gateway.impl.bus.ClientIds;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Client ids carry their node and shard: {@code <node>.<shard>.<sequence>}. */
class ClientIdsTest {

  @Test
  void formatAndParseRoundTrip() {
    for (String node : List.of("abcdefghij", "0123456789", "n", "node-1_x")) {
      for (int shard : new int[] {0, 1, 9, 10, 255, 999_999}) {
        for (long sequence : new long[] {0, 1, 35, 36, 1_000_000, Long.MAX_VALUE}) {
          String id = ClientIds.format(node, shard, sequence);
          assertTrue(id.matches("[A-Za-z0-9._-]{1,64}"), id);
          assertEquals(new ClientIds.Location(node, shard), ClientIds.parse(id), id);
        }
      }
    }
  }

  @Test
  void formattedIdsAreDistinctPerSequence() {
    assertEquals(1000, java.util.stream.LongStream.range(0, 1000)
      .mapToObj(s -> ClientIds.format("abcdefghij", 0, s)).distinct().count());
  }

  @Test
  void malformedIdsAreRefused() {
    String longNode = "n".repeat(60);
    for (String id : Arrays.asList(null, "", "a", "a.b", "a.0", "a.0.", ".0.1", "a..1", "a.x.1", "a.-1.1", "a.1a.1",
      "a.0.1.2", "a b.0.1", "a.0.1 ", "ü.0.1", "a.1234567.1", longNode + ".0.12345", "a/b.0.1", "a.0.1\n")) {
      assertNull(ClientIds.parse(id), String.valueOf(id));
    }
  }

  @Test
  void shardIndexesOfUpToSixDigitsAreRead() {
    assertEquals(new ClientIds.Location("a", 123456), ClientIds.parse("a.123456.z"));
    assertEquals(new ClientIds.Location("a", 7), ClientIds.parse("a.007.z"));
  }
}
