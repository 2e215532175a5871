package io.roomcast.gateway.impl;

import io.vertx.core.json.JsonObject;

import java.util.List;

/** What services are told of a client (docs/SERVICES.md): {@code {"id","node","user","claims"}}, the claims limited to those named. */
final class ServiceBodies {

  private ServiceBodies() {
  }

  static JsonObject client(HubConnection c, List<String> claimNames) {
    JsonObject client = new JsonObject().put("id", c.id()).put("node", c.node());
    if (c.user() != null) {
      client.put("user", c.user());
    }
    JsonObject claims = new JsonObject();
    for (String name : claimNames) {
      Object value = c.claims().getValue(name);
      if (value != null) {
        claims.put(name, value);
      }
    }
    return client.put("claims", claims);
  }
}
