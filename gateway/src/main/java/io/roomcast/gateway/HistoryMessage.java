package io.roomcast.gateway;

import io.roomcast.gateway.impl.codec.Payloads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.Base64;

/**
 * A message kept in a room's history.
 *
 * @param offset its offset in the room
 * @param event the event
 * @param from the client that published it, or {@code null} when the server did
 * @param payload its payload: JSON text, or opaque bytes when {@code binaryPayload}; {@code null} for none
 * @param binaryPayload whether the payload is opaque bytes (from a binary envelope)
 * @param publishedAt when it was published, wall-clock ms of the publishing node
 */
public record HistoryMessage(long offset, String event, String from, Buffer payload, boolean binaryPayload, long publishedAt) {

  /** @return the payload as a JSON value ({@code JsonObject}, {@code JsonArray}, ...), or the bytes of a binary one */
  public Object data() {
    return Payloads.toData(payload, binaryPayload);
  }

  /**
   * @return {@code {"offset","event","from","data"}} as the {@code history} reply lists it (a
   *     binary payload that is not JSON becomes base64 with {@code "encoding":"base64"})
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("offset", offset).put("event", event);
    if (from != null) {
      json.put("from", from);
    }
    if (payload != null) {
      if (!binaryPayload || Payloads.isJson(payload)) {
        json.put("data", Payloads.toData(payload, false));
      } else {
        json.put("data", Base64.getEncoder().encodeToString(payload.getBytes())).put("encoding", "base64");
      }
    }
    return json;
  }
}
