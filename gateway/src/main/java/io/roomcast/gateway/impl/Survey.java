package io.roomcast.gateway.impl;

import io.roomcast.gateway.impl.bus.Addresses;
import io.roomcast.gateway.impl.bus.Question;
import io.roomcast.gateway.internal.ClusterAnswer;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Asks every live node's mailbox one question and gathers the answers, within the request
 * timeout: scatter-gather, as centrifuge's {@code Survey}. A node that died answers nothing, so its
 * connections drop out of every answer without any clean-up; a live node that did not answer in
 * time is named in the answer's {@link ClusterAnswer#missing()}.
 */
final class Survey {

  private final EventBus bus;
  private final Addresses addresses;
  private final String self;
  private final Supplier<? extends Iterable<String>> liveNodes;
  private final Function<Question, Future<JsonObject>> localAnswer;
  private final DeliveryOptions requestOptions;

  /**
   * @param liveNodes the live nodes, this one included
   * @param localAnswer this node's answer, given without the event bus
   */
  Survey(EventBus bus, Addresses addresses, String self, Supplier<? extends Iterable<String>> liveNodes,
      Function<Question, Future<JsonObject>> localAnswer, DeliveryOptions requestOptions) {
    this.bus = bus;
    this.addresses = addresses;
    this.self = self;
    this.liveNodes = liveNodes;
    this.localAnswer = localAnswer;
    this.requestOptions = requestOptions;
  }

  /**
   * A node with no mailbox (it left, or is closing) has no connections to report and is not
   * missing; a node that failed or did not answer within the request timeout is.
   *
   * @return every answer, and the live nodes that gave none, sorted
   */
  Future<ClusterAnswer<List<JsonObject>>> ask(Question question) {
    List<String> nodes = new ArrayList<>();
    liveNodes.get().forEach(nodes::add);
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (String node : nodes) {
      answers.add(node.equals(self)
        ? localAnswer.apply(question)
        : bus.<JsonObject>request(addresses.node(node), question, requestOptions).map(Message::body));
    }
    return Future.join(answers).transform(done -> {
      List<JsonObject> answered = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        Future<JsonObject> f = answers.get(i);
        if (f.succeeded()) {
          answered.add(f.result());
        } else if (!(f.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS)) {
          missing.add(nodes.get(i));
        }
      }
      missing.sort(null);
      return Future.succeededFuture(new ClusterAnswer<>(answered, missing));
    });
  }
}
