package io.roomcast.gateway.impl;

import io.roomcast.gateway.BackendOptions;
import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.HubOptions;
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

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A hub's HTTP backends (docs/SERVICES.md, "Services over HTTP"): the {@code services} rules,
 * {@code authorizers} and {@code auth.service} with a {@code url}; its one client also carries
 * the hub's webhooks. Each request is a POST of a JSON body, with the rule's
 * headers, answered within the rule's timeout, and at most the rule's {@code maxInFlight} of them
 * in flight from this node: one more fails at once. Forwarded client events are answered from the
 * backend's answer: a 2xx body (JSON, or nothing) is the reply, another status an error with the
 * code the status says; no answer in time, or no backend, is {@code unavailable}.
 */
final class HttpServiceProxy {

  /** What a backend that answers with an error may say in its body, at most: the client reads it. */
  static final int MAX_ERROR_MESSAGE = 500;

  private final WebClient client;

  /** A rule's backend: where, with what headers, how long, and the requests this node has in flight to it. */
  static final class Target {
    final String url;
    final MultiMap headers;
    final long timeout;
    final int maxInFlight;
    /** The largest answer passed on to a client: the hub's {@code maxMessageSize}, as for what clients send. */
    final int maxAnswer;
    /** Reads an answer up to {@link #maxAnswer} and no further. */
    final BoundedBody answers;
    final AtomicInteger inFlight = new AtomicInteger();

    Target(HubOptions hub, BackendOptions<?> rule) {
      this.url = rule.getUrl();
      this.headers = MultiMap.caseInsensitiveMultiMap().addAll(rule.getHeaders())
        .set("content-type", "application/json")
        .set("roomcast-hub", hub.getName());
      this.timeout = rule.getTimeout();
      this.maxInFlight = rule.getMaxInFlight();
      this.maxAnswer = hub.getMaxMessageSize();
      this.answers = new BoundedBody(maxAnswer);
    }
  }

  /** One request more than a backend's {@code maxInFlight}. */
  static final class Full extends RuntimeException {
    Full(Target target) {
      super("the service at " + target.url + " has " + target.maxInFlight + " requests from this node in flight, its limit", null,
        false, false);
    }
  }

  private HttpServiceProxy(Vertx vertx, int poolSize) {
    this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("roomcast").setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(poolSize));
  }

  /**
   * @return the HTTP client of the hub's backends and webhooks, its pool sized so that each backend
   *     may have all its requests in flight (a webhook has one at a time); {@code null} when the
   *     hub has neither
   */
  static HttpServiceProxy of(Vertx vertx, HubOptions options) {
    Stream<BackendOptions<?>> backends = Stream.concat(Stream.concat(options.getServices().stream(), options.getAuthorizers().stream()),
      Stream.ofNullable(options.getAuthService()));
    IntStream limits = backends.filter(backend -> backend.getUrl() != null).mapToInt(BackendOptions::getMaxInFlight);
    int pool = Math.max(limits.max().orElse(0), options.getWebhooks().isEmpty() ? 0 : 1);
    return pool == 0 ? null : new HttpServiceProxy(vertx, pool);
  }

  /** @return the client, for the hub's webhooks (WebhookSender) */
  WebClient client() {
    return client;
  }

  /**
   * POSTs a body to a backend.
   *
   * @return its answer, whatever the status; failed with {@link Full} at once, with a
   *     {@link TimeoutException} when none came in time, with a {@link BoundedBody.TooLarge} as
   *     soon as it is longer than the hub's {@code maxMessageSize}, or with why it could not be
   *     reached
   */
  Future<HttpResponse<Buffer>> post(Target target, JsonObject body) {
    if (target.inFlight.incrementAndGet() > target.maxInFlight) {
      target.inFlight.decrementAndGet();
      return Future.failedFuture(new Full(target));
    }
    return client.postAbs(target.url).putHeaders(target.headers).as(target.answers)
      .connectTimeout(target.timeout).idleTimeout(target.timeout)
      .sendBuffer(body.toBuffer())
      .andThen(ar -> target.inFlight.decrementAndGet())
      .timeout(target.timeout, TimeUnit.MILLISECONDS);
  }

  /** POSTs a client's event; the client is answered when the backend answers, unless {@code oneWay}. */
  void forward(Request request, Target target, JsonObject body, boolean oneWay) {
    Future<HttpResponse<Buffer>> sent = post(target, body);
    if (oneWay) {
      return;
    }
    sent.onComplete(ar -> {
      if (ar.succeeded()) {
        answer(request, target, ar.result());
      } else {
        request.error(BoundedBody.TooLarge.in(ar.cause()) != null ? ErrorCode.INTERNAL : ErrorCode.UNAVAILABLE,
          failure(target, ar.cause()));
      }
    });
  }

  /** @return why a backend gave no answer, as a client may read it */
  static String failure(Target target, Throwable cause) {
    if (cause instanceof Full) {
      return cause.getMessage();
    }
    if (cause instanceof TimeoutException) {
      return "the service at " + target.url + " did not answer within " + target.timeout + " ms";
    }
    if (BoundedBody.TooLarge.in(cause) != null) {
      return "the service at " + target.url + " answered more than the hub's maxMessageSize of " + target.maxAnswer + " bytes";
    }
    return "the service at " + target.url + " could not be reached: " + cause.getMessage();
  }

  private static void answer(Request request, Target target, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    Buffer body = response.body();
    if (status < 200 || status > 299) {
      request.error(ServiceForwarder.errorCodeOf(status), errorMessage(target, status, body));
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
      request.error(ErrorCode.INTERNAL, "the service at " + target.url + " answered " + status + " with a body that is not JSON");
      return;
    }
    request.handlerReply(data);
  }

  /** @return the {@code message} of a JSON body, when it has one, else the status */
  private static String errorMessage(Target target, int status, Buffer body) {
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
    return "the service at " + target.url + " answered HTTP " + status;
  }

  void close() {
    client.close();
  }
}
