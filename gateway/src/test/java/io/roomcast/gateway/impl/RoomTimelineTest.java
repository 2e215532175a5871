package io.roomcast.gateway.impl;

import io.roomcast.gateway.HistoryOptions;
import io.roomcast.gateway.impl.bus.RoomDelivery;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order a node hands a history room's messages on in, across holes that are filled late or never. */
class RoomTimelineTest {

  private static RoomDelivery at(long offset) {
    return new RoomDelivery("r", "e", "c", "c", Buffer.buffer("" + offset), false).at(offset, "E");
  }

  private static RoomTimeline synced() {
    RoomTimeline t = new RoomTimeline("r", new HistoryOptions("r"));
    t.epoch = "E";
    return t;
  }

  @Test
  void messagesAfterAHoleWaitForItThenGoOnInOrder() {
    RoomTimeline t = synced();
    List<Long> handed = new ArrayList<>();
    for (long o : new long[] {1, 3, 4}) {
      t.offer(at(o));
    }
    t.drain(d -> handed.add(d.offset()));
    assertEquals(List.of(1L), handed);
    assertTrue(t.hasGap());
    t.offer(at(2));
    t.drain(d -> handed.add(d.offset()));
    assertEquals(List.of(1L, 2L, 3L, 4L), handed);
    assertFalse(t.hasGap());
  }

  @Test
  void aHoleTheStoreNoLongerKeepsIsSteppedOverAndWhatTheNodeHoldsBeyondItIsStillHandedOn() {
    RoomTimeline t = synced();
    List<Long> handed = new ArrayList<>();
    t.offer(at(1));
    // Offset 2 was appended by a publisher that died before publishing it; 3 to 5 came from others.
    for (long o = 3; o <= 5; o++) {
      t.offer(at(o));
    }
    t.drain(d -> handed.add(d.offset()));
    // The store, read too late, keeps only 4 onwards: 2 is gone for good, 3 is still here.
    t.skipTo(4);
    t.drain(d -> handed.add(d.offset()));
    assertEquals(List.of(1L, 3L, 4L, 5L), handed);
    t.offer(at(6));
    t.drain(d -> handed.add(d.offset()));
    assertEquals(List.of(1L, 3L, 4L, 5L, 6L), handed);
  }
}
