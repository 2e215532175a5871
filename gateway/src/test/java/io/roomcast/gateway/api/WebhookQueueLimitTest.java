package io.roomcast.gateway.api;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.WebhookOptions;
import io.roomcast.gateway.internal.HubInternal;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A webhook's queue limit: with the receiver down, events beyond it are dropped and counted (the
 * clients are served all the same), and once it is back it gets the ones that waited.
 */
class WebhookQueueLimitTest extends GatewayTestBase {

  private static final int LIMIT = 4;
  private static WebhookReceiver receiver;

  @BeforeAll
  static void startReceiver() {
    receiver = new WebhookReceiver(WebhooksTest.SECRET);
    receiver.down();
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(new HubOptions().setWebhooks(List.of(
      new WebhookOptions(receiver.url(), WebhooksTest.SECRET).setEvents(List.of("join")).setQueueLimit(LIMIT).setBatchDelay(0)
        .setMaxRetryDelay(200)))));
  }

  @Test
  void eventsOverTheLimitAreDroppedAndCountedAndTheOthersArriveOnceTheReceiverIsBack() {
    TestClient c = connect();
    for (int i = 0; i < LIMIT + 6; i++) {
      Wire.JSON.join(c, "full-" + i);
    }
    Await.until(() -> HubInternal.of(hub).counters().webhookEvents(false) >= 6, Duration.ofSeconds(10), "six dropped");
    receiver.up();
    Await.until(() -> receiver.unique().size() >= LIMIT, Duration.ofSeconds(10), "the events that waited");
    assertEquals(List.of("full-0", "full-1", "full-2", "full-3"), receiver.unique().stream().map(e -> e.getString("room")).toList());
    Await.until(() -> HubInternal.of(hub).counters().webhookEvents(true) >= LIMIT, Duration.ofSeconds(10), "the delivered counted");
    assertEquals(LIMIT, HubInternal.of(hub).counters().webhookEvents(true));
    assertEquals(6, HubInternal.of(hub).counters().webhookEvents(false), "dropped, no more");
  }
}
