package io.roomcast.gateway.impl;

import io.roomcast.gateway.Envelope;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/** Reads what clients ask of presence rooms: a join's {@code info}, a {@code presence} request's {@code countOnly}. */
final class PresenceRequests {

  /** The most bytes a member's info may take, JSON-encoded (PROTOCOL.md section 7). */
  static final int MAX_INFO_BYTES = 1024;

  private PresenceRequests() {
  }

  /**
   * @return the JSON text of a join's {@code data.info}, or {@code null} when it has none (a join's
   *     data that is not an object carries no info, as before version 1.1)
   * @throws IllegalArgumentException when the info is over {@value #MAX_INFO_BYTES} bytes
   */
  static String info(Request request) {
    Envelope e = request.envelope;
    if (e.payload() == null || e.payload().length() == 0) {
      return null;
    }
    Object data;
    try {
      data = e.data();
    } catch (RuntimeException notJson) {
      return null;
    }
    if (!(data instanceof JsonObject object) || object.getValue("info") == null) {
      return null;
    }
    String info = Json.encode(object.getValue("info"));
    int bytes = info.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_INFO_BYTES) {
      throw new IllegalArgumentException("info must be at most " + MAX_INFO_BYTES + " bytes encoded, got " + bytes);
    }
    return info;
  }

  /**
   * @return whether a {@code presence} request asks for the counts only
   * @throws IllegalArgumentException when its data is not an object, or {@code countOnly} not a boolean
   */
  static boolean countOnly(Request request) {
    Envelope e = request.envelope;
    if (e.payload() == null || e.payload().length() == 0) {
      return false;
    }
    Object countOnly = HistoryRequests.payloadObject(e).getValue("countOnly");
    if (countOnly != null && !(countOnly instanceof Boolean)) {
      throw new IllegalArgumentException("countOnly must be true or false");
    }
    return Boolean.TRUE.equals(countOnly);
  }
}
