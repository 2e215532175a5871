package io.roomcast.gateway.testing;

import io.roomcast.gateway.DecodeResult;
import io.roomcast.gateway.Envelope;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * A server frame as a test reads it, whatever its encoding: JSON frames are read field by field;
 * binary frames are decoded as envelopes, their JSON payload read as {@code data}, or, for
 * {@code reply} and {@code error} frames, as the fields of the reply.
 *
 * @param binary whether it came in a binary frame
 * @param event the event
 * @param room the room, or null
 * @param from the sender, or null
 * @param id the request id of a JSON reply, or null
 * @param status the status of a reply, or null
 * @param error the error object, or null
 * @param data the data: a JSON value, a Buffer for binary payloads that are not JSON, or null
 * @param encoding the "encoding" field of a JSON frame, or null
 * @param raw the frame's bytes
 */
public record Msg(boolean binary, String event, String room, String from, Object id, String status,
                  JsonObject error, Object data, String encoding, Buffer raw) {

  static Msg ofText(Buffer text) {
    JsonObject json = new JsonObject(text);
    return new Msg(false, json.getString("event"), json.getString("room"), json.getString("from"),
      json.getValue("id"), json.getString("status"), json.getJsonObject("error"), json.getValue("data"),
      json.getString("encoding"), text);
  }

  static Msg ofRaw(boolean binary, Buffer frame) {
    return new Msg(binary, null, null, null, null, null, null, null, null, frame);
  }

  static Msg ofBinary(Buffer frame) {
    // A frame at a position in a room's history has a sixth field, meta: read the first five.
    DecodeResult decoded = Envelope.decodeBinary(frame.getBuffer(0, fiveFieldsLength(frame)));
    if (!decoded.succeeded()) {
      throw new AssertionError("server sent a malformed binary envelope: " + decoded.message());
    }
    Envelope e = decoded.envelope();
    // The decoder ignores src (servers set it); read it back from the raw fields.
    String from = srcOf(frame);
    Object data = e.data();
    String status = null;
    JsonObject error = null;
    Object id = null;
    if (("reply".equals(e.event()) || "error".equals(e.event())) && data instanceof JsonObject) {
      JsonObject fields = (JsonObject) data;
      status = fields.getString("status");
      error = fields.getJsonObject("error");
      id = fields.getValue("id");
    }
    return new Msg(true, e.event(), e.room(), from, id, status, error, data, null, frame);
  }

  private static int fiveFieldsLength(Buffer frame) {
    int pos = 0;
    for (int i = 0; i < 5 && pos + 4 <= frame.length(); i++) {
      pos += 4 + (int) frame.getUnsignedInt(pos);
    }
    return Math.min(pos, frame.length());
  }

  /**
   * @return the frame's position in its room's history, {@code {"offset":N,"epoch":"X"}}: the
   *     top-level fields of a JSON frame, the meta field of a binary one; {@code null} without
   */
  public JsonObject position() {
    if (!binary) {
      JsonObject json = new JsonObject(raw);
      return json.containsKey("offset") ? new JsonObject().put("offset", json.getLong("offset")).put("epoch", json.getString("epoch")) : null;
    }
    int five = fiveFieldsLength(raw);
    if (five == raw.length()) {
      return null;
    }
    int length = (int) raw.getUnsignedInt(five);
    if (five + 4 + length != raw.length()) {
      throw new AssertionError("a binary frame whose sixth field does not fill it: " + this);
    }
    return new JsonObject(raw.getBuffer(five + 4, five + 4 + length));
  }

  /** @return the offset of a frame at a position in its room's history */
  public long offset() {
    JsonObject position = position();
    if (position == null) {
      throw new AssertionError("no position in " + this);
    }
    return position.getLong("offset");
  }

  private static String srcOf(Buffer frame) {
    int pos = 0;
    for (int i = 0; i < 3; i++) {
      pos += 4 + (int) frame.getUnsignedInt(pos);
    }
    int len = (int) frame.getUnsignedInt(pos);
    return len == 0 ? null : frame.getString(pos + 4, pos + 4 + len);
  }

  /** @return the frame's bytes as UTF-8 text */
  public String text() {
    return raw.toString();
  }

  /** @return the data as a JSON object */
  public JsonObject dataObject() {
    if (data instanceof JsonObject) {
      return (JsonObject) data;
    }
    throw new AssertionError("data is not an object in " + this);
  }

  /** @return the error code, or null */
  public String errorCode() {
    return error == null ? null : error.getString("code");
  }

  /** @return the data of a binary payload, or the JSON text of the data */
  public Buffer dataBytes() {
    if (data instanceof Buffer) {
      return (Buffer) data;
    }
    return data == null ? null : Json.encodeToBuffer(data);
  }

  @Override
  public String toString() {
    if (binary && event == null) {
      return "binary " + raw.length() + " bytes";
    }
    return (binary ? "binary " : "text ") + (binary ? Envelope.decodeBinary(raw.getBuffer(0, fiveFieldsLength(raw))).envelope()
      + " payload=" + dataBytes() + (position() != null ? " meta=" + position() : "") : raw.toString());
  }
}
