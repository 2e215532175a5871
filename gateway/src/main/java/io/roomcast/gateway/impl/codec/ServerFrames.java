package io.roomcast.gateway.impl.codec;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.Base64;

/**
 * Frames the server sends, in both encodings (PROTOCOL.md, sections 3 and 4). There are two
 * shapes:
 * <ul>
 *   <li>data frames carry a payload: {@code data} in JSON, the payload bytes in binary
 *   (deliveries, the welcome, replies to binary requests);</li>
 *   <li>field frames carry top-level JSON fields, which become a JSON object payload in binary
 *   (replies to JSON requests, errors, pong).</li>
 * </ul>
 * Event, room and client names are validated to need no JSON escaping (and are ASCII), so data
 * frames are concatenated as bytes, never serialized through a tree.
 */
public final class ServerFrames {

  private ServerFrames() {
  }

  /**
   * @param event the event
   * @param room the room, or {@code null}
   * @param from the sender, or {@code null}
   * @param payload the payload, or {@code null}
   * @param binaryPayload whether the payload is opaque bytes
   * @return the JSON text of the frame in UTF-8, built from the payload's own bytes (never
   *     decoded and encoded again)
   */
  public static byte[] jsonData(String event, String room, String from, Buffer payload, boolean binaryPayload) {
    return jsonData(event, room, from, payload, binaryPayload, 0, null);
  }

  /**
   * As {@link #jsonData(String, String, String, Buffer, boolean)}, for a message at a position in
   * its room's history: {@code "offset"} and {@code "epoch"} follow the data.
   *
   * @param offset the message's offset, {@code 0} for a message without position
   * @param epoch its room's epoch, {@code null} without position
   */
  public static byte[] jsonData(String event, String room, String from, Buffer payload, boolean binaryPayload, long offset,
      String epoch) {
    int payloadLength = payload == null ? 0 : payload.length();
    Buffer frame = Buffer.buffer(48 + event.length() + (room == null ? 0 : room.length()) + (from == null ? 0 : from.length())
      + (binaryPayload ? payloadLength * 4 / 3 + 24 : payloadLength));
    frame.appendString("{\"event\":\"").appendString(event).appendByte((byte) '"');
    if (room != null) {
      frame.appendString(",\"room\":\"").appendString(room).appendByte((byte) '"');
    }
    if (from != null) {
      frame.appendString(",\"from\":\"").appendString(from).appendByte((byte) '"');
    }
    if (payload != null) {
      if (!binaryPayload || Payloads.isJson(payload)) {
        frame.appendString(",\"data\":").appendBuffer(payload);
      } else {
        frame.appendString(",\"data\":\"").appendBytes(Base64.getEncoder().encode(payload.getBytes()))
          .appendString("\",\"encoding\":\"base64\"");
      }
    }
    if (epoch != null) {
      // Epochs are the store's own [0-9a-z] strings: nothing to escape.
      frame.appendString(",\"offset\":").appendString(Long.toString(offset)).appendString(",\"epoch\":\"").appendString(epoch)
        .appendByte((byte) '"');
    }
    return frame.appendByte((byte) '}').getBytes();
  }

  /**
   * @param event the event
   * @param room the room, or {@code null}
   * @param from the sender, or {@code null}
   * @param payload the payload (JSON text or opaque bytes alike), or {@code null}
   * @return the binary envelope of the frame
   */
  public static Buffer binaryData(String event, String room, String from, Buffer payload) {
    return BinaryEnvelopes.encode(room, event, null, from, payload);
  }

  /**
   * As {@link #binaryData(String, String, String, Buffer)}, for a message at a position in its
   * room's history: a sixth field, {@code meta}, holds {@code {"offset":N,"epoch":"X"}}.
   */
  public static Buffer binaryData(String event, String room, String from, Buffer payload, long offset, String epoch) {
    Buffer frame = binaryData(event, room, from, payload);
    if (epoch == null) {
      return frame;
    }
    byte[] meta = ("{\"offset\":" + offset + ",\"epoch\":\"" + epoch + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return frame.appendInt(meta.length).appendBytes(meta);
  }

  /**
   * @param event the event
   * @param fields the other top-level fields, or {@code null}
   * @return {@code {"event":E, ...fields}}
   */
  public static String jsonFields(String event, JsonObject fields) {
    JsonObject frame = new JsonObject().put("event", event);
    if (fields != null) {
      frame.mergeIn(fields);
    }
    return frame.encode();
  }

  /**
   * @param event the event
   * @param room the room, or {@code null}
   * @param fields the fields, sent as a JSON object payload; {@code null} for none
   * @return the binary envelope of the frame
   */
  public static Buffer binaryFields(String event, String room, JsonObject fields) {
    return BinaryEnvelopes.encode(room, event, null, null, fields == null || fields.isEmpty() ? null : fields.toBuffer());
  }
}
