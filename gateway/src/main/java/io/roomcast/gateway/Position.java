package io.roomcast.gateway;

import io.vertx.core.json.JsonObject;

/**
 * A position in a room's history (PROTOCOL.md, section 6): the offset of a message (1, 2, 3...,
 * with no gap) in the room's epoch. A new epoch starts at offset 1 only when every copy of the
 * room's history was lost, or the room had no message for its {@code ttl}.
 *
 * @param offset the offset; {@code 0} before the first message
 * @param epoch the epoch, an opaque string of at most 64 characters
 */
public record Position(long offset, String epoch) {

  /** @return {@code {"offset":N,"epoch":"X"}} */
  public JsonObject toJson() {
    return new JsonObject().put("offset", offset).put("epoch", epoch);
  }
}
