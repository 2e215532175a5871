package io.roomcast.gateway.impl;

import io.roomcast.gateway.AuthorizerOptions;
import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.RoomcastException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
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
  private final EventBus bus;
  private final HttpServiceProxy http;
  private final List<Rule> rules = new ArrayList<>();

  /** An authorizer, compiled; {@code backend} is {@code null} for one on the event bus. */
  private record Rule(RoomPattern rooms, AuthorizerOptions options, DeliveryOptions delivery, HttpServiceProxy.Target backend) {
  }

  ServiceAuthorizer(String hub, EventBus bus, HttpServiceProxy http, HubOptions options) {
    this.hub = hub;
    this.bus = bus;
    this.http = http;
    for (AuthorizerOptions a : options.getAuthorizers()) {
      rules.add(new Rule(RoomPattern.compile(a.getRooms()), a, new DeliveryOptions().setSendTimeout(a.getTimeout())
        .addHeader("roomcast-hub", hub), a.getUrl() == null ? null : new HttpServiceProxy.Target(options, a)));
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
    if (rule.backend != null) {
      return http.post(rule.backend, body).transform(ar -> {
        if (ar.succeeded() && ar.result().statusCode() / 100 == 2 && allows(ar.result().body())) {
          return Future.succeededFuture();
        }
        String why = ar.succeeded() ? "the service at " + rule.backend.url + " did not allow it (HTTP " + ar.result().statusCode() + ")"
          : HttpServiceProxy.failure(rule.backend, ar.cause());
        return Future.failedFuture(new RoomcastException(ErrorCode.FORBIDDEN, denied + why));
      });
    }
    return bus.<Object>request(rule.options.getAddress(), body, rule.delivery).transform(ar -> {
      if (ar.succeeded() && ar.result().body() instanceof JsonObject answer && Boolean.TRUE.equals(answer.getValue("allow"))) {
        return Future.succeededFuture();
      }
      String why = ar.succeeded() ? "the service at " + rule.options.getAddress() + " did not allow it"
        : "the service at " + rule.options.getAddress() + " denied it: " + ar.cause().getMessage();
      return Future.failedFuture(new RoomcastException(ErrorCode.FORBIDDEN, denied + why));
    });
  }

  /** @return whether an HTTP answer's body is {@code {"allow":true}} */
  private static boolean allows(Buffer body) {
    try {
      return body != null && Json.decodeValue(body) instanceof JsonObject answer && Boolean.TRUE.equals(answer.getValue("allow"));
    } catch (DecodeException e) {
      return false;
    }
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
