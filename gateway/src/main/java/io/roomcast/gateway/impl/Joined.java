package io.roomcast.gateway.impl;

import io.vertx.core.json.JsonObject;

/**
 * Where a member joined a room with history: the offset of the last message before its membership
 * took effect, the room's epoch, and whether its {@code since} was recovered ({@code null} when it
 * gave none).
 */
record Joined(long offset, String epoch, Boolean recovered) {

  /** Adds the join reply's fields of a room with history (PROTOCOL.md, section 6). */
  JsonObject addTo(JsonObject reply) {
    reply.put("offset", offset).put("epoch", epoch);
    if (recovered != null) {
      reply.put("recovered", recovered);
    }
    return reply;
  }
}
