package io.roomcast.gateway.impl;

import io.vertx.core.json.JsonObject;

/**
 * When a connection's token stops being good (PROTOCOL.md section 8): its {@code exp} claim
 * (seconds since the epoch) plus the hub's leeway. A token without a numeric {@code exp} never
 * expires this way.
 */
final class TokenLifetime {

  /** No expiry. */
  static final long NEVER = 0;

  private TokenLifetime() {
  }

  /** @return the wall-clock ms from which the claims are expired, or {@link #NEVER} */
  static long deadline(JsonObject claims, long leewaySeconds) {
    Object exp = claims == null ? null : claims.getValue("exp");
    if (!(exp instanceof Number n)) {
      return NEVER;
    }
    long seconds = n.longValue();
    // An exp past what milliseconds can hold (an authentication service's, a huge double's) never comes.
    if (seconds >= Long.MAX_VALUE / 1000 - leewaySeconds) {
      return NEVER;
    }
    long at = seconds + leewaySeconds;
    return at <= 0 ? 1 : at * 1000;
  }

  /** @return whether claims with this deadline are expired at {@code nowMillis} */
  static boolean expired(long deadline, long nowMillis) {
    return deadline != NEVER && nowMillis >= deadline;
  }

  /** @return the {@code exp} claim in seconds, or {@code null} when there is none */
  static Long exp(JsonObject claims) {
    Object exp = claims == null ? null : claims.getValue("exp");
    return exp instanceof Number n ? n.longValue() : null;
  }
}
