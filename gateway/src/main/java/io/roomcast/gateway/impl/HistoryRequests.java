package io.roomcast.gateway.impl;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.HistoryOptions;
import io.roomcast.gateway.Position;
import io.roomcast.gateway.impl.codec.Names;
import io.vertx.core.json.JsonObject;

/** Reads what clients ask of rooms with history: a {@code history} query, a binary join's {@code since}. */
final class HistoryRequests {

  /** How many messages a {@code history} request gets when it names no limit (at most the room's size). */
  static final int DEFAULT_LIMIT = 50;

  /** A {@code history} request: the newest {@code limit} messages below {@code before} (0: no bound). */
  record Query(int limit, long before) {
  }

  private HistoryRequests() {
  }

  /**
   * @return the request's {@code data}: {@code limit} 1 to the room's size (default
   *     {@value #DEFAULT_LIMIT} or the size), {@code before} a whole number from 1
   * @throws IllegalArgumentException saying what is wrong
   */
  static Query query(Envelope e, HistoryOptions rule) {
    JsonObject data = e.payload() == null ? new JsonObject() : payloadObject(e);
    int limit = Math.min(DEFAULT_LIMIT, rule.getSize());
    Object l = data.getValue("limit");
    if (l != null) {
      if (!isWhole(l) || ((Number) l).longValue() < 1 || ((Number) l).longValue() > rule.getSize()) {
        throw new IllegalArgumentException("limit must be a whole number from 1 to " + rule.getSize());
      }
      limit = ((Number) l).intValue();
    }
    long before = 0;
    Object b = data.getValue("before");
    if (b != null) {
      if (!isWhole(b) || ((Number) b).longValue() < 1) {
        throw new IllegalArgumentException("before must be a whole number from 1");
      }
      before = ((Number) b).longValue();
    }
    return new Query(limit, before);
  }

  /** @return the payload as a JSON object */
  static JsonObject payloadObject(Envelope e) {
    Object data;
    try {
      data = e.data();
    } catch (RuntimeException ex) {
      throw new IllegalArgumentException("the payload must be a JSON object");
    }
    if (!(data instanceof JsonObject object)) {
      throw new IllegalArgumentException("the payload must be a JSON object");
    }
    return object;
  }

  /** @return {@code {"offset":N,"epoch":"X"}} read as a position */
  static Position position(Object since) {
    if (since instanceof JsonObject s && isWhole(s.getValue("offset")) && s.getLong("offset") >= 0
        && s.getValue("epoch") instanceof String epoch && !epoch.isEmpty() && epoch.length() <= Names.MAX_EPOCH && s.size() == 2) {
      return new Position(s.getLong("offset"), epoch);
    }
    throw new IllegalArgumentException("since must be {\"offset\":N,\"epoch\":\"X\"}: N a whole number from 0, X 1-"
      + Names.MAX_EPOCH + " characters");
  }

  private static boolean isWhole(Object value) {
    return value instanceof Integer || value instanceof Long;
  }
}
