package io.roomcast.gateway;

import io.vertx.core.json.JsonObject;

/**
 * One connection in a presence room's roster.
 *
 * @param client the client id
 * @param node the id of the node that holds the connection
 * @param user the connection's user (the hub's {@code userClaim}), or {@code null}
 * @param info what the client gave on {@code join} ({@code data.info}), or {@code null}
 */
public record PresenceMember(String client, String node, String user, Object info) {

  /** @return {@code {"client":..,"user":..,"info":..}} as PROTOCOL.md section 7 shows a member, absent fields left out */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("client", client);
    if (user != null) {
      json.put("user", user);
    }
    if (info != null) {
      json.put("info", info);
    }
    return json;
  }
}
