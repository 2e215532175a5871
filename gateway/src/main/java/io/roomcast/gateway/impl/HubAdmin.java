package io.roomcast.gateway.impl;

import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.RoomInfo;
import io.roomcast.gateway.impl.codec.Names;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cluster-wide questions of the management API about one hub. Unlike the hub API, every
 * answer says which live nodes did not answer in time ({@link ClusterAnswer#missing()}).
 */
public final class HubAdmin {

  private final HubImpl hub;

  private HubAdmin(HubImpl hub) {
    this.hub = hub;
  }

  /**
   * @param hub a hub of a gateway made by {@code Gateway.create}
   * @return its admin view
   */
  public static HubAdmin of(Hub hub) {
    return new HubAdmin((HubImpl) hub);
  }

  /** @return the hub's name */
  public String hub() {
    return hub.name();
  }

  /** @return the hub's path */
  public String path() {
    return hub.settings().getPath();
  }

  /** @return the largest message the hub accepts, in bytes */
  public int maxMessageSize() {
    return hub.settings().getMaxMessageSize();
  }

  /**
   * @return every live node: {@code node}, the fields the node describes itself with
   *     ({@code address}, {@code management}), this hub's {@code connections} and {@code rooms} on
   *     it, {@code startedAt}, {@code uptimeMs}, {@code draining}, and {@code self} for the node
   *     that answers; sorted by node id
   */
  public Future<ClusterAnswer<JsonArray>> nodes() {
    String self = hub.gateway().nodeId();
    return hub.queries().gatherAll(new JsonObject().put("op", "info")).map(g -> {
      List<JsonObject> nodes = new ArrayList<>(g.answers());
      nodes.sort(Comparator.comparing(n -> n.getString("node")));
      JsonArray array = new JsonArray();
      nodes.forEach(n -> array.add(n.put("self", self.equals(n.getString("node")))));
      return new ClusterAnswer<>(array, sorted(g.missing()));
    });
  }

  /** @return every room with members anywhere and its member count, sorted by name */
  public Future<ClusterAnswer<List<RoomInfo>>> rooms() {
    return hub.queries().gatherAll(new JsonObject().put("op", "rooms")).map(g -> {
      Map<String, Long> counts = new TreeMap<>();
      for (JsonObject answer : g.answers()) {
        answer.getJsonObject("rooms").forEach(e -> counts.merge(e.getKey(), ((Number) e.getValue()).longValue(), Long::sum));
      }
      List<RoomInfo> rooms = new ArrayList<>();
      counts.forEach((room, members) -> rooms.add(new RoomInfo(room, members)));
      return new ClusterAnswer<>(rooms, sorted(g.missing()));
    });
  }

  /**
   * @param room a valid room name
   * @return the room's members and their nodes, sorted by id
   */
  public Future<ClusterAnswer<List<ClientInfo>>> members(String room) {
    Names.requireRoom(room);
    return hub.queries().gatherAll(new JsonObject().put("op", "clients").put("room", room)).map(g -> {
      List<ClientInfo> clients = new ArrayList<>();
      for (JsonObject answer : g.answers()) {
        String node = answer.getString("node");
        answer.getJsonArray("clients").forEach(id -> clients.add(new ClientInfo((String) id, node)));
      }
      clients.sort(Comparator.comparing(ClientInfo::id));
      return new ClusterAnswer<>(clients, sorted(g.missing()));
    });
  }

  /**
   * @param room a valid room name
   * @return how many members the room has, cluster-wide
   */
  public Future<ClusterAnswer<Long>> size(String room) {
    Names.requireRoom(room);
    return hub.queries().gatherAll(new JsonObject().put("op", "size").put("room", room)).map(g -> {
      long members = g.answers().stream().mapToLong(a -> a.getLong("members", 0L)).sum();
      return new ClusterAnswer<>(members, sorted(g.missing()));
    });
  }

  /**
   * @return the hub's counters: the cluster's totals at the top level ({@code rooms} there counts
   *     distinct rooms), and each node's under {@code nodes}
   */
  public Future<ClusterAnswer<JsonObject>> stats() {
    return hub.queries().gatherAll(new JsonObject().put("op", "stats").put("roomNames", true)).map(g -> {
      List<JsonObject> nodes = new ArrayList<>(g.answers());
      nodes.sort(Comparator.comparing(n -> n.getString("node")));
      JsonObject total = new JsonObject();
      Set<String> rooms = new TreeSet<>();
      JsonArray perNode = new JsonArray();
      for (JsonObject node : nodes) {
        JsonArray names = (JsonArray) node.remove("roomNames");
        if (names != null) {
          names.forEach(n -> rooms.add((String) n));
        }
        sum(total, node);
        perNode.add(node);
      }
      total.remove("node");
      total.put("rooms", rooms.size());
      JsonObject stats = new JsonObject().put("hub", hub.name()).put("path", path()).mergeIn(total).put("nodes", perNode);
      return new ClusterAnswer<>(stats, sorted(g.missing()));
    });
  }

  /** Adds a node's numbers into the totals, nested objects field by field. */
  private static void sum(JsonObject total, JsonObject node) {
    node.forEach(e -> {
      Object v = e.getValue();
      if (v instanceof Number) {
        Object t = total.getValue(e.getKey());
        total.put(e.getKey(), (t instanceof Number ? ((Number) t).longValue() : 0L) + ((Number) v).longValue());
      } else if (v instanceof JsonObject) {
        JsonObject nested = total.getJsonObject(e.getKey());
        if (nested == null) {
          nested = new JsonObject();
          total.put(e.getKey(), nested);
        }
        sum(nested, (JsonObject) v);
      }
    });
  }

  private static List<String> sorted(List<String> nodes) {
    List<String> copy = new ArrayList<>(nodes);
    copy.sort(null);
    return copy;
  }
}
