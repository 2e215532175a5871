package io.roomcast.gateway.impl;

import io.roomcast.gateway.Authenticator;
import io.roomcast.gateway.Handshake;
import io.roomcast.gateway.HubOptions;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * The hub's authentication service (HubOptions {@code auth.service}, docs/SERVICES.md): each
 * handshake becomes {@code {"hub","path","pathParams","query","headers","token","remote"}}, a
 * request to the service's address or a POST to its URL. Only {@code {"claims":{...}}} in time
 * (with a 2xx status over HTTP) admits the connection, with those claims; a refusal, a failure,
 * no service and no answer in time all refuse it (401).
 */
final class ServiceAuthenticator implements Authenticator {

  private final String hub;
  private final DecidingService service;

  ServiceAuthenticator(String hub, EventBus bus, HttpServiceProxy http, HubOptions hubOptions) {
    this.hub = hub;
    this.service = new DecidingService(hub, bus, http, hubOptions, hubOptions.getAuthService());
  }

  @Override
  public Future<JsonObject> authenticate(Handshake handshake) {
    return service.ask(body(handshake)).compose(this::claims);
  }

  private JsonObject body(Handshake handshake) {
    JsonObject headers = new JsonObject();
    handshake.headers().names().stream().filter(name -> !HandshakeImpl.upgradeOnly(name))
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

  /** @return the claims of an answer {@code {"claims":{...}}} whose {@code exp}, if any, is a time; failed for any other */
  private Future<JsonObject> claims(Object answer) {
    if (!(answer instanceof JsonObject json && json.getValue("claims") instanceof JsonObject claims)) {
      return Future.failedFuture(service.name() + " did not answer {\"claims\": {...}}");
    }
    if (claims.containsKey("exp") && TokenLifetime.exp(claims) == null) {
      return Future.failedFuture(service.name() + " answered an \"exp\" that is not a time in seconds: " + claims.getValue("exp"));
    }
    return Future.succeededFuture(claims);
  }
}
