package io.roomcast.gateway.api;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.WebhookOptions;
import io.roomcast.gateway.internal.HubInternal;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When a webhook's events go without waiting for the batch delay: a full batch at once, and
 * everything when the hub closes. A closing hub gives its webhooks a last chance: the disconnects
 * of its clients and the rooms they vacated, with whatever still waited, are sent before the close
 * completes; a receiver that cannot take them does not hold the close up.
 */
class WebhookFlushTest extends GatewayTestBase {

  private static final long TIMEOUT_MS = 1_000;
  // One per test (made before the gateway, which needs its URL): one test leaves it silent.
  private final WebhookReceiver receiver = new WebhookReceiver(WebhooksTest.SECRET);

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Override
  protected GatewayOptions options() {
    // A batch delay far longer than the test: a partial batch goes only when the hub closes.
    return super.options().setHubs(List.of(new HubOptions().setWebhooks(List.of(
      new WebhookOptions(receiver.url(), WebhooksTest.SECRET).setBatchDelay(60_000).setBatchSize(3).setTimeout(TIMEOUT_MS)))));
  }

  @Test
  void aFullBatchGoesAtOnce() {
    TestClient c = connect();
    Wire.JSON.join(c, "full-batch");
    // connect, occupied, join: a batch of 3, sent long before the batch delay of a minute.
    Await.until(() -> receiver.unique().size() == 3, Duration.ofSeconds(10), "a full batch");
    assertEquals(1, receiver.posts());
  }

  @Test
  void theClientsDisconnectsAndEverythingThatWaitedAreSentBeforeTheCloseCompletes() {
    List<TestClient> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      TestClient c = connect();
      Wire.JSON.join(c, "closing-" + (i % 2));
      clients.add(c);
    }

    Await.result(gateway.close());

    List<JsonObject> events = receiver.unique();
    for (TestClient c : clients) {
      assertEquals(List.of("connect", "join", "leave", "disconnect"), typesAbout(events, c), events.toString());
    }
    for (String room : List.of("closing-0", "closing-1")) {
      assertEquals(List.of("occupied", "vacated"), events.stream().filter(e -> room.equals(e.getString("room")) && !e.containsKey("client"))
        .map(e -> e.getString("type")).toList(), events.toString());
    }
    // 4 connects, 4 joins, 2 rooms occupied, 4 leaves, 2 vacated, 4 disconnects, in full batches
    // of 3 but the last.
    assertEquals(20, events.size(), events.toString());
    assertEquals(7, receiver.posts());
    assertEquals(20, HubInternal.of(hub).counters().webhookEvents(true));
    assertEquals(0, HubInternal.of(hub).counters().webhookEvents(false));
  }

  @Test
  void aReceiverThatIsDownAtTheCloseIsNotWaitedForAndWhatWaitedIsCountedAsDropped() {
    receiver.down();
    TestClient c = connect();
    Wire.JSON.join(c, "closing-down");

    Await.result(gateway.close());

    assertEquals(0, receiver.posts());
    // connect, occupied, join, leave, vacated, disconnect.
    assertEquals(6, HubInternal.of(hub).counters().webhookEvents(false));
    assertEquals(0, HubInternal.of(hub).counters().webhookEvents(true));
  }

  @Test
  void aReceiverThatNeverAnswersHoldsTheCloseForTheWebhooksTimeoutAtMost() {
    receiver.silent();
    connect();

    long started = System.nanoTime();
    Await.result(gateway.close());
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertTrue(tookMs >= TIMEOUT_MS - 50 && tookMs < TIMEOUT_MS + 5_000, "closed in " + tookMs + " ms");
    assertEquals(1, receiver.posts(), "the one POST it never answered");
    assertEquals(2, HubInternal.of(hub).counters().webhookEvents(false), "the connect and the disconnect");
  }

  private static List<String> typesAbout(List<JsonObject> events, TestClient c) {
    return events.stream().filter(e -> c.id().equals(e.getJsonObject("client", new JsonObject()).getString("id")))
      .map(e -> e.getString("type")).toList();
  }
}
