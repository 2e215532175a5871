package io.roomcast.gateway;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;

import java.util.Set;

/**
 * One WebSocket client. Hub connections speak the envelope protocol; raw-endpoint connections
 * exchange plain frames. Sending and closing are safe from any thread; the connection's
 * callbacks run on its own event loop.
 */
public interface Connection {

  /** @return the client id: unique across the cluster, at most 64 characters of {@code [A-Za-z0-9._-]} */
  String id();

  /** @return the id of the node that holds this connection */
  String node();

  /** @return the hub's name, or {@code null} for a raw endpoint */
  String hub();

  /** @return the claims the authenticator returned; empty without authentication. Never {@code null}. */
  JsonObject claims();

  /** @return the connection's user: the value of its hub's {@code userClaim} claim, or {@code null} */
  default String user() {
    return null;
  }

  /** @return the HTTP request that opened the connection */
  Handshake handshake();

  /** @return how the server encodes what it sends on this connection */
  Encoding encoding();

  /** @return the rooms this connection is a member of (a snapshot; hub connections always include {@code root}) */
  Set<String> rooms();

  /** @return the peer's address */
  SocketAddress remoteAddress();

  /** @return the server's address */
  SocketAddress localAddress();

  /**
   * Sends an event from the server (no {@code from}) in the connection's encoding.
   *
   * @param event an event name, 1–64 characters of {@code [A-Za-z0-9._:-]}
   * @param data {@code null}, a {@code Buffer} (opaque bytes) or a value Vert.x encodes as JSON
   * @return completed once written
   */
  Future<Void> send(String event, Object data);

  /**
   * Like {@link #send(String, Object)} but never queues past the connection's send queue limit.
   *
   * @param event an event name
   * @param data the payload
   * @return {@code false} when the message was dropped because the client is slow or gone
   */
  boolean trySend(String event, Object data);

  /**
   * @param text a text frame, sent as is
   * @return completed once written
   */
  Future<Void> sendText(String text);

  /**
   * @param data a binary frame, sent as is
   * @return completed once written
   */
  Future<Void> sendBinary(Buffer data);

  /**
   * @param json a value Vert.x encodes as JSON, sent as a text frame as is
   * @return completed once written
   */
  Future<Void> sendJson(Object json);

  /**
   * Closes with 1000 (normal closure).
   *
   * @return completed once closed
   */
  default Future<Void> close() {
    return close(1000, null);
  }

  /**
   * @param code a WebSocket close code
   * @param reason a reason of at most 123 bytes, or {@code null}
   * @return completed once closed
   */
  Future<Void> close(int code, String reason);

  /** @return completed once the connection is closed, whoever closed it */
  Future<Void> closeFuture();

  /** @return {@code true} once the connection is closed or closing */
  boolean isClosed();
}
