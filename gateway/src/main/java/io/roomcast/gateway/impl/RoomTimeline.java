package io.roomcast.gateway.impl;

import io.roomcast.gateway.HistoryOptions;
import io.roomcast.gateway.Position;
import io.roomcast.gateway.impl.bus.RoomDelivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Where one room with history stands on this node: the last offset handed to its members here, the
 * messages that came ahead of a gap, and the latest ones handed on (for members who recover from a
 * recent position). Confined to its relay partition's event loop.
 */
final class RoomTimeline {

  /** An attach request waiting for the timeline. */
  record Waiting(long token, Position since) {
  }

  final String room;
  final HistoryOptions rule;
  /** {@code null} until the first read of the store says where the room stands. */
  String epoch;
  long delivered;
  int attached;
  /** Recovering members' reads in flight: the timeline stays while any is. */
  int recovering;
  long gapTimer = -1;
  boolean reading;
  final List<Waiting> waiting = new ArrayList<>();
  private final TreeMap<Long, RoomDelivery> ahead = new TreeMap<>();
  /** Offsets up to here that the store no longer keeps: a hole among them is stepped over. */
  private long lostThrough;
  private final ArrayDeque<RoomDelivery> recent = new ArrayDeque<>();

  RoomTimeline(String room, HistoryOptions rule) {
    this.room = room;
    this.rule = rule;
  }

  boolean isSynced() {
    return epoch != null;
  }

  /** Keeps a message that came before its turn; one at or below the last handed on is dropped. */
  void offer(RoomDelivery d) {
    if (d.offset() > delivered) {
      ahead.putIfAbsent(d.offset(), d);
    }
  }

  /** Drops what came ahead from another epoch than the room's. */
  void dropOtherEpochs() {
    ahead.values().removeIf(d -> !d.epoch().equals(epoch));
    ahead.headMap(delivered, true).clear();
  }

  /** Starts the room over at a new epoch: nothing of the old one is handed on any more. */
  void restart(String newEpoch) {
    epoch = newEpoch;
    delivered = 0;
    lostThrough = 0;
    ahead.clear();
    recent.clear();
  }

  /**
   * Hands on, in offset order, every message that is next in line, stepping over the holes that
   * the store can no longer fill ({@link #skipTo}).
   */
  void drain(Consumer<RoomDelivery> handOn) {
    while (true) {
      Map.Entry<Long, RoomDelivery> first = ahead.firstEntry();
      if (first != null && first.getKey() == delivered + 1) {
        RoomDelivery next = ahead.pollFirstEntry().getValue();
        delivered = next.offset();
        recent.addLast(next);
        if (recent.size() > rule.getSize()) {
          recent.removeFirst();
        }
        handOn.accept(next);
      } else if (delivered < lostThrough) {
        delivered = first == null ? lostThrough : Math.min(first.getKey() - 1, lostThrough);
      } else {
        return;
      }
    }
  }

  boolean hasGap() {
    return !ahead.isEmpty();
  }

  /**
   * Gives up on the offsets below {@code oldestKept} that never reached this node: the store no
   * longer keeps them, so nothing can fill those holes (a publisher that died between its append
   * and its publish, found too late). What this node holds below it is still handed on: dropping
   * it would lose live messages of publishers that are well.
   */
  void skipTo(long oldestKept) {
    lostThrough = Math.max(lostThrough, oldestKept - 1);
  }

  /**
   * @return the messages after {@code since} up to the last handed on, from the recent ones and
   *     those read from the store, or {@code null} when some of them are missing
   */
  List<RoomDelivery> after(long since, List<RoomDelivery> read) {
    TreeMap<Long, RoomDelivery> found = new TreeMap<>();
    for (RoomDelivery d : read) {
      if (d.offset() > since && d.offset() <= delivered) {
        found.put(d.offset(), d);
      }
    }
    for (Iterator<RoomDelivery> it = recent.descendingIterator(); it.hasNext(); ) {
      RoomDelivery d = it.next();
      if (d.offset() <= since) {
        break;
      }
      found.putIfAbsent(d.offset(), d);
    }
    if (found.size() != delivered - since) {
      return null;
    }
    return new ArrayList<>(found.values());
  }

  /** @return whether the recent messages reach back to just after {@code since} */
  boolean recentCovers(long since) {
    return since == delivered || (!recent.isEmpty() && recent.peekFirst().offset() <= since + 1);
  }
}
