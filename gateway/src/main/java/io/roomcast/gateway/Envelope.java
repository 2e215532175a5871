package io.roomcast.gateway;

import io.roomcast.gateway.impl.codec.BinaryEnvelopes;
import io.roomcast.gateway.impl.codec.JsonEnvelopes;
import io.roomcast.gateway.impl.codec.Payloads;
import io.vertx.core.buffer.Buffer;

import java.util.Objects;

/**
 * One message of the wire protocol, whether it came as JSON in a text frame or as a binary
 * envelope in a binary frame (PROTOCOL.md, sections 2 and 4). Immutable.
 *
 * <p>The payload is kept as bytes: the UTF-8 JSON text of {@code data} for a JSON envelope, the
 * opaque payload for a binary one. It is decoded only when {@link #data()} is called, so that
 * routing a message never parses its payload.
 */
public final class Envelope {

  private final String event;
  private final String room;
  private final String to;
  private final String from;
  private final Object id;
  private final Buffer payload;
  private final boolean binaryPayload;
  private final Position since;
  private final String key;

  private Envelope(String event, String room, String to, String from, Object id, Buffer payload, boolean binaryPayload) {
    this(event, room, to, from, id, payload, binaryPayload, null, null);
  }

  private Envelope(String event, String room, String to, String from, Object id, Buffer payload, boolean binaryPayload, Position since,
      String key) {
    this.event = Objects.requireNonNull(event, "event");
    this.room = room;
    this.to = to;
    this.from = from;
    this.id = id;
    this.payload = payload;
    this.binaryPayload = binaryPayload;
    this.since = since;
    this.key = key;
  }

  /**
   * @param event the event name
   * @return an envelope with only an event
   */
  public static Envelope of(String event) {
    return new Envelope(event, null, null, null, null, null, false);
  }

  /**
   * Used by the decoders; the payload is taken as is.
   *
   * @param event the event
   * @param room the room, or {@code null}
   * @param to the destination client id, or {@code null}
   * @param from the source client id, or {@code null}
   * @param id the request id ({@code String} or {@code Long}), or {@code null}
   * @param payload the payload bytes, or {@code null} for none
   * @param binaryPayload {@code true} when the payload is opaque bytes rather than JSON text
   * @return the envelope
   */
  public static Envelope create(String event, String room, String to, String from, Object id, Buffer payload, boolean binaryPayload) {
    return new Envelope(event, room, to, from, id, payload, binaryPayload);
  }

  /**
   * Decodes a binary envelope: five fields, each a 4-byte big-endian length and its bytes.
   *
   * @param frame the content of a binary frame
   * @return the envelope, or an error value when the lengths do not add up or a string is not UTF-8
   */
  public static DecodeResult decodeBinary(Buffer frame) {
    return BinaryEnvelopes.decode(frame);
  }

  /**
   * Decodes a JSON envelope, with the aliases {@code channel} = {@code room}.
   *
   * @param text the UTF-8 content of a text frame
   * @return the envelope, or an error value when the text is not a JSON object of the protocol's fields
   */
  public static DecodeResult decodeJson(Buffer text) {
    return JsonEnvelopes.decode(text);
  }

  /** @return the event name */
  public String event() {
    return event;
  }

  /** @return the room, or {@code null} */
  public String room() {
    return room;
  }

  /** @return the destination client id of a direct message, or {@code null} */
  public String to() {
    return to;
  }

  /** @return the sender's client id, or {@code null} when the server sent it */
  public String from() {
    return from;
  }

  /** @return the request id, a {@code String} or a {@code Long}, or {@code null} */
  public Object id() {
    return id;
  }

  /** @return the payload bytes, or {@code null} when there is no data */
  public Buffer payload() {
    return payload;
  }

  /** @return {@code true} when the payload came from a binary envelope (opaque bytes) */
  public boolean isBinaryPayload() {
    return binaryPayload;
  }

  /** @return {@code true} when there is a payload */
  public boolean hasData() {
    return payload != null;
  }

  /**
   * Decodes the payload.
   *
   * @return {@code null} without payload; the JSON value ({@code JsonObject}, {@code JsonArray},
   *     {@code String}, {@code Number}, {@code Boolean}) when the payload is JSON text; otherwise
   *     the payload {@code Buffer} itself
   */
  public Object data() {
    return Payloads.toData(payload, binaryPayload);
  }

  /**
   * @param room a room name
   * @return a copy with that room
   */
  public Envelope withRoom(String room) {
    return new Envelope(event, room, to, from, id, payload, binaryPayload, since, key);
  }

  /**
   * @param to a destination client id
   * @return a copy with that destination
   */
  public Envelope withTo(String to) {
    return new Envelope(event, room, to, from, id, payload, binaryPayload, since, key);
  }

  /**
   * @param from a source client id
   * @return a copy with that source
   */
  public Envelope withFrom(String from) {
    return new Envelope(event, room, to, from, id, payload, binaryPayload, since, key);
  }

  /**
   * @param id a request id, a {@code String} or an integral {@code Number}
   * @return a copy with that id
   */
  public Envelope withId(Object id) {
    if (id != null && !(id instanceof String)) {
      if (!(id instanceof Long || id instanceof Integer || id instanceof Short || id instanceof Byte)) {
        throw new IllegalArgumentException("id must be a String or an integer");
      }
      id = ((Number) id).longValue();
    }
    return new Envelope(event, room, to, from, id, payload, binaryPayload, since, key);
  }

  /**
   * @param data a {@code Buffer} (sent as opaque bytes) or any value Vert.x encodes as JSON
   * @return a copy with that payload
   */
  public Envelope withData(Object data) {
    if (data instanceof Buffer) {
      return new Envelope(event, room, to, from, id, (Buffer) data, true, since, key);
    }
    return new Envelope(event, room, to, from, id, Payloads.jsonOf(data), false, since, key);
  }

  /** @return where a {@code join} recovers from (PROTOCOL.md, section 6), or {@code null} */
  public Position since() {
    return since;
  }

  /** @return the idempotency key of a publish to a room with history, or {@code null} */
  public String key() {
    return key;
  }

  /**
   * @param since the position a {@code join} recovers from, or {@code null}
   * @return a copy with it
   */
  public Envelope withSince(Position since) {
    return new Envelope(event, room, to, from, id, payload, binaryPayload, since, key);
  }

  /**
   * @param key the idempotency key of a publish (1–64 characters), or {@code null}
   * @return a copy with it
   */
  public Envelope withKey(String key) {
    return new Envelope(event, room, to, from, id, payload, binaryPayload, since, key);
  }

  /** @return this envelope as a binary frame (the request id is not part of the binary form) */
  public Buffer toBinary() {
    return BinaryEnvelopes.encode(room, event, to, from, payload);
  }

  /**
   * @return this envelope as the JSON text of a text frame; a binary payload that is not JSON
   *     becomes a base64 string with {@code "encoding":"base64"}
   */
  public Buffer toJson() {
    return JsonEnvelopes.encode(this);
  }

  @Override
  public String toString() {
    return "Envelope[event=" + event + (room != null ? ", room=" + room : "") + (to != null ? ", to=" + to : "")
      + (from != null ? ", from=" + from : "") + (id != null ? ", id=" + id : "")
      + (since != null ? ", since=" + since : "") + (key != null ? ", key=" + key : "")
      + (payload != null ? ", payload=" + payload.length() + (binaryPayload ? " binary bytes" : " JSON bytes") : "") + "]";
  }
}
