package io.roomcast.gateway.impl;

import java.security.SecureRandom;

/** Random node ids: 10 characters of {@code [a-z0-9]}, about 51 bits, new for every process. */
final class NodeIds {

  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private NodeIds() {
  }

  static String random() {
    char[] id = new char[10];
    for (int i = 0; i < id.length; i++) {
      id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(id);
  }
}
