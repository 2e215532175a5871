package io.roomcast.loadtests.bench.client;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Byte-level reading of JSON text in a buffer, for the few fields the harness needs. */
public final class Frames {

  private Frames() {
  }

  /** @return the bytes of an ASCII literal */
  public static byte[] ascii(String literal) {
    return literal.getBytes(StandardCharsets.US_ASCII);
  }

  /** @return whether the readable bytes of {@code buf} start with {@code prefix} */
  public static boolean startsWith(ByteBuf buf, byte[] prefix) {
    int start = buf.readerIndex();
    if (buf.readableBytes() < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (buf.getByte(start + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** @return the index of the first occurrence of {@code needle} at or after {@code from}, or -1 */
  public static int indexOf(ByteBuf buf, byte[] needle, int from) {
    int end = buf.writerIndex() - needle.length;
    byte first = needle[0];
    outer:
    for (int i = Math.max(from, buf.readerIndex()); i <= end; i++) {
      if (buf.getByte(i) != first) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (buf.getByte(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** @return how many times {@code needle} occurs in the readable bytes of {@code buf}, not overlapping */
  public static int count(ByteBuf buf, byte[] needle) {
    int n = 0;
    int at = indexOf(buf, needle, buf.readerIndex());
    while (at >= 0) {
      n++;
      at = indexOf(buf, needle, at + needle.length);
    }
    return n;
  }

  /** @return the string value that follows {@code key} (a key ending in {@code ":"}), or {@code null} */
  public static String stringAfter(ByteBuf buf, byte[] key) {
    int at = indexOf(buf, key, buf.readerIndex());
    if (at < 0) {
      return null;
    }
    int start = at + key.length;
    int end = buf.indexOf(start, buf.writerIndex(), (byte) '"');
    return end < 0 ? null : buf.toString(start, end - start, StandardCharsets.UTF_8);
  }

  /** @return the non-negative decimal number (at most 18 digits) at {@code index}, or -1 when no digit is there */
  public static long number(ByteBuf buf, int index) {
    long value = 0;
    int i = index;
    int limit = Math.min(buf.writerIndex(), index + 18);
    while (i < limit) {
      byte b = buf.getByte(i);
      if (b < '0' || b > '9') {
        break;
      }
      value = value * 10 + (b - '0');
      i++;
    }
    if (i == index) {
      return -1;
    }
    return value;
  }

  /** @return the index just after the run of digits that starts at {@code index} */
  public static int skipDigits(ByteBuf buf, int index) {
    int i = index;
    while (i < buf.writerIndex()) {
      byte b = buf.getByte(i);
      if (b < '0' || b > '9') {
        break;
      }
      i++;
    }
    return i;
  }

  /** @return the non-negative number that follows {@code key}, or -1 */
  public static long numberAfter(ByteBuf buf, byte[] key) {
    int at = indexOf(buf, key, buf.readerIndex());
    return at < 0 ? -1 : number(buf, at + key.length);
  }
}
