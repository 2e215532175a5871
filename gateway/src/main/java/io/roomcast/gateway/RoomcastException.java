package io.roomcast.gateway;

import io.vertx.core.VertxException;

/**
 * A failure with a protocol error code: what a {@code Future} of the hub API fails with,
 * and what an event handler may throw to answer its sender with that code.
 */
public class RoomcastException extends VertxException {

  private final ErrorCode code;

  /**
   * @param code the protocol error code
   * @param message a human-readable reason, sent to the client as {@code message}
   */
  public RoomcastException(ErrorCode code, String message) {
    super(message, true);
    this.code = code;
  }

  /** @return the protocol error code */
  public ErrorCode code() {
    return code;
  }
}
