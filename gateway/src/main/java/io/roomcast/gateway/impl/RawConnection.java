package io.roomcast.gateway.impl;

import io.roomcast.gateway.RawMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;

import java.util.Set;

/** A connection of a raw endpoint: whole messages in, frames out, no envelopes. */
final class RawConnection extends WebSocketConnection implements MessageAssembler.Sink {

  private final RawEndpointImpl endpoint;
  private final MessageAssembler assembler;

  RawConnection(RawEndpointImpl endpoint, ServerWebSocket ws, String id, String node, HandshakeImpl handshake, int maxMessageSize, int maxFragments) {
    super(ws, id, node, handshake, null);
    this.endpoint = endpoint;
    this.assembler = new MessageAssembler(maxMessageSize, maxFragments, this);
  }

  void onFrame(WebSocketFrame frame) {
    assembler.handle(frame);
    holdBackIfBehind();
  }

  void onDrained() {
    resumeIfHeldBack();
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
    endpoint.fireMessage(new RawMessage(this, true, utf8));
  }

  @Override
  public void onBinary(Buffer data) {
    endpoint.fireMessage(new RawMessage(this, false, data));
  }

  @Override
  public void onViolation(short closeCode, String reason) {
    close(closeCode, reason);
  }

  void closed() {
    markClosed();
  }
}
