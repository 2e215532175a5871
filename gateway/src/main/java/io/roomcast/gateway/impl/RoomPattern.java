package io.roomcast.gateway.impl;

import java.util.List;
import java.util.regex.Pattern;

/** A name pattern where {@code *} stands for any run of characters; compiled once. */
final class RoomPattern {

  private final String source;
  private final Pattern pattern;

  private RoomPattern(String source) {
    this.source = source;
    StringBuilder regex = new StringBuilder();
    int start = 0;
    for (int star = source.indexOf('*'); star >= 0; star = source.indexOf('*', start)) {
      regex.append(Pattern.quote(source.substring(start, star))).append(".*");
      start = star + 1;
    }
    regex.append(Pattern.quote(source.substring(start)));
    this.pattern = Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  static RoomPattern compile(String source) {
    return new RoomPattern(source);
  }

  static List<RoomPattern> compileAll(List<String> sources) {
    return sources.stream().map(RoomPattern::new).toList();
  }

  static boolean anyMatches(List<RoomPattern> patterns, String name) {
    for (RoomPattern p : patterns) {
      if (p.matches(name)) {
        return true;
      }
    }
    return false;
  }

  boolean matches(String name) {
    return pattern.matcher(name).matches();
  }

  @Override
  public String toString() {
    return source;
  }
}
