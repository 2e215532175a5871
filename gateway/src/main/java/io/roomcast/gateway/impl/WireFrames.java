package io.roomcast.gateway.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.roomcast.gateway.impl.bus.Delivery;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * One delivery's frames as they go on the wire, header and payload, encoded once per fan-out and
 * per encoding and shared by every member's write. Written through Vert.x's WebSocket, each
 * member's frame would be made, encoded and copied again, with a promise per write: the frame
 * encoder and the allocator behind it were 59% of the delivery loop's profile
 * (docs/BENCHMARKS.md). Confined to the event loop of the fan-out; {@link #release()} when it ends.
 */
final class WireFrames {

  private static final int FIN_TEXT = 0x81;
  private static final int FIN_BINARY = 0x82;
  private static final int MAX_ONE_BYTE_LENGTH = 125;
  private static final int TWO_BYTE_LENGTH = 126;
  private static final int EIGHT_BYTE_LENGTH = 127;
  // Pooled: a pooled buffer's duplicates are recycled. The channels' adaptive allocator makes
  // buffers whose every duplicate is a new object (30% of a node's allocation under fan-out).
  private static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

  private final Delivery delivery;
  private ByteBuf json;
  private ByteBuf binary;

  WireFrames(Delivery delivery) {
    this.delivery = delivery;
  }

  /** @return the JSON clients' frame, to be written as a retained duplicate (it stays this fan-out's) */
  ByteBuf json() {
    if (json == null) {
      byte[] payload = delivery.jsonFrame();
      json = header(FIN_TEXT, payload.length).writeBytes(payload);
    }
    return json;
  }

  /** @return the binary clients' frame, to be written as a retained duplicate (it stays this fan-out's) */
  ByteBuf binary() {
    if (binary == null) {
      Buffer payload = delivery.binaryFrame();
      ByteBuf bytes = ((BufferInternal) payload).getByteBuf();
      binary = header(FIN_BINARY, bytes.readableBytes()).writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes());
    }
    return binary;
  }

  /** Gives back this fan-out's frames; members' writes still in flight hold their own references. */
  void release() {
    if (json != null) {
      json.release();
      json = null;
    }
    if (binary != null) {
      binary.release();
      binary = null;
    }
  }

  /** A server's frame is never masked (RFC 6455, 5.1): a first byte, then the length in 1, 3 or 9 bytes. */
  static ByteBuf header(int firstByte, int length) {
    int headerLength = length <= MAX_ONE_BYTE_LENGTH ? 2 : length <= 0xFFFF ? 4 : 10;
    ByteBuf frame = ALLOCATOR.directBuffer(headerLength + length);
    frame.writeByte(firstByte);
    if (length <= MAX_ONE_BYTE_LENGTH) {
      frame.writeByte(length);
    } else if (length <= 0xFFFF) {
      frame.writeByte(TWO_BYTE_LENGTH).writeShort(length);
    } else {
      frame.writeByte(EIGHT_BYTE_LENGTH).writeLong(length);
    }
    return frame;
  }
}
