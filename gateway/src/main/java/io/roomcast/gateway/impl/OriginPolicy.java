package io.roomcast.gateway.impl;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which browser origins may open a hub's connections: exact origins, {@code *} in the host part,
 * or {@code *} alone for any. A request without {@code Origin} (not a browser) passes unless the
 * hub requires one.
 */
public final class OriginPolicy {

  private static final Pattern SHAPE = Pattern.compile("[a-z][a-z0-9+.-]*://[^/:?#]+(:\\d{1,5})?", Pattern.CASE_INSENSITIVE);

  private final List<Pattern> allowed;
  private final boolean anyOrigin;
  private final boolean requireOrigin;

  OriginPolicy(List<String> origins, boolean requireOrigin) {
    this.anyOrigin = origins.isEmpty() || origins.contains("*");
    this.allowed = origins.stream().filter(o -> !o.equals("*")).map(OriginPolicy::compile).toList();
    this.requireOrigin = requireOrigin;
  }

  /**
   * @param origin an allowed-origin entry
   * @throws IllegalArgumentException unless it is {@code *} or {@code scheme://host[:port]} with {@code *} only in the host
   */
  public static void validate(String origin) {
    if (origin == null || !(origin.equals("*") || SHAPE.matcher(origin).matches())) {
      throw new IllegalArgumentException("an allowed origin is scheme://host[:port] ('*' allowed in the host) or '*', got " + origin);
    }
  }

  private static Pattern compile(String origin) {
    validate(origin);
    int hostStart = origin.indexOf("://") + 3;
    StringBuilder regex = new StringBuilder(Pattern.quote(origin.substring(0, hostStart).toLowerCase(Locale.ROOT)));
    String rest = origin.substring(hostStart).toLowerCase(Locale.ROOT);
    int start = 0;
    for (int star = rest.indexOf('*'); star >= 0; star = rest.indexOf('*', start)) {
      regex.append(Pattern.quote(rest.substring(start, star))).append("[^:/]*");
      start = star + 1;
    }
    regex.append(Pattern.quote(rest.substring(start)));
    return Pattern.compile(regex.toString());
  }

  /** @return whether a handshake with this {@code Origin} header (or {@code null}) may proceed */
  boolean allows(String origin) {
    if (origin == null) {
      return !requireOrigin;
    }
    if (anyOrigin) {
      return true;
    }
    String normalized = origin.trim().toLowerCase(Locale.ROOT);
    for (Pattern p : allowed) {
      if (p.matcher(normalized).matches()) {
        return true;
      }
    }
    return false;
  }
}
