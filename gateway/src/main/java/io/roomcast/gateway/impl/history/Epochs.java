package io.roomcast.gateway.impl.history;

import java.security.SecureRandom;

/** New epochs: random, so that a room that lost its history never takes an epoch it had before. */
final class Epochs {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Epochs() {
  }

  /** @return a fresh epoch, 13 characters of {@code [0-9a-z]} */
  static String next() {
    String s = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    return "0".repeat(13 - s.length()) + s;
  }
}
