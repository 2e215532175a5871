package io.roomcast.gateway.api;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.WebhookOptions;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The webhooks goal: a receiver that is down for 30 s, then comes back, receives every event
 * (each id at least once), in order per room. The webhook has the defaults (backoff up to 10 s);
 * clients connect, join, leave and disconnect before, during and after the outage.
 */
class WebhookOutageIT extends GatewayTestBase {

  private static final Duration OUTAGE = Duration.ofSeconds(30);
  private static WebhookReceiver receiver;

  @BeforeAll
  static void startReceiver() {
    receiver = new WebhookReceiver(WebhooksTest.SECRET);
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(new HubOptions().setWebhooks(List.of(new WebhookOptions(receiver.url(), WebhooksTest.SECRET)))));
  }

  /** A round of activity: clients join rooms, some leave, some disconnect. @return the clients still open */
  private List<TestClient> activity(String tag, int clients) {
    List<TestClient> open = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      TestClient c = connect();
      Wire.JSON.join(c, "room-" + (i % 3));
      Wire.JSON.join(c, tag + "-" + i);
      if (i % 2 == 0) {
        Wire.JSON.request(c, Envelope.of("leave").withRoom("room-" + (i % 3)));
      }
      if (i % 3 == 0) {
        c.close();
      } else {
        open.add(c);
      }
    }
    return open;
  }

  @Test
  void aReceiverDownForThirtySecondsGetsEveryEventInOrderPerRoom() {
    List<TestClient> open = new ArrayList<>(activity("before", 6));
    Await.until(() -> receiver.unique().size() > 0, Duration.ofSeconds(10), "a first batch taken");

    receiver.down();
    long downAt = System.nanoTime();
    open.addAll(activity("during", 10));
    open.subList(0, 4).forEach(TestClient::close);
    LockSupport.parkNanos(OUTAGE.toNanos() - (System.nanoTime() - downAt));
    int postsDuringOutage = receiver.posts();
    receiver.up();
    long upAt = System.nanoTime();
    open.addAll(activity("after", 4));
    open.subList(4, open.size()).forEach(TestClient::close);

    // Every node's sequence is gap-free: events 1..N, N the highest the receiver has seen.
    Await.until(() -> {
      List<JsonObject> unique = receiver.unique();
      long highest = unique.stream().mapToLong(WebhookOutageIT::sequence).max().orElse(0);
      return unique.size() == highest && unique.stream().anyMatch(e -> e.getString("room", "").startsWith("after-"))
        && unique.stream().filter(e -> "disconnect".equals(e.getString("type"))).count() == 20;
    }, Duration.ofSeconds(30), "every event, after the outage");
    long caughtUpMs = (System.nanoTime() - upAt) / 1_000_000;
    List<JsonObject> unique = receiver.unique();
    System.out.printf("WebhookOutageIT: %d events; %d POSTs reached the receiver, %d of them before its %d s outage; every event"
      + " taken %d ms after it came back%n", unique.size(), receiver.posts(), postsDuringOutage, OUTAGE.toSeconds(), caughtUpMs);

    Set<Long> seen = new HashSet<>();
    unique.forEach(e -> seen.add(sequence(e)));
    for (long s = 1; s <= unique.size(); s++) {
      assertTrue(seen.contains(s), "event " + s + " is missing");
    }
    Map<String, Long> lastPerRoom = new HashMap<>();
    for (JsonObject e : unique) {
      String room = e.getString("room");
      if (room != null) {
        Long last = lastPerRoom.put(room, sequence(e));
        assertTrue(last == null || last < sequence(e), "out of order in " + room + ": " + last + " then " + sequence(e));
      }
    }
    assertEquals(List.of(), receiver.badSignatures());
    assertTrue(caughtUpMs < 20_000, "caught up in " + caughtUpMs + " ms");
  }

  private static long sequence(JsonObject event) {
    String id = event.getString("id");
    return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
  }
}
