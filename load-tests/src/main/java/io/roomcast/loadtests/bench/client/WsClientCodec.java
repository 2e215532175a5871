package io.roomcast.loadtests.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The whole client side of RFC 6455 the harness needs, in one handler: it writes the upgrade
 * request, checks the 101 answer (status, {@code Sec-WebSocket-Accept}, subprotocol), then reads
 * frames in place from the received bytes and hands each text payload to the connection as a
 * slice, with no frame objects, no UTF-8 validation and no extra pipeline stages. Pings are
 * answered, a close is answered (its status kept on the connection) and ends the connection.
 * {@link #text} and {@link #close} encode masked client frames. Fragmented text messages are
 * reassembled (no server here sends them).
 */
final class WsClientCodec extends ByteToMessageDecoder {

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int MAX_HEADERS = 8192;
  /**
   * The largest frame read; beyond it the length is taken for garbage. The gateway sends a reply
   * as one frame however long: the member list of a presence room of 10,000 is about 0.6 MB.
   */
  private static final int MAX_MESSAGE = 16 * 1024 * 1024;
  private static final byte[] END_OF_HEADERS = {'\r', '\n', '\r', '\n'};
  private static final ByteBuf END = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(END_OF_HEADERS));

  private final ClientConnection connection;
  private final String key;
  private boolean upgraded;
  private ByteBuf fragments;

  WsClientCodec(ClientConnection connection) {
    this.connection = connection;
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    this.key = Base64.getEncoder().encodeToString(nonce);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    URI uri = connection.uri();
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
      + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    StringBuilder request = new StringBuilder(256)
      .append("GET ").append(path).append(" HTTP/1.1\r\n")
      .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
      .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
      .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
      .append("Sec-WebSocket-Version: 13\r\n");
    String subprotocol = connection.dialect().subprotocol();
    if (subprotocol != null) {
      request.append("Sec-WebSocket-Protocol: ").append(subprotocol).append("\r\n");
    }
    request.append("\r\n");
    ctx.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), request));
    super.channelActive(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (!upgraded && !upgrade(in)) {
      return;
    }
    while (in.isReadable(2) && ctx.channel().isOpen()) {
      int start = in.readerIndex();
      int b0 = in.getUnsignedByte(start);
      int b1 = in.getUnsignedByte(start + 1);
      int header = 2;
      long length = b1 & 0x7F;
      if (length == 126) {
        if (!in.isReadable(4)) {
          return;
        }
        length = in.getUnsignedShort(start + 2);
        header = 4;
      } else if (length == 127) {
        if (!in.isReadable(10)) {
          return;
        }
        length = in.getLong(start + 2);
        header = 10;
      }
      if ((b1 & 0x80) != 0 || length > MAX_MESSAGE) {
        connection.failed((b1 & 0x80) != 0 ? "the server masked a frame" : "frame of " + length + " bytes");
        in.skipBytes(in.readableBytes());
        return;
      }
      if (in.readableBytes() < header + length) {
        return;
      }
      ByteBuf payload = in.slice(start + header, (int) length);
      frame(ctx, (b0 & 0x80) != 0, b0 & 0x0F, payload);
      in.readerIndex(start + header + (int) length);
    }
  }

  private void frame(ChannelHandlerContext ctx, boolean fin, int opcode, ByteBuf payload) {
    switch (opcode) {
      case 0x1 -> {
        if (fin) {
          connection.text(payload);
        } else {
          fragments = ctx.alloc().buffer(payload.readableBytes() * 2).writeBytes(payload);
        }
      }
      case 0x0 -> {
        if (fragments != null) {
          fragments.writeBytes(payload);
          if (fin) {
            try {
              connection.text(fragments);
            } finally {
              fragments.release();
              fragments = null;
            }
          }
        }
      }
      case 0x9 -> ctx.writeAndFlush(encode(ctx.alloc(), 0xA, payload));
      case 0x8 -> {
        // Answer the close and let the server end the TCP connection; force it if it does not.
        connection.closeReceived(payload.readableBytes() >= 2 ? payload.getUnsignedShort(payload.readerIndex()) : 1005);
        ctx.writeAndFlush(encode(ctx.alloc(), 0x8, payload.slice(0, Math.min(2, payload.readableBytes()))))
          .addListener(f -> ctx.channel().eventLoop().schedule(() -> ctx.close(), 1, java.util.concurrent.TimeUnit.SECONDS));
      }
      default -> {
        // Binary frames and pongs carry nothing the harness reads.
      }
    }
  }

  /** @return whether the upgrade is done; bytes after the headers stay in {@code in} */
  private boolean upgrade(ByteBuf in) {
    int end = ByteBufUtil.indexOf(END, in);
    if (end < 0) {
      if (in.readableBytes() > MAX_HEADERS) {
        connection.failed("no end of the upgrade response in " + MAX_HEADERS + " bytes");
        in.skipBytes(in.readableBytes());
      }
      return false;
    }
    String headers = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.ISO_8859_1);
    in.readerIndex(end + END_OF_HEADERS.length);
    String problem = check(headers);
    if (problem != null) {
      connection.failed("upgrade refused: " + problem);
      in.skipBytes(in.readableBytes());
      return false;
    }
    upgraded = true;
    connection.opened();
    return true;
  }

  private String check(String headers) {
    String[] lines = headers.split("\r\n");
    if (lines.length == 0 || !lines[0].matches("HTTP/1\\.1 101( .*)?")) {
      return lines.length == 0 ? "empty response" : lines[0];
    }
    String accept = null;
    String protocol = null;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = lines[i].substring(colon + 1).trim();
        if (name.equals("sec-websocket-accept")) {
          accept = value;
        } else if (name.equals("sec-websocket-protocol")) {
          protocol = value;
        }
      }
    }
    if (!accept(key).equals(accept)) {
      return "Sec-WebSocket-Accept " + accept;
    }
    String asked = connection.dialect().subprotocol();
    if (asked != null && !asked.equals(protocol)) {
      return "subprotocol " + protocol + " instead of " + asked;
    }
    return null;
  }

  static String accept(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return a masked text frame */
  static ByteBuf text(ByteBufAllocator alloc, String text) {
    ByteBuf payload = ByteBufUtil.writeUtf8(alloc, text);
    try {
      return encode(alloc, 0x1, payload);
    } finally {
      payload.release();
    }
  }

  /** @return a masked close frame with status 1000 */
  static ByteBuf close(ByteBufAllocator alloc) {
    ByteBuf payload = alloc.buffer(2).writeShort(1000);
    try {
      return encode(alloc, 0x8, payload);
    } finally {
      payload.release();
    }
  }

  /** Client frames are masked (RFC 6455 5.3) with a fresh key each. */
  private static ByteBuf encode(ByteBufAllocator alloc, int opcode, ByteBuf payload) {
    int length = payload.readableBytes();
    ByteBuf frame = alloc.buffer(length + 14);
    frame.writeByte(0x80 | opcode);
    if (length < 126) {
      frame.writeByte(0x80 | length);
    } else if (length < 65536) {
      frame.writeByte(0x80 | 126).writeShort(length);
    } else {
      frame.writeByte(0x80 | 127).writeLong(length);
    }
    int mask = ThreadLocalRandom.current().nextInt();
    frame.writeInt(mask);
    int from = payload.readerIndex();
    for (int i = 0; i < length; i++) {
      int shift = 24 - 8 * (i & 3);
      frame.writeByte(payload.getByte(from + i) ^ (mask >>> shift));
    }
    return frame;
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connection.failed(describe(cause));
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    super.channelInactive(ctx);
    connection.closed();
  }

  static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
