package io.roomcast.gateway;

import io.vertx.core.json.JsonObject;

/**
 * A connected client as a cluster-wide query reports it.
 *
 * @param id the client id
 * @param node the id of the node that holds the connection
 */
public record ClientInfo(String id, String node) {

  /** @return {@code {"id":..,"node":..}} */
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("node", node);
  }
}
