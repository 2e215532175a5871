package io.roomcast.gateway.impl;

import io.roomcast.gateway.AuthServiceOptions;
import io.roomcast.gateway.Authenticator;
import io.roomcast.gateway.Handshake;
import io.roomcast.gateway.HubOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * The hub's authentication service (HubOptions {@code auth.service}, docs/SERVICES.md): each
 * handshake becomes {@code {"hub","path","pathParams","query","headers","token","remote"}}, a
 * request to the service's address or a POST to its URL. Only {@code {"claims":{...}}} in time
 * (with a 2xx status over HTTP) admits the connection, with those claims; a refusal, a failure,
 * no service and no answer in time all refuse it (401).
 */
final class ServiceAuthenticator implements Authenticator {

  /** Headers that only serve the upgrade: the service has nothing to decide from them. */
  private static final Set<String> UPGRADE_HEADERS = Set.of("upgrade", "connection", "sec-websocket-key", "sec-websocket-version",
    "sec-websocket-extensions");

  private final String hub;
  private final EventBus bus;
  private final HttpServiceProxy http;
  private final AuthServiceOptions options;
  private final DeliveryOptions delivery;
  private final HttpServiceProxy.Target backend;

  ServiceAuthenticator(String hub, EventBus bus, HttpServiceProxy http, HubOptions hubOptions) {
    this.hub = hub;
    this.bus = bus;
    this.http = http;
    this.options = hubOptions.getAuthService();
    this.delivery = new DeliveryOptions().setSendTimeout(options.getTimeout()).addHeader("roomcast-hub", hub);
    this.backend = options.getUrl() == null ? null : new HttpServiceProxy.Target(hubOptions, options);
  }

  @Override
  public Future<JsonObject> authenticate(Handshake handshake) {
    JsonObject body = body(handshake);
    if (backend != null) {
      return http.post(backend, body).compose(answer -> answer.statusCode() / 100 == 2
        ? claims(decoded(answer.body()), "the service at " + backend.url)
        : Future.failedFuture("the service at " + backend.url + " refused it (HTTP " + answer.statusCode() + ")"),
        failure -> Future.failedFuture(HttpServiceProxy.failure(backend, failure)));
    }
    return bus.<Object>request(options.getAddress(), body, delivery).compose(
      answer -> claims(answer.body(), "the service at " + options.getAddress()),
      failure -> Future.failedFuture("the service at " + options.getAddress() + " refused it: " + failure.getMessage()));
  }

  private JsonObject body(Handshake handshake) {
    JsonObject headers = new JsonObject();
    handshake.headers().names().stream().filter(name -> !UPGRADE_HEADERS.contains(name.toLowerCase(Locale.ROOT)))
      .forEach(name -> headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", handshake.headers().getAll(name))));
    // The token goes on its own (a refresh's new one): not again among the query parameters.
    JsonObject query = new JsonObject();
    handshake.queryParams().forEach((name, value) -> {
      if (!"access_token".equals(name)) {
        query.put(name, value);
      }
    });
    JsonObject body = new JsonObject().put("hub", hub).put("path", handshake.path())
      .put("pathParams", new JsonObject(new LinkedHashMap<>(handshake.pathParams()))).put("query", query).put("headers", headers);
    String token = handshake.token();
    if (token != null) {
      body.put("token", token);
    }
    if (handshake.remoteAddress() != null) {
      body.put("remote", handshake.remoteAddress().hostAddress());
    }
    return body;
  }

  /** @return the claims of an answer {@code {"claims":{...}}}; failed for any other */
  private static Future<JsonObject> claims(Object answer, String who) {
    if (answer instanceof JsonObject json && json.getValue("claims") instanceof JsonObject claims) {
      return Future.succeededFuture(claims);
    }
    return Future.failedFuture(who + " did not answer {\"claims\": {...}}");
  }

  private static Object decoded(Buffer body) {
    try {
      return body == null ? null : Json.decodeValue(body);
    } catch (DecodeException e) {
      return null;
    }
  }
}
