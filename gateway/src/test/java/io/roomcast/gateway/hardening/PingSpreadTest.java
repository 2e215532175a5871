package io.roomcast.gateway.hardening;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that connected together are pinged at different times: a burst of pings, and of the
 * pongs that answer them, would stall every delivery on the event loop behind it.
 */
class PingSpreadTest extends GatewayTestBase {

  private static final long PING_INTERVAL_MS = 2000;
  private static final int CLIENTS = 40;

  @Override
  protected GatewayOptions options() {
    // A pong timeout of 400 ms makes the sweep run every 100 ms, finer than the 400 ms window.
    return super.options().setHubs(List.of(new HubOptions().setPingInterval(PING_INTERVAL_MS).setPongTimeout(400)));
  }

  @Test
  void pingsOfClientsThatConnectedTogetherAreSpreadOverTheLastFifthOfTheInterval() {
    List<TestClient> clients = new ArrayList<>();
    List<Long> connectedAt = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(connect());
      connectedAt.add(System.nanoTime());
    }
    Await.until(() -> clients.stream().allMatch(c -> c.firstPingAt() != 0), Duration.ofSeconds(10), "a ping to every client");

    LongSummaryStatistics delays = new LongSummaryStatistics();
    for (int i = 0; i < CLIENTS; i++) {
      delays.accept((clients.get(i).firstPingAt() - connectedAt.get(i)) / 1_000_000);
    }
    // Each ping falls in [1600, 2000] ms after the last frame, plus up to one sweep (100 ms) late.
    assertTrue(delays.getMin() >= PING_INTERVAL_MS * 8 / 10 - 50, "a ping came too early: " + delays);
    assertTrue(delays.getMax() <= PING_INTERVAL_MS + 1000, "a ping came too late: " + delays);
    // Forty phases drawn at random over 400 ms: unspread, all would fall within one sweep.
    assertTrue(delays.getMax() - delays.getMin() >= 200, "pings not spread: " + delays);
  }
}
