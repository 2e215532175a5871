package io.roomcast.gateway.impl;

import io.roomcast.gateway.AuthorizerOptions;
import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.RoomcastException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Asks the services named by the hub option {@code authorizers} to decide joins and publishes in
 * their rooms (docs/SERVICES.md): {@code {"action":"join"|"publish","hub","room","event","client":{...}}}
 * to the rule's address, or POSTed to its URL; only {@code {"allow":true}} in time (with a 2xx
 * status over HTTP) allows. Denial is the failure mode: a refusal, a failure, no service and no
 * answer in time all deny, with {@code forbidden}.
 */
final class ServiceAuthorizer {

  private final String hub;
  private final List<Rule> rules = new ArrayList<>();

  /** An authorizer, compiled. */
  private record Rule(RoomPattern rooms, AuthorizerOptions options, DecidingService service) {
  }

  ServiceAuthorizer(String hub, EventBus bus, HttpServiceProxy http, HubOptions options) {
    this.hub = hub;
    for (AuthorizerOptions a : options.getAuthorizers()) {
      rules.add(new Rule(RoomPattern.compile(a.getRooms()), a, new DecidingService(hub, bus, http, options, a)));
    }
  }

  /** @return whether a service decides this room's joins and publishes */
  boolean decides(String room) {
    return rule(room) != null;
  }

  /**
   * @param event the event published, {@code null} for a join
   * @return completed when allowed (at once when no service decides the room); failed with
   *     {@link ErrorCode#FORBIDDEN} otherwise
   */
  Future<Void> decide(HubConnection c, String action, String room, String event) {
    Rule rule = rule(room);
    if (rule == null) {
      return Future.succeededFuture();
    }
    JsonObject body = new JsonObject().put("action", action).put("hub", hub).put("room", room);
    if (event != null) {
      body.put("event", event);
    }
    body.put("client", ServiceBodies.client(c, rule.options.getClaims()));
    String denied = "not allowed to " + action + " in \"" + room + "\": ";
    return rule.service.ask(body).transform(ar -> {
      if (ar.succeeded() && ar.result() instanceof JsonObject answer && Boolean.TRUE.equals(answer.getValue("allow"))) {
        return Future.succeededFuture();
      }
      String why = ar.succeeded() ? rule.service.name() + " did not allow it" : ar.cause().getMessage();
      return Future.failedFuture(new RoomcastException(ErrorCode.FORBIDDEN, denied + why));
    });
  }

  private Rule rule(String room) {
    for (Rule r : rules) {
      if (r.rooms.matches(room)) {
        return r;
      }
    }
    return null;
  }
}
