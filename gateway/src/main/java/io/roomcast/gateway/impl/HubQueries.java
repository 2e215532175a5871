package io.roomcast.gateway.impl;

import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.RoomInfo;
import io.roomcast.gateway.impl.bus.Question;
import io.roomcast.gateway.internal.ClusterAnswer;
import io.roomcast.gateway.internal.HubAdmin;
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
 * A hub's cluster-wide questions, each a {@link Survey} of the live nodes whose answers are
 * combined here. The hub API passes on the combined value; the management API also learns which
 * live nodes did not answer in time, so that it can say so instead of passing a partial answer off
 * as the whole.
 */
final class HubQueries implements HubAdmin {

  private final String hubName;
  private final String path;
  private final String self;
  private final Survey survey;

  HubQueries(String hubName, String path, String self, Survey survey) {
    this.hubName = hubName;
    this.path = path;
    this.self = self;
    this.survey = survey;
  }

  @Override
  public Future<ClusterAnswer<JsonArray>> nodes() {
    return survey.ask(new Question.Info()).map(a -> a.map(answers -> {
      JsonArray nodes = new JsonArray();
      byNode(answers).forEach(n -> nodes.add(n.put("self", self.equals(n.getString("node")))));
      return nodes;
    }));
  }

  @Override
  public Future<ClusterAnswer<List<RoomInfo>>> rooms() {
    return survey.ask(new Question.Rooms()).map(a -> a.map(answers -> {
      Map<String, Long> counts = new TreeMap<>();
      for (JsonObject answer : answers) {
        answer.getJsonObject("rooms").forEach(e -> counts.merge(e.getKey(), ((Number) e.getValue()).longValue(), Long::sum));
      }
      List<RoomInfo> rooms = new ArrayList<>();
      counts.forEach((room, members) -> rooms.add(new RoomInfo(room, members)));
      return rooms;
    }));
  }

  @Override
  public Future<ClusterAnswer<List<ClientInfo>>> members(String room) {
    return survey.ask(new Question.Clients(room)).map(a -> a.map(HubQueries::clientsByNode));
  }

  /** @return the clients every node named under {@code clients}, sorted by id */
  private static List<ClientInfo> clientsByNode(List<JsonObject> answers) {
    List<ClientInfo> clients = new ArrayList<>();
    for (JsonObject answer : answers) {
      String node = answer.getString("node");
      answer.getJsonArray("clients").forEach(id -> clients.add(new ClientInfo((String) id, node)));
    }
    clients.sort(Comparator.comparing(ClientInfo::id));
    return clients;
  }

  @Override
  public Future<ClusterAnswer<Long>> size(String room) {
    return survey.ask(new Question.Size(room))
      .map(a -> a.map(answers -> answers.stream().mapToLong(n -> n.getLong("members", 0L)).sum()));
  }

  @Override
  public Future<ClusterAnswer<List<ClientInfo>>> connectionsOf(String user) {
    return survey.ask(new Question.UserConnections(user)).map(a -> a.map(HubQueries::clientsByNode));
  }

  @Override
  public Future<ClusterAnswer<Long>> kickUser(String user) {
    return survey.ask(new Question.KickUser(user))
      .map(a -> a.map(answers -> answers.stream().mapToLong(n -> n.getLong("kicked", 0L)).sum()));
  }

  /** @return the hub's connections, cluster-wide */
  Future<ClusterAnswer<Long>> count() {
    return survey.ask(new Question.Count())
      .map(a -> a.map(answers -> answers.stream().mapToLong(n -> n.getLong("count", 0L)).sum()));
  }

  @Override
  public Future<ClusterAnswer<JsonObject>> stats() {
    return survey.ask(new Question.Stats(true)).map(a -> a.map(answers -> {
      JsonObject total = new JsonObject();
      Set<String> rooms = new TreeSet<>();
      JsonArray perNode = new JsonArray();
      for (JsonObject node : byNode(answers)) {
        JsonArray names = (JsonArray) node.remove("roomNames");
        if (names != null) {
          names.forEach(n -> rooms.add((String) n));
        }
        sum(total, node);
        perNode.add(node);
      }
      total.remove("node");
      total.put("rooms", rooms.size());
      return new JsonObject().put("hub", hubName).put("path", path).mergeIn(total).put("nodes", perNode);
    }));
  }

  private static List<JsonObject> byNode(List<JsonObject> answers) {
    List<JsonObject> sorted = new ArrayList<>(answers);
    sorted.sort(Comparator.comparing(n -> n.getString("node")));
    return sorted;
  }

  /** Adds a node's numbers into the totals, nested objects field by field. */
  private static void sum(JsonObject total, JsonObject node) {
    node.forEach(e -> {
      Object v = e.getValue();
      if (v instanceof Number n) {
        Object t = total.getValue(e.getKey());
        total.put(e.getKey(), (t instanceof Number tn ? tn.longValue() : 0L) + n.longValue());
      } else if (v instanceof JsonObject nested) {
        JsonObject sum = total.getJsonObject(e.getKey());
        if (sum == null) {
          sum = new JsonObject();
          total.put(e.getKey(), sum);
        }
        sum(sum, nested);
      }
    });
  }
}
