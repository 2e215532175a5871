package io.roomcast.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Part of a room's history, oldest first, and where the room stands.
 *
 * @param room the room
 * @param position the offset of the room's latest message and its epoch
 * @param messages the messages asked for, oldest first
 */
public record History(String room, Position position, List<HistoryMessage> messages) {

  /** @return {@code {"room","offset","epoch","messages":[...]}}, the {@code history} reply's data */
  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    messages.forEach(m -> list.add(m.toJson()));
    return new JsonObject().put("room", room).put("offset", position.offset()).put("epoch", position.epoch()).put("messages", list);
  }
}
