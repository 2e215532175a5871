package io.roomcast.gateway.impl;

import io.roomcast.gateway.impl.bus.BusMessage;
import io.roomcast.gateway.impl.bus.Question;
import io.roomcast.gateway.impl.bus.Unreadable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A hub's mailbox on one node: it answers the cluster-wide {@link Question}s for this node's own
 * connections, gathered from the hub's shards on their event loops.
 */
final class NodeMailbox {

  private final HubImpl hub;
  private MessageConsumer<BusMessage> consumer;

  NodeMailbox(HubImpl hub) {
    this.hub = hub;
  }

  Future<Void> start() {
    consumer = hub.eventBus().consumer(hub.addresses().node(hub.gateway().nodeId()), this::onQuestion);
    return consumer.completion();
  }

  Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void onQuestion(Message<BusMessage> msg) {
    if (!(msg.body() instanceof Question question)) {
      msg.fail(ReplyFailure.RECIPIENT_FAILURE.toInt(), msg.body() instanceof Unreadable ? "unreadable message" : "not a question");
      return;
    }
    answer(question).onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        msg.fail(ReplyFailure.RECIPIENT_FAILURE.toInt(), ar.cause().getMessage());
      }
    });
  }

  /** @return this node's answer, naming the node under {@code node} */
  Future<JsonObject> answer(Question question) {
    JsonObject answer = new JsonObject().put("node", hub.gateway().nodeId());
    if (question instanceof Question.Rooms) {
      return roomCounts().map(counts -> {
        JsonObject rooms = new JsonObject();
        counts.forEach(rooms::put);
        return answer.put("rooms", rooms);
      });
    }
    if (question instanceof Question.Clients q) {
      return hub.eachShard(shard -> shard.members(q.room())).map(parts -> {
        JsonArray ids = new JsonArray();
        parts.forEach(part -> part.forEach(ids::add));
        return answer.put("clients", ids);
      });
    }
    if (question instanceof Question.Size q) {
      return hub.eachShard(shard -> shard.members(q.room()).size())
        .map(parts -> answer.put("members", parts.stream().mapToLong(Integer::longValue).sum()));
    }
    if (question instanceof Question.Count) {
      return hub.eachShard(HubShard::connectionCount)
        .map(parts -> answer.put("count", parts.stream().mapToLong(Integer::longValue).sum()));
    }
    if (question instanceof Question.Info) {
      return Future.succeededFuture(info(answer));
    }
    if (question instanceof Question.PresenceSync q) {
      return sendPresenceSnapshots(q.requester()).map(answer);
    }
    if (question instanceof Question.UserConnections q) {
      JsonArray ids = new JsonArray();
      hub.users().of(q.user()).forEach(c -> ids.add(c.id()));
      return Future.succeededFuture(answer.put("clients", ids));
    }
    if (question instanceof Question.KickUser q) {
      List<HubConnection> connections = hub.users().of(q.user());
      connections.forEach(c -> c.shard().call(s -> c.close(1008, "kicked")));
      return Future.succeededFuture(answer.put("kicked", connections.size()));
    }
    Question.Stats stats = (Question.Stats) question;
    answer.mergeIn(hub.counters().toJson());
    if (!stats.roomNames()) {
      return Future.succeededFuture(answer);
    }
    return roomCounts().map(counts -> answer.put("roomNames", new JsonArray(List.copyOf(new TreeSet<>(counts.keySet())))));
  }

  /** Each relay partition sends its snapshot of this node's presence entries to the node that asked. */
  private Future<Void> sendPresenceSnapshots(String requester) {
    if (!hub.hasPresence()) {
      return Future.succeededFuture();
    }
    if (!hub.relay().isDeployed()) {
      // Starting: the node that asked tries again shortly.
      return Future.failedFuture("the presence rosters of node " + hub.gateway().nodeId() + " are starting");
    }
    List<Future<Void>> sent = new ArrayList<>();
    for (int i = 0; i < RoomRelay.PARTITIONS; i++) {
      Promise<Void> done = Promise.promise();
      hub.relay().presence(i, p -> {
        hub.eventBus().send(hub.addresses().presence(requester), p.snapshot());
        done.complete();
      });
      sent.add(done.future());
    }
    return Future.all(sent).mapEmpty();
  }

  private Future<Map<String, Integer>> roomCounts() {
    return hub.eachShard(HubShard::roomCounts).map(parts -> {
      Map<String, Integer> counts = new TreeMap<>();
      parts.forEach(part -> part.forEach((room, n) -> counts.merge(room, n, Integer::sum)));
      return counts;
    });
  }

  private JsonObject info(JsonObject answer) {
    GatewayImpl gateway = hub.gateway();
    long startedAt = gateway.startedAt();
    return answer.mergeIn(gateway.nodeInfo())
      .put("connections", hub.counters().connections())
      .put("rooms", hub.counters().rooms())
      .put("startedAt", startedAt)
      .put("uptimeMs", Math.max(0, System.currentTimeMillis() - startedAt))
      .put("draining", gateway.isDraining());
  }
}
