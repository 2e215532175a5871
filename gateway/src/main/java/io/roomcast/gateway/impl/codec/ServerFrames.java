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
 * Event, room and client names are validated to need no JSON escaping, so data frames are
 * concatenated, never serialized through a tree.
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
   * @return the JSON text of the frame
   */
  public static String jsonData(String event, String room, String from, Buffer payload, boolean binaryPayload) {
    int payloadLength = payload == null ? 0 : payload.length();
    StringBuilder sb = new StringBuilder(48 + event.length() + payloadLength + (binaryPayload ? payloadLength / 3 : 0));
    sb.append("{\"event\":\"").append(event).append('"');
    if (room != null) {
      sb.append(",\"room\":\"").append(room).append('"');
    }
    if (from != null) {
      sb.append(",\"from\":\"").append(from).append('"');
    }
    if (payload != null) {
      if (!binaryPayload || Payloads.isJson(payload)) {
        sb.append(",\"data\":").append(payload.toString());
      } else {
        sb.append(",\"data\":\"").append(Base64.getEncoder().encodeToString(payload.getBytes()))
          .append("\",\"encoding\":\"base64\"");
      }
    }
    return sb.append('}').toString();
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
