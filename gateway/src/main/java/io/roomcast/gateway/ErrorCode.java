package io.roomcast.gateway;

/**
 * The error codes of the wire protocol (PROTOCOL.md, section 3), as sent in
 * {@code {"error":{"code":C,"message":M}}}.
 */
public enum ErrorCode {
  /** Not JSON, not an object, a field of the wrong type or out of its limits. */
  BAD_REQUEST("bad_request"),
  /** A custom event with no handler, no {@code to} and no {@code room}. */
  UNKNOWN_EVENT("unknown_event"),
  /** A room name that is not 1–128 characters of {@code [A-Za-z0-9._:@/-]}. */
  INVALID_ROOM("invalid_room"),
  /** A publish to a room the sender is not a member of. */
  NOT_MEMBER("not_member"),
  /** Not allowed: leaving {@code root}, a permission rule, too many rooms. */
  FORBIDDEN("forbidden"),
  /** A direct message to a client that is not connected anywhere in the cluster. */
  UNKNOWN_CLIENT("unknown_client"),
  /** A payload over a limit that does not close the connection. */
  TOO_LARGE("too_large"),
  /** Over the connection's message rate. */
  RATE_LIMITED("rate_limited"),
  /** The cluster could not be reached in time. */
  UNAVAILABLE("unavailable"),
  /** A server-side failure, such as an exception in an event handler. */
  INTERNAL("internal");

  private final String wireName;

  ErrorCode(String wireName) {
    this.wireName = wireName;
  }

  /** @return the code as written on the wire, e.g. {@code bad_request} */
  public String wireName() {
    return wireName;
  }

  /**
   * @param wireName a code as written on the wire
   * @return the matching code, or {@code null} when there is none
   */
  public static ErrorCode fromWireName(String wireName) {
    for (ErrorCode code : values()) {
      if (code.wireName.equals(wireName)) {
        return code;
      }
    }
    return null;
  }
}
