package io.roomcast.gateway.impl;

import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.ServiceOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forwards clients' events to HTTP backends (a {@code services} rule with a {@code url},
 * docs/SERVICES.md): the event is POSTed with the same JSON body a service on the event bus gets;
 * a 2xx answer's body (JSON, or nothing) becomes the client's reply, another status an error
 * with the code the status says. No answer within the rule's timeout, a backend that cannot be
 * reached, or one request more than the rule's {@code maxInFlight} on this node, is
 * {@code unavailable}.
 */
final class HttpServiceProxy {

  /** What a backend that answers with an error may say in its body, at most: the client reads it. */
  static final int MAX_ERROR_MESSAGE = 500;

  private final String hub;
  private final WebClient client;

  /** A rule's backend: its URL, its headers, and the requests this node has in flight to it. */
  static final class Target {
    final ServiceOptions options;
    final MultiMap headers;
    final AtomicInteger inFlight = new AtomicInteger();

    Target(String hub, ServiceOptions options) {
      this.options = options;
      this.headers = MultiMap.caseInsensitiveMultiMap().addAll(options.getHeaders())
        .set("content-type", "application/json")
        .set("roomcast-hub", hub);
    }
  }

  /** @param targets the hub's backends: the connection pool is sized so that each may have all its requests in flight */
  HttpServiceProxy(Vertx vertx, String hub, List<ServiceOptions> targets) {
    this.hub = hub;
    int pool = targets.stream().mapToInt(ServiceOptions::getMaxInFlight).max().orElse(1);
    this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("roomcast").setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(pool));
  }

  Target target(ServiceOptions options) {
    return new Target(hub, options);
  }

  /** POSTs the event; the client is answered when the backend answers, unless {@code oneWay}. */
  void forward(Request request, Target target, JsonObject body, boolean oneWay) {
    ServiceOptions o = target.options;
    if (target.inFlight.incrementAndGet() > o.getMaxInFlight()) {
      target.inFlight.decrementAndGet();
      if (!oneWay) {
        request.error(ErrorCode.UNAVAILABLE, "the service at " + o.getUrl() + " has " + o.getMaxInFlight()
          + " requests from this node in flight, its limit");
      }
      return;
    }
    long timeout = o.getTimeout();
    Future<HttpResponse<Buffer>> sent = client.postAbs(o.getUrl()).putHeaders(target.headers)
      .connectTimeout(timeout).idleTimeout(timeout)
      .sendBuffer(body.toBuffer())
      .andThen(ar -> target.inFlight.decrementAndGet());
    if (oneWay) {
      return;
    }
    sent.timeout(timeout, TimeUnit.MILLISECONDS).onComplete(ar -> {
      if (ar.succeeded()) {
        answer(request, o, ar.result());
      } else if (ar.cause() instanceof TimeoutException) {
        request.error(ErrorCode.UNAVAILABLE, "the service at " + o.getUrl() + " did not answer within " + timeout + " ms");
      } else {
        request.error(ErrorCode.UNAVAILABLE, "the service at " + o.getUrl() + " could not be reached: " + ar.cause().getMessage());
      }
    });
  }

  private static void answer(Request request, ServiceOptions o, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    Buffer body = response.body();
    if (status < 200 || status > 299) {
      request.error(ServiceForwarder.errorCodeOf(status), errorMessage(o, status, body));
      return;
    }
    if (body == null || body.length() == 0) {
      request.handlerReply(null);
      return;
    }
    Object data;
    try {
      data = Json.decodeValue(body);
    } catch (DecodeException e) {
      request.error(ErrorCode.INTERNAL, "the service at " + o.getUrl() + " answered " + status + " with a body that is not JSON");
      return;
    }
    request.handlerReply(data);
  }

  /** @return the {@code message} of a JSON body, when it has one, else the status */
  private static String errorMessage(ServiceOptions o, int status, Buffer body) {
    if (body != null && body.length() > 0) {
      try {
        if (Json.decodeValue(body) instanceof JsonObject json && json.getValue("message") instanceof String message
          && !message.isBlank()) {
          return message.length() <= MAX_ERROR_MESSAGE ? message : message.substring(0, MAX_ERROR_MESSAGE) + "...";
        }
      } catch (DecodeException e) {
        // not JSON: the status says it
      }
    }
    return "the service at " + o.getUrl() + " answered HTTP " + status;
  }

  void close() {
    client.close();
  }
}
