package io.roomcast.gateway.impl;

import io.roomcast.gateway.Presence;
import io.roomcast.gateway.PresenceMember;
import io.roomcast.gateway.impl.bus.PresenceChange;
import io.roomcast.gateway.impl.bus.PresenceEntry;
import io.roomcast.gateway.impl.bus.PresenceSnapshot;
import io.roomcast.gateway.impl.bus.RoomDelivery;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * This node's replica of the rosters of the presence rooms of one relay partition, on the
 * partition's event loop (docs/CLUSTER.md, "Presence"). Each node is the authority on its own
 * connections: it applies their changes here at once and publishes them, numbered, for the other
 * nodes' replicas. A replica follows each other node's numbered changes, asks that node for a
 * snapshot when it meets one it cannot place (a newcomer, a gap), and drops everything of a node
 * that is gone, announcing a {@code left} for each of its members to the members here.
 */
final class PartitionPresence {

  private final HubImpl hub;
  private final int partition;
  private final String self;
  /** Publishes one of this node's changes to the other nodes. */
  private final Consumer<PresenceChange> publisher;
  private final Map<String, RoomRoster> rooms = new HashMap<>();
  private final Map<String, Origin> origins = new HashMap<>();
  /** Nodes taken for gone: whatever still arrives from them is late, and would bring ghosts back. */
  private final Set<String> gone = new HashSet<>();
  private long seq;

  PartitionPresence(HubImpl hub, int partition, Consumer<PresenceChange> publisher) {
    this.hub = hub;
    this.partition = partition;
    this.self = hub.gateway().nodeId();
    this.publisher = publisher;
  }

  /** What this replica knows of another node's changes in this partition. */
  private static final class Origin {
    long seq;
    boolean synced;
    boolean syncing;
    final List<PresenceChange> pending = new ArrayList<>();
  }

  /** One room's roster: its connections, how many of them each user has, and their JSON's size. */
  private static final class RoomRoster {
    final Map<String, Member> members = new LinkedHashMap<>();
    final Map<String, Integer> users = new HashMap<>();
    int jsonBytes;
  }

  /**
   * A connection in a roster: where it is, its info decoded once for the Java API, and its entry
   * of a {@code presence} answer encoded once, so that a list of thousands is a copy of bytes.
   */
  private record Member(PresenceEntry entry, String node, Object info, byte[] json) {
  }

  // ---- this node's own connections ----

  /** A connection of this node joined a presence room. */
  void localJoined(PresenceEntry entry) {
    PresenceChange change = new PresenceChange(self, ++seq, true, entry);
    apply(change);
    publisher.accept(change);
  }

  /** A connection of this node left a presence room, or closed. */
  void localLeft(String room, String client, String user) {
    PresenceChange change = new PresenceChange(self, ++seq, false, new PresenceEntry(room, client, user, null));
    apply(change);
    publisher.accept(change);
  }

  /** @return this node's own connections in this partition's presence rooms, and the number of its last change */
  PresenceSnapshot snapshot() {
    List<PresenceEntry> own = new ArrayList<>();
    rooms.values().forEach(r -> r.members.values().forEach(m -> {
      if (m.node.equals(self)) {
        own.add(m.entry);
      }
    }));
    return new PresenceSnapshot(self, partition, seq, own);
  }

  // ---- the other nodes ----

  /** Another node's change, in the order that node published it. */
  void onChange(PresenceChange change) {
    String node = change.origin();
    if (node.equals(self) || gone.contains(node)) {
      return;
    }
    Origin o = origins.computeIfAbsent(node, n -> new Origin());
    if (o.syncing) {
      o.pending.add(change);
    } else if (o.synced && change.seq() <= o.seq) {
      // Already in the snapshot this replica holds.
    } else if (o.synced && change.seq() == o.seq + 1) {
      apply(change);
      o.seq = change.seq();
    } else {
      // A node met for the first time, or a change missed: only a snapshot can tell what it holds.
      o.pending.add(change);
      beginSync(node, o);
    }
  }

  /** The other node answered this node's request for what it holds. */
  void onSnapshot(PresenceSnapshot snapshot) {
    String node = snapshot.origin();
    if (node.equals(self) || gone.contains(node)) {
      return;
    }
    Origin o = origins.computeIfAbsent(node, n -> new Origin());
    if (snapshot.seq() < o.seq || (o.synced && !o.syncing && snapshot.seq() == o.seq)) {
      // Older than what this replica applied (an earlier request's): the next snapshot will do.
      return;
    }
    Map<String, PresenceEntry> held = new HashMap<>();
    snapshot.entries().forEach(e -> held.put(key(e.room(), e.client()), e));
    // What the node no longer holds left; what it holds and this replica lacks joined.
    for (PresenceEntry mine : entriesOf(node)) {
      if (held.remove(key(mine.room(), mine.client())) == null) {
        apply(new PresenceChange(node, 0, false, mine));
      }
    }
    held.values().forEach(e -> apply(new PresenceChange(node, 0, true, e)));
    o.seq = snapshot.seq();
    o.synced = true;
    o.syncing = false;
    List<PresenceChange> pending = new ArrayList<>(o.pending);
    o.pending.clear();
    pending.sort(Comparator.comparingLong(PresenceChange::seq));
    pending.forEach(this::onChange);
  }

  /** The node directory heard from a node that was gone, or from a newcomer: its snapshot is on its way. */
  void appeared(String node) {
    gone.remove(node);
    if (!node.equals(self)) {
      Origin o = origins.computeIfAbsent(node, n -> new Origin());
      o.syncing = true;
    }
  }

  /** A node is gone: its members leave every roster here, and the members here hear of it. */
  void disappeared(String node) {
    if (node.equals(self)) {
      return;
    }
    gone.add(node);
    origins.remove(node);
    entriesOf(node).forEach(e -> apply(new PresenceChange(node, 0, false, e)));
  }

  /** A request for the node's snapshot failed: its changes are applied as they come until the next try. */
  void syncFailed(String node) {
    Origin o = origins.get(node);
    if (o != null && o.syncing) {
      o.syncing = false;
    }
  }

  private void beginSync(String node, Origin o) {
    if (!o.syncing) {
      o.syncing = true;
      hub.presenceSync().request(node);
    }
  }

  // ---- queries ----

  /**
   * @param countOnly whether to leave the member list out
   * @return the room's roster as this replica holds it: every node's connections
   */
  Presence query(String room, boolean countOnly) {
    RoomRoster r = rooms.get(room);
    if (r == null) {
      return new Presence(room, 0, 0, countOnly ? null : List.of());
    }
    List<PresenceMember> members = null;
    if (!countOnly) {
      members = new ArrayList<>(r.members.size());
      for (Member m : r.members.values()) {
        members.add(new PresenceMember(m.entry.client(), m.node, m.entry.user(), m.info));
      }
    }
    return new Presence(room, r.members.size(), r.users.size(), members);
  }

  /**
   * @return the {@code presence} answer's data as JSON, {@code {"room":R,"count":C,"users":K,"members":[...]}},
   *     without the list when {@code countOnly}: what a full list of thousands costs is a copy of
   *     their entries, each encoded when it joined
   */
  Buffer answer(String room, boolean countOnly) {
    RoomRoster r = rooms.get(room);
    int count = r == null ? 0 : r.members.size();
    Buffer json = Buffer.buffer(64 + room.length() + (countOnly || r == null ? 0 : r.jsonBytes + count))
      .appendString("{\"room\":").appendString(Json.encode(room))
      .appendString(",\"count\":").appendString(Integer.toString(count))
      .appendString(",\"users\":").appendString(Integer.toString(r == null ? 0 : r.users.size()));
    if (!countOnly) {
      json.appendString(",\"members\":[");
      if (r != null) {
        boolean first = true;
        for (Member m : r.members.values()) {
          if (!first) {
            json.appendByte((byte) ',');
          }
          first = false;
          json.appendBytes(m.json);
        }
      }
      json.appendByte((byte) ']');
    }
    return json.appendByte((byte) '}');
  }

  // ---- applying a change ----

  /** Changes the roster and tells this node's members of the room, unless nothing changed. */
  private void apply(PresenceChange change) {
    PresenceEntry e = change.entry();
    String node = change.origin();
    if (change.joined()) {
      RoomRoster r = rooms.computeIfAbsent(e.room(), room -> new RoomRoster());
      Object info = decode(e.info());
      byte[] json = new PresenceMember(e.client(), node, e.user(), info).toJson().toBuffer().getBytes();
      Member previous = r.members.put(e.client(), new Member(e, node, info, json));
      r.jsonBytes += json.length - (previous == null ? 0 : previous.json.length);
      if (previous != null) {
        return;
      }
      if (e.user() != null) {
        r.users.merge(e.user(), 1, Integer::sum);
      }
      hub.stats().presenceJoined(e.user() != null && r.users.get(e.user()) == 1);
      announce(e.room(), e.client(), new JsonObject().put("joined", e.client()).put("user", e.user()).put("info", info));
    } else {
      RoomRoster r = rooms.get(e.room());
      Member removed = r == null ? null : r.members.remove(e.client());
      if (removed == null) {
        return;
      }
      r.jsonBytes -= removed.json.length;
      String user = removed.entry.user();
      boolean lastOfUser = false;
      if (user != null) {
        lastOfUser = r.users.merge(user, -1, Integer::sum) == 0;
        if (lastOfUser) {
          r.users.remove(user);
        }
      }
      if (r.members.isEmpty()) {
        rooms.remove(e.room());
      }
      hub.stats().presenceLeft(lastOfUser);
      announce(e.room(), e.client(), new JsonObject().put("left", e.client()).put("user", user));
    }
  }

  private void announce(String room, String client, JsonObject data) {
    if (!hub.presenceEventsEnabled(room)) {
      return;
    }
    // Absent, not null, when there is no user or info (PROTOCOL.md section 7).
    data.getMap().values().removeIf(v -> v == null);
    hub.relay().handOn(new RoomDelivery(room, "presence", null, client, data.toBuffer(), false));
    hub.stats().presenceAnnounced();
  }

  private List<PresenceEntry> entriesOf(String node) {
    List<PresenceEntry> entries = new ArrayList<>();
    rooms.values().forEach(r -> r.members.values().forEach(m -> {
      if (m.node.equals(node)) {
        entries.add(m.entry);
      }
    }));
    return entries;
  }

  private static String key(String room, String client) {
    return room + '\n' + client;
  }

  private static Object decode(String info) {
    return info == null ? null : Json.decodeValue(info);
  }
}
