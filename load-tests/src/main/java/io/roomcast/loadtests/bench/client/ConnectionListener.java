package io.roomcast.loadtests.bench.client;

import io.netty.buffer.ByteBuf;

/** What a mode hears from its connections; every call comes on the client's event loop. */
public interface ConnectionListener {

  /** The server said the session is ready (Roomcast's welcome, Socket.IO's CONNECT reply). */
  default void onReady(ClientConnection c) {
  }

  /** A request was answered. */
  default void onAck(ClientConnection c, int requestId, boolean ok) {
  }

  /**
   * A request was answered, with the whole reply frame for a listener that reads what it says
   * (a {@code presence} answer); {@code frame} is only valid during the call. By default the
   * same as {@link #onAck}. Dialects that do not hand over the frame call {@link #onAck} only.
   */
  default void onReply(ClientConnection c, int requestId, boolean ok, ByteBuf frame) {
    onAck(c, requestId, ok);
  }

  /** A delivery arrived (any event that is not a reply or an error); {@code frame} is only valid during the call. */
  default void onDelivery(ClientConnection c, ByteBuf frame, long receivedNanos) {
  }

  /** An error frame or a failed reply from the server; the connection goes on. */
  default void onServerError(ClientConnection c, String frame) {
  }

  /** The connection failed: refused, reset, a handshake error or timeout, a protocol error. */
  default void onFailure(ClientConnection c, String reason) {
  }

  /** The connection is closed; {@code afterFailure} when a failure was reported first. */
  default void onClosed(ClientConnection c, boolean afterFailure) {
  }
}
