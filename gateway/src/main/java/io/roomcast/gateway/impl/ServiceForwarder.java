package io.roomcast.gateway.impl;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.ServiceOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Forwards clients' custom events to services (the hub option {@code services},
 * docs/SERVICES.md): a matching event becomes a request to the rule's event-bus address, or a
 * POST to its URL ({@link HttpServiceProxy}), with a JSON body that needs no Roomcast class to
 * read, and the answer becomes the client's reply; without a request id it is a one-way send. No
 * consumer, or none in time, is {@code unavailable} within the rule's timeout.
 */
final class ServiceForwarder {

  private final String hub;
  private final EventBus bus;
  private final List<Rule> rules = new ArrayList<>();
  /** The hub's HTTP backends; {@code null} when no rule has a URL. */
  private final HttpServiceProxy http;

  /**
   * A services rule, compiled: what the dispatcher finds once per message and hands back to
   * {@link #forward}; {@code backend} is {@code null} for a rule with an event-bus address.
   */
  record Rule(RoomPattern events, ServiceOptions options, DeliveryOptions delivery, HttpServiceProxy.Target backend) {
  }

  ServiceForwarder(String hub, EventBus bus, HttpServiceProxy http, HubOptions options) {
    this.hub = hub;
    this.bus = bus;
    this.http = http;
    for (ServiceOptions s : options.getServices()) {
      rules.add(new Rule(RoomPattern.compile(s.getEvents()), s, new DeliveryOptions().setSendTimeout(s.getTimeout())
        .addHeader("roomcast-hub", hub), s.getUrl() == null ? null : new HttpServiceProxy.Target(options, s)));
    }
  }

  /** Forwards a client's event to its rule's service; the client is answered when the service answers. */
  void forward(Request request, Rule rule) {
    Envelope e = request.envelope;
    JsonObject body = body(request, rule.options);
    boolean oneWay = e.id() == null && !request.binaryOrigin;
    if (rule.backend != null) {
      http.forward(request, rule.backend, body, oneWay);
      return;
    }
    if (oneWay) {
      bus.send(rule.options.getAddress(), body, rule.delivery);
      return;
    }
    bus.request(rule.options.getAddress(), body, rule.delivery).onComplete(ar -> {
      if (ar.succeeded()) {
        request.handlerReply(ar.result().body());
      } else {
        refuse(request, rule.options, ar.cause());
      }
    });
  }

  /** @return the first rule whose pattern matches the event, or {@code null}: no service takes it */
  Rule rule(String event) {
    for (Rule r : rules) {
      if (r.events.matches(event)) {
        return r;
      }
    }
    return null;
  }

  /** {@code {"hub","event","room","to","data","encoding","id","key","client":{"id","node","user","claims"}}}, absent fields left out. */
  private JsonObject body(Request request, ServiceOptions options) {
    Envelope e = request.envelope;
    JsonObject client = ServiceBodies.client(request.connection, options.getClaims());
    JsonObject body = new JsonObject().put("hub", hub).put("event", e.event());
    if (e.room() != null) {
      body.put("room", e.room());
    }
    if (e.to() != null) {
      body.put("to", e.to());
    }
    Object data = e.payload() == null ? null : e.data();
    if (data instanceof Buffer bytes) {
      body.put("data", Base64.getEncoder().encodeToString(bytes.getBytes())).put("encoding", "base64");
    } else if (data != null) {
      body.put("data", data);
    }
    if (e.id() != null) {
      body.put("id", e.id());
    }
    if (e.key() != null) {
      // roomcast.js sends a request again, with the same key, when its reply was lost: a service deduplicates on it.
      body.put("key", e.key());
    }
    return body.put("client", client);
  }

  /** A service's failure code, as an HTTP status would say it, becomes the protocol's error code. */
  static ErrorCode errorCodeOf(int failureCode) {
    return switch (failureCode) {
      case 400, 422 -> ErrorCode.BAD_REQUEST;
      case 401, 403 -> ErrorCode.FORBIDDEN;
      case 404 -> ErrorCode.UNKNOWN_EVENT;
      case 413 -> ErrorCode.TOO_LARGE;
      case 429 -> ErrorCode.RATE_LIMITED;
      case 503, 504 -> ErrorCode.UNAVAILABLE;
      default -> ErrorCode.INTERNAL;
    };
  }

  private static void refuse(Request request, ServiceOptions options, Throwable cause) {
    if (cause instanceof ReplyException r) {
      switch (r.failureType()) {
        case NO_HANDLERS -> request.error(ErrorCode.UNAVAILABLE, "no service consumes " + options.getAddress());
        case TIMEOUT -> request.error(ErrorCode.UNAVAILABLE, "the service at " + options.getAddress() + " did not answer within "
          + options.getTimeout() + " ms");
        default -> request.error(errorCodeOf(r.failureCode()), r.getMessage() == null ? "the service failed" : r.getMessage());
      }
    } else {
      request.error(ErrorCode.INTERNAL, "the service could not be reached: " + cause.getMessage());
    }
  }
}
