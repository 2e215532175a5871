package io.roomcast.gateway;

/**
 * How the server encodes what it sends on a connection, chosen by the WebSocket subprotocol
 * (PROTOCOL.md, sections 1 and 4). What a client sends is read by frame type whatever this is:
 * text frames carry JSON envelopes, binary frames binary envelopes.
 */
public enum Encoding {
  /** JSON envelopes in text frames; the default when no Roomcast subprotocol is selected. */
  JSON("roomcast.v1.json"),
  /** Length-prefixed binary envelopes in binary frames. */
  BINARY("roomcast.v1.bin");

  private final String subprotocol;

  Encoding(String subprotocol) {
    this.subprotocol = subprotocol;
  }

  /** @return the WebSocket subprotocol that selects this encoding */
  public String subprotocol() {
    return subprotocol;
  }

  /**
   * @param subprotocol the subprotocol the server selected, or {@code null}
   * @return the encoding it selects; {@link #JSON} for {@code null} or any other subprotocol
   */
  public static Encoding ofSubprotocol(String subprotocol) {
    return BINARY.subprotocol.equals(subprotocol) ? BINARY : JSON;
  }
}
