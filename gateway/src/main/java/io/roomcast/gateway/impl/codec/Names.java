package io.roomcast.gateway.impl.codec;

/**
 * The character sets and lengths of the protocol's names (PROTOCOL.md, section 2). Names built
 * from these sets never need escaping in JSON and can never reach an event-bus address outside
 * the gateway's own prefix.
 */
public final class Names {

  public static final int MAX_EVENT = 64;
  public static final int MAX_ROOM = 128;
  public static final int MAX_CLIENT_ID = 64;
  public static final int MAX_REQUEST_ID = 64;
  /** The longest idempotency key of a publish (PROTOCOL.md, section 6). */
  public static final int MAX_KEY = 64;
  /** The longest epoch of a room's history. */
  public static final int MAX_EPOCH = 64;
  public static final int MAX_HUB = 64;

  /** The room-name rule, as every message that refuses a room states it. */
  public static final String ROOM_RULE = "1-" + MAX_ROOM + " characters of [A-Za-z0-9._:@/-]";

  private static final boolean[] EVENT = charset("._:-");
  private static final boolean[] ROOM = charset("._:@/-");
  private static final boolean[] CLIENT_ID = charset("._-");
  // No '.' in hub names: a hub name is one segment of every address of the hub.
  private static final boolean[] HUB = charset("_-");

  private Names() {
  }

  /** @return {@code true} for 1–64 characters of {@code [A-Za-z0-9._:-]} */
  public static boolean isEvent(String s) {
    return matches(s, EVENT, MAX_EVENT);
  }

  /** @return {@code true} for 1–128 characters of {@code [A-Za-z0-9._:@/-]} */
  public static boolean isRoom(String s) {
    return matches(s, ROOM, MAX_ROOM);
  }

  /** @return {@code true} for 1–64 characters of {@code [A-Za-z0-9._-]} */
  public static boolean isClientId(String s) {
    return matches(s, CLIENT_ID, MAX_CLIENT_ID);
  }

  /** @return {@code true} for 1–64 characters of {@code [A-Za-z0-9_-]} */
  public static boolean isHub(String s) {
    return matches(s, HUB, MAX_HUB);
  }

  /**
   * @param what what the name is, for the message
   * @param s the name
   * @return {@code s}
   * @throws IllegalArgumentException when {@code s} is not an event name
   */
  public static String requireEvent(String what, String s) {
    if (!isEvent(s)) {
      throw new IllegalArgumentException(what + " must be 1-64 characters of [A-Za-z0-9._:-], got " + quote(s));
    }
    return s;
  }

  /**
   * @param s the room
   * @return {@code s}
   * @throws IllegalArgumentException when {@code s} is not a room name
   */
  public static String requireRoom(String s) {
    if (!isRoom(s)) {
      throw new IllegalArgumentException("room must be " + ROOM_RULE + ", got " + quote(s));
    }
    return s;
  }

  /**
   * @param s the hub name
   * @return {@code s}
   * @throws IllegalArgumentException when {@code s} is not a hub name
   */
  public static String requireHub(String s) {
    if (!isHub(s)) {
      throw new IllegalArgumentException("hub name must be 1-64 characters of [A-Za-z0-9_-], got " + quote(s));
    }
    return s;
  }

  private static String quote(String s) {
    return s == null ? "null" : '"' + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + '"';
  }

  private static boolean matches(String s, boolean[] allowed, int max) {
    if (s == null) {
      return false;
    }
    int n = s.length();
    if (n == 0 || n > max) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 128 || !allowed[c]) {
        return false;
      }
    }
    return true;
  }

  private static boolean[] charset(String extra) {
    boolean[] allowed = new boolean[128];
    for (char c = 'a'; c <= 'z'; c++) {
      allowed[c] = true;
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      allowed[c] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      allowed[c] = true;
    }
    for (char c : extra.toCharArray()) {
      allowed[c] = true;
    }
    return allowed;
  }
}
