package io.roomcast.gateway.impl;

import io.roomcast.gateway.BackendOptions;
import io.roomcast.gateway.HubOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * A service a hub asks for a decision and whose silence is a refusal (an authorizer, an
 * authentication service): a request to its event-bus address, or a POST to its URL, answered
 * within its timeout. What the answer means is the caller's.
 */
final class DecidingService {

  private final EventBus bus;
  private final HttpServiceProxy http;
  private final String address;
  private final long timeout;
  private final DeliveryOptions delivery;
  /** {@code null} for a service on the event bus. */
  private final HttpServiceProxy.Target backend;

  DecidingService(String hub, EventBus bus, HttpServiceProxy http, HubOptions hubOptions, BackendOptions<?> options) {
    this.bus = bus;
    this.http = http;
    this.address = options.getAddress();
    this.timeout = options.getTimeout();
    this.delivery = new DeliveryOptions().setSendTimeout(timeout).addHeader("roomcast-hub", hub);
    this.backend = options.getUrl() == null ? null : new HttpServiceProxy.Target(hubOptions, options);
  }

  /** @return "the service at ADDRESS or URL", for messages */
  String name() {
    return "the service at " + (backend != null ? backend.url : address);
  }

  /**
   * @return the answer: the reply's body, or a 2xx answer's body as JSON ({@code null} when it
   *     has none or it is not JSON); failed with why none came, as a client may read it
   */
  Future<Object> ask(JsonObject body) {
    if (backend != null) {
      return http.post(backend, body).compose(
        answer -> answer.statusCode() / 100 == 2 ? Future.succeededFuture(json(answer.body()))
          : Future.failedFuture(name() + " answered HTTP " + answer.statusCode()),
        failure -> Future.failedFuture(HttpServiceProxy.failure(backend, failure)));
    }
    return bus.<Object>request(address, body, delivery).compose(reply -> Future.succeededFuture(reply.body()),
      failure -> Future.failedFuture(why(failure)));
  }

  private String why(Throwable failure) {
    if (failure instanceof ReplyException r) {
      return switch (r.failureType()) {
        case NO_HANDLERS -> "no service consumes " + address;
        case TIMEOUT -> name() + " did not answer within " + timeout + " ms";
        default -> name() + " failed: " + r.getMessage();
      };
    }
    return name() + " could not be reached: " + failure.getMessage();
  }

  private static Object json(Buffer body) {
    try {
      return body == null || body.length() == 0 ? null : Json.decodeValue(body);
    } catch (DecodeException e) {
      return null;
    }
  }
}
