package io.roomcast.gateway.impl;

import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.RoomInfo;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
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
 * The hub's node address: cluster-wide questions about a hub, scatter-gather: each live node is asked at its own address
 * and answers for its own connections, within the request timeout. A node that died answers
 * nothing, so its connections drop out of every answer without any clean-up.
 *
 * <p>The hub API ({@code rooms()}, {@code clients()}, {@code count()}) answers with what the nodes
 * that answered said. The management API asks through {@link #gatherAll} and learns which live
 * nodes did not answer in time, so that it can say so instead of passing a partial answer off as
 * the whole.
 */
final class ClusterQueries {

  /** What the live nodes answered, and the live nodes that did not answer in time. */
  record Gathered(List<JsonObject> answers, List<String> missing) {
  }

  private final HubImpl hub;
  private MessageConsumer<JsonObject> consumer;

  ClusterQueries(HubImpl hub) {
    this.hub = hub;
  }

  Future<Void> start() {
    consumer = hub.eventBus().consumer(hub.addresses().node(hub.gateway().nodeId()), this::onQuestion);
    return consumer.completion();
  }

  Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  Future<List<RoomInfo>> rooms() {
    return gather(new JsonObject().put("op", "rooms")).map(answers -> {
      Map<String, Long> counts = new TreeMap<>();
      for (JsonObject answer : answers) {
        answer.getJsonObject("rooms").forEach(e -> counts.merge(e.getKey(), ((Number) e.getValue()).longValue(), Long::sum));
      }
      List<RoomInfo> rooms = new ArrayList<>();
      counts.forEach((room, members) -> rooms.add(new RoomInfo(room, members)));
      return rooms;
    });
  }

  Future<List<ClientInfo>> clients(String room) {
    return gather(new JsonObject().put("op", "clients").put("room", room)).map(answers -> {
      List<ClientInfo> clients = new ArrayList<>();
      for (JsonObject answer : answers) {
        String node = answer.getString("node");
        answer.getJsonArray("clients").forEach(id -> clients.add(new ClientInfo((String) id, node)));
      }
      clients.sort(Comparator.comparing(ClientInfo::id));
      return clients;
    });
  }

  Future<Long> count() {
    return gather(new JsonObject().put("op", "count"))
      .map(answers -> answers.stream().mapToLong(a -> a.getLong("count")).sum());
  }

  private Future<List<JsonObject>> gather(JsonObject question) {
    return gatherAll(question).map(Gathered::answers);
  }

  /**
   * Asks every live node. A node with no consumer at its address (it left, or is closing) has
   * no connections to report and is not missing; a node that failed or did not answer within the
   * request timeout is.
   */
  Future<Gathered> gatherAll(JsonObject question) {
    String self = hub.gateway().nodeId();
    List<String> nodes = new ArrayList<>(hub.gateway().directory().liveNodes());
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (String node : nodes) {
      answers.add(node.equals(self)
        ? answer(question)
        : hub.eventBus().<JsonObject>request(hub.addresses().node(node), question, hub.requestOptions()).map(Message::body));
    }
    return Future.join(answers).transform(done -> {
      List<JsonObject> list = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        Future<JsonObject> f = answers.get(i);
        if (f.succeeded()) {
          list.add(f.result());
        } else if (!(f.cause() instanceof ReplyException && ((ReplyException) f.cause()).failureType() == ReplyFailure.NO_HANDLERS)) {
          missing.add(nodes.get(i));
        }
      }
      return Future.succeededFuture(new Gathered(list, missing));
    });
  }

  private void onQuestion(Message<JsonObject> msg) {
    String op = msg.body().getString("op", "");
    if (op.equals("probe")) {
      hub.confirmer().onProbeRequest(msg.body());
      msg.reply(null);
      return;
    }
    if (op.equals("probe-seen")) {
      hub.confirmer().onProbeSeen(msg.body());
      return;
    }
    answer(msg.body()).onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        msg.fail(500, ar.cause().getMessage());
      }
    });
  }

  /** This node's answer, gathered from its shards on their own event loops. */
  Future<JsonObject> answer(JsonObject question) {
    String op = question.getString("op", "");
    JsonObject answer = new JsonObject().put("node", hub.gateway().nodeId());
    List<HubShard> shards = hub.shards();
    switch (op) {
      case "rooms": {
        List<Future<Map<String, Integer>>> parts = new ArrayList<>();
        shards.forEach(s -> parts.add(s.call(HubShard::roomCounts)));
        return Future.all(parts).map(all -> {
          Map<String, Integer> counts = new TreeMap<>();
          parts.forEach(p -> p.result().forEach((room, n) -> counts.merge(room, n, Integer::sum)));
          JsonObject rooms = new JsonObject();
          counts.forEach(rooms::put);
          return answer.put("rooms", rooms);
        });
      }
      case "clients": {
        String room = question.getString("room");
        List<Future<List<String>>> parts = new ArrayList<>();
        shards.forEach(s -> parts.add(s.call(shard -> shard.members(room))));
        return Future.all(parts).map(all -> {
          JsonArray ids = new JsonArray();
          parts.forEach(p -> p.result().forEach(ids::add));
          return answer.put("clients", ids);
        });
      }
      case "count": {
        List<Future<Integer>> parts = new ArrayList<>();
        shards.forEach(s -> parts.add(s.call(HubShard::connectionCount)));
        return Future.all(parts).map(all -> answer.put("count", parts.stream().mapToLong(Future::result).sum()));
      }
      case "size": {
        String room = question.getString("room");
        List<Future<Integer>> parts = new ArrayList<>();
        shards.forEach(s -> parts.add(s.call(shard -> shard.members(room).size())));
        return Future.all(parts).map(all -> answer.put("members", parts.stream().mapToLong(Future::result).sum()));
      }
      case "info":
        return Future.succeededFuture(info(answer));
      case "stats": {
        answer.mergeIn(hub.stats().toJson());
        if (!question.getBoolean("roomNames", false)) {
          return Future.succeededFuture(answer);
        }
        List<Future<Map<String, Integer>>> parts = new ArrayList<>();
        shards.forEach(s -> parts.add(s.call(HubShard::roomCounts)));
        return Future.all(parts).map(all -> {
          Set<String> names = new TreeSet<>();
          parts.forEach(p -> names.addAll(p.result().keySet()));
          return answer.put("roomNames", new JsonArray(new ArrayList<>(names)));
        });
      }
      default:
        return Future.failedFuture("unknown question " + op);
    }
  }

  private JsonObject info(JsonObject answer) {
    GatewayImpl gateway = hub.gateway();
    long startedAt = gateway.directory().startedAt();
    answer.mergeIn(gateway.nodeInfo());
    return answer
      .put("connections", hub.stats().connections())
      .put("rooms", hub.stats().rooms())
      .put("startedAt", startedAt)
      .put("uptimeMs", Math.max(0, System.currentTimeMillis() - startedAt))
      .put("draining", gateway.isDraining());
  }
}
