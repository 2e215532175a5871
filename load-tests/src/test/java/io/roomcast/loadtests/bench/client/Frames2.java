package io.roomcast.loadtests.bench.client;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Reads the client's masked frames back, for the tests. */
final class Frames2 {

  private Frames2() {
  }

  /** @return the text of one masked frame (payload under 126 bytes) */
  static String unmask(ByteBuf frame) {
    int length = frame.getUnsignedByte(1) & 0x7F;
    if ((frame.getUnsignedByte(1) & 0x80) == 0 || length >= 126) {
      throw new AssertionError("not a short masked frame");
    }
    byte[] mask = new byte[4];
    frame.getBytes(2, mask);
    byte[] text = new byte[length];
    for (int i = 0; i < length; i++) {
      text[i] = (byte) (frame.getByte(6 + i) ^ mask[i & 3]);
    }
    return new String(text, StandardCharsets.UTF_8);
  }

  /** @return the opcode of a frame */
  static int opcode(ByteBuf frame) {
    return frame.getUnsignedByte(0) & 0x0F;
  }
}
