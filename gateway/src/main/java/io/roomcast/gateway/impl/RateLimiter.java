package io.roomcast.gateway.impl;

import java.util.concurrent.TimeUnit;

/**
 * A token bucket of one connection: {@code rate} messages per second with bursts of twice that
 * (or as given).
 * It also tells when the client has been over the limit for {@link #SUSTAINED_NANOS}: refusals
 * less than a second apart belong to one streak. Confined to the connection's event loop.
 */
final class RateLimiter {

  static final long SUSTAINED_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long STREAK_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final double tokensPerNano;
  private final double capacity;
  private double tokens;
  private long refilledAt;
  private long streakStart;
  private long lastRefusal;
  private boolean inStreak;

  RateLimiter(int perSecond, long now) {
    this(perSecond, 2 * perSecond, now);
  }

  /** @param burst the most that may pass at once, after a quiet while */
  RateLimiter(int perSecond, int burst, long now) {
    this.tokensPerNano = perSecond / 1e9;
    this.capacity = burst;
    this.tokens = capacity;
    this.refilledAt = now;
  }

  /** @return {@code true} when the message may pass */
  boolean tryAcquire(long now) {
    tokens = Math.min(capacity, tokens + (now - refilledAt) * tokensPerNano);
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    if (!inStreak || now - lastRefusal > STREAK_GAP_NANOS) {
      inStreak = true;
      streakStart = now;
    }
    lastRefusal = now;
    return false;
  }

  /** @return whether refusals have gone on for the sustained period */
  boolean sustained(long now) {
    return inStreak && now - lastRefusal <= STREAK_GAP_NANOS && now - streakStart >= SUSTAINED_NANOS;
  }
}
