package io.roomcast.gateway.impl;

import io.roomcast.gateway.RawMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import java.util.Set;

/** A connection of a raw endpoint: whole messages in, frames out, no envelopes. */
final class RawConnection extends WebSocketConnection {

  private final Callbacks<RawMessage> callbacks;

  RawConnection(ServerWebSocket ws, String id, String node, HandshakeImpl handshake, int maxMessageSize, int maxFragments,
      Callbacks<RawMessage> callbacks) {
    super(ws, id, node, handshake, null, maxMessageSize, maxFragments);
    this.callbacks = callbacks;
  }

  @Override
  public String hub() {
    return null;
  }

  @Override
  public Set<String> rooms() {
    return Set.of();
  }

  @Override
  public void onText(Buffer utf8) {
    callbacks.fireMessage(this, new RawMessage(this, true, utf8));
  }

  @Override
  public void onBinary(Buffer data) {
    callbacks.fireMessage(this, new RawMessage(this, false, data));
  }

  @Override
  void onSocketClosed() {
    markClosed();
    callbacks.fireClose(this);
  }

  @Override
  void onFailure(Throwable t) {
    callbacks.fireError(this, t);
  }
}
