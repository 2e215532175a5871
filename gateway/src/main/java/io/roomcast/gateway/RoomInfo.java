package io.roomcast.gateway;

import io.vertx.core.json.JsonObject;

/**
 * A room with its member count summed over every node of the cluster.
 *
 * @param room the room name
 * @param members how many connections are members
 */
public record RoomInfo(String room, long members) {

  /** @return {@code {"room":..,"members":..}} */
  public JsonObject toJson() {
    return new JsonObject().put("room", room).put("members", members);
  }
}
