package io.roomcast.gateway.impl;

import io.roomcast.gateway.Hub;
import io.roomcast.gateway.HistoryOptions;
import io.roomcast.gateway.impl.history.HistoryStore;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of a hub's rooms keep a history (PROTOCOL.md, section 6), and where it is stored: the first rule whose pattern matches a room applies; the root room never keeps
 * one (it is every client's, and its messages are broadcasts).
 */
final class HistoryRooms {

  private record Rule(RoomPattern pattern, HistoryOptions options) {
  }

  private final List<Rule> rules = new ArrayList<>();
  private final HistoryStore store;

  /**
   * @param options the hub's rules
   * @param store where the histories live, {@code null} when no rule exists
   */
  HistoryRooms(List<HistoryOptions> options, HistoryStore store) {
    options.forEach(o -> rules.add(new Rule(RoomPattern.compile(o.getRoom()), o)));
    this.store = store;
  }

  boolean isEmpty() {
    return rules.isEmpty();
  }

  /** @return the rule of a room, {@code null} when it keeps no history */
  HistoryOptions ruleOf(String room) {
    if (rules.isEmpty() || Hub.ROOT.equals(room)) {
      return null;
    }
    for (Rule r : rules) {
      if (r.pattern.matches(room)) {
        return r.options;
      }
    }
    return null;
  }

  HistoryStore store() {
    return store;
  }

  void close() {
    if (store != null) {
      store.close();
    }
  }
}
