package io.roomcast.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Who is in a presence room across the cluster (PROTOCOL.md section 7).
 *
 * @param room the room
 * @param count its connections
 * @param users its distinct users: a user's several connections count once; connections without
 *     a user are not counted here
 * @param members every connection, or {@code null} when only the counts were asked for
 */
public record Presence(String room, long count, long users, List<PresenceMember> members) {

  /** @return the {@code presence} reply's data: {@code {"room":..,"count":..,"users":..,"members":[..]}} */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("room", room).put("count", count).put("users", users);
    if (members != null) {
      JsonArray list = new JsonArray();
      members.forEach(m -> list.add(m.toJson()));
      json.put("members", list);
    }
    return json;
  }
}
