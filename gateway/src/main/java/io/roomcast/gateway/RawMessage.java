package io.roomcast.gateway;

import io.vertx.core.buffer.Buffer;

/**
 * One whole message received on a raw endpoint.
 *
 * @param connection the sender
 * @param text {@code true} for a text message (valid UTF-8), {@code false} for binary
 * @param data the message bytes
 */
public record RawMessage(Connection connection, boolean text, Buffer data) {

  /** @return the text of a text message */
  public String textData() {
    return data.toString();
  }
}
