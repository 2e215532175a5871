package io.roomcast.loadtests.bench.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** The end of a connection's pipeline: handshake events, text frames, errors and the close. */
final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

  private final ClientConnection connection;

  FrameHandler(ClientConnection connection) {
    this.connection = connection;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      connection.opened();
    } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      connection.failed("handshake timeout");
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame) {
      if (!frame.isFinalFragment()) {
        // No server measured here fragments small frames; the harness does not reassemble.
        connection.failed("fragmented text frame");
        return;
      }
      connection.text(frame.content());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connection.failed(describe(cause));
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    connection.closed();
    super.channelInactive(ctx);
  }

  static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
