package io.roomcast.loadtests.bench.client;

import io.netty.buffer.ByteBuf;

/**
 * How the harness speaks to one kind of server: the frames it sends, and what each frame it
 * receives means. Frames received are read in place from Netty's buffer, never decoded into
 * strings or JSON trees, so that reading a delivery costs the generator as little as possible.
 */
public interface Dialect {

  /** @return the WebSocket subprotocol to offer, or {@code null} for none */
  String subprotocol();

  /** The WebSocket handshake completed: send what the protocol sends first, if anything. */
  void onOpen(ClientConnection c);

  /**
   * Interprets a text frame from the server and calls the connection back: ready, acknowledged,
   * delivered or failed.
   */
  void onText(ClientConnection c, ByteBuf text);

  /** @return the frame that joins a room and asks for an acknowledgement numbered {@code requestId} */
  String join(String room, int requestId);

  /**
   * @return the frame that joins a room with {@code dataJson} as the join's data (Roomcast's
   *     presence info, PROTOCOL.md section 7), acknowledged as {@code requestId}
   * @throws UnsupportedOperationException when the protocol has no data on a join
   */
  default String join(String room, int requestId, String dataJson) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no join with data");
  }

  /**
   * @return the frame that leaves a room and asks for an acknowledgement numbered {@code requestId}
   * @throws UnsupportedOperationException when the harness does not speak it for this protocol
   */
  default String leave(String room, int requestId) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no leave");
  }

  /** @return the frame that publishes {@code dataJson} to the other members of a room, unacknowledged */
  String publish(String event, String room, String dataJson);

  /** @return the frame that sends {@code dataJson} to one client, acknowledged as {@code requestId} */
  String direct(String event, String to, String dataJson, int requestId);
}
