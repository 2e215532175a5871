package io.roomcast.gateway.impl.codec;

/**
 * An incremental UTF-8 validator (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF). Fed fragment by fragment, it fails as soon as a byte cannot start or continue a
 * valid sequence, which lets a text message be refused before its last fragment arrives.
 */
public final class Utf8Validator {

  private int needed;
  private int lower = 0x80;
  private int upper = 0xBF;
  private boolean failed;

  /**
   * @param bytes the next bytes of the text
   * @param from the first index to read
   * @param to one past the last index to read
   * @return {@code false} once the text seen so far cannot be valid UTF-8
   */
  public boolean feed(byte[] bytes, int from, int to) {
    if (failed) {
      return false;
    }
    int needed = this.needed;
    int lower = this.lower;
    int upper = this.upper;
    for (int i = from; i < to; i++) {
      int b = bytes[i] & 0xFF;
      if (needed == 0) {
        if (b < 0x80) {
          continue;
        }
        if (b >= 0xC2 && b <= 0xDF) {
          needed = 1;
        } else if (b == 0xE0) {
          needed = 2;
          lower = 0xA0;
        } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
          needed = 2;
        } else if (b == 0xED) {
          needed = 2;
          upper = 0x9F;
        } else if (b == 0xF0) {
          needed = 3;
          lower = 0x90;
        } else if (b >= 0xF1 && b <= 0xF3) {
          needed = 3;
        } else if (b == 0xF4) {
          needed = 3;
          upper = 0x8F;
        } else {
          failed = true;
          return false;
        }
      } else {
        if (b < lower || b > upper) {
          failed = true;
          return false;
        }
        lower = 0x80;
        upper = 0xBF;
        needed--;
      }
    }
    this.needed = needed;
    this.lower = lower;
    this.upper = upper;
    return true;
  }

  /** @return {@code true} when everything fed so far is valid and no sequence is left open */
  public boolean isComplete() {
    return !failed && needed == 0;
  }

  /** Forgets everything fed so far. */
  public void reset() {
    needed = 0;
    lower = 0x80;
    upper = 0xBF;
    failed = false;
  }

  /**
   * @param bytes a whole text
   * @return {@code true} when it is valid UTF-8
   */
  public static boolean isValid(byte[] bytes) {
    return isValid(bytes, 0, bytes.length);
  }

  /**
   * @param bytes a buffer holding a whole text
   * @param from the first index of the text
   * @param to one past its last index
   * @return {@code true} when it is valid UTF-8
   */
  public static boolean isValid(byte[] bytes, int from, int to) {
    Utf8Validator v = new Utf8Validator();
    return v.feed(bytes, from, to) && v.isComplete();
  }
}
