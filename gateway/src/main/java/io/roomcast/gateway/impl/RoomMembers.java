package io.roomcast.gateway.impl;

import io.roomcast.gateway.impl.bus.BusMessage;
import io.roomcast.gateway.impl.bus.RoomDelivery;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The members of one room on one shard, and the event-bus consumer that brings the room's
 * messages to them. Members sit in an array so that a fan-out is a plain loop; an index map makes
 * removal O(1). Confined to the shard's event loop.
 */
final class RoomMembers {

  private final MessageConsumer<BusMessage> consumer;
  private final Future<Void> ready;
  private HubConnection[] members = new HubConnection[4];
  private final Map<HubConnection, Integer> positions = new HashMap<>();
  private int size;
  /** Would-be members of a room with history, waiting for their place in its order: the room stays open for them. */
  int attaching;
  private boolean delivering;
  private List<HubConnection> removedWhileDelivering;

  RoomMembers(MessageConsumer<BusMessage> consumer, Future<Void> ready) {
    this.consumer = consumer;
    this.ready = ready;
  }

  /** @return completed once messages published to the room anywhere in the cluster reach this shard */
  Future<Void> ready() {
    return ready;
  }

  int size() {
    return size;
  }

  /** @return whether nobody is, or is about to be, a member */
  boolean isEmpty() {
    return size == 0 && attaching == 0;
  }

  boolean contains(HubConnection c) {
    return positions.containsKey(c);
  }

  void add(HubConnection c) {
    if (positions.containsKey(c)) {
      return;
    }
    if (size == members.length) {
      members = Arrays.copyOf(members, size * 2);
    }
    positions.put(c, size);
    members[size++] = c;
  }

  void remove(HubConnection c) {
    if (delivering) {
      // Never reorder the array under a fan-out loop.
      if (removedWhileDelivering == null) {
        removedWhileDelivering = new ArrayList<>();
      }
      removedWhileDelivering.add(c);
      return;
    }
    Integer at = positions.remove(c);
    if (at == null) {
      return;
    }
    HubConnection last = members[--size];
    members[size] = null;
    if (last != c) {
      members[at] = last;
      positions.put(last, at);
    }
  }

  /**
   * Writes a message to every member but one.
   *
   * @param delivery the message
   * @param excluded the member left out, or {@code null}
   * @param earlyFlush whether to flush the first members as the loop goes on
   */
  void deliver(RoomDelivery delivery, HubConnection excluded, EarlyFlush earlyFlush) {
    delivering = true;
    WireFrames wire = new WireFrames(delivery);
    try {
      HubConnection[] array = members;
      int n = size;
      boolean early = earlyFlush.worthIt(n);
      int flushedUpTo = 0;
      for (int i = 0; i < n; i++) {
        HubConnection c = array[i];
        if (c != excluded) {
          c.deliver(delivery, wire);
        }
        if (early && i + 1 - flushedUpTo == EarlyFlush.CHUNK) {
          for (int j = flushedUpTo; j <= i; j++) {
            array[j].flushNow();
          }
          flushedUpTo = i + 1;
        }
      }
    } finally {
      wire.release();
      delivering = false;
      if (removedWhileDelivering != null) {
        List<HubConnection> removed = removedWhileDelivering;
        removedWhileDelivering = null;
        removed.forEach(this::remove);
      }
    }
  }

  /** @return the members' ids */
  List<String> memberIds() {
    List<String> ids = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      ids.add(members[i].id());
    }
    return ids;
  }

  /** Stops receiving the room's messages. */
  Future<Void> unregister() {
    return consumer.unregister();
  }
}
