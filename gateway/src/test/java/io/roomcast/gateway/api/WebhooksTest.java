package io.roomcast.gateway.api;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.WebhookOptions;
import io.roomcast.gateway.internal.HubInternal;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks (the hub option {@code webhooks}): lifecycle events POSTed to a real receiver on
 * loopback in signed batches, sent again when it refuses them or is down, each event with an id,
 * in the order they happened; over the queue limit, dropped and counted.
 */
class WebhooksTest extends GatewayTestBase {

  static final String SECRET = "webhook-secret-0123456789";
  private static WebhookReceiver receiver;

  @BeforeAll
  static void startReceiver() {
    receiver = new WebhookReceiver(SECRET);
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(new HubOptions().setWebhooks(List.of(
      new WebhookOptions(receiver.url(), SECRET).setBatchDelay(50).setMaxRetryDelay(400).setTimeout(1_000)
        .setHeaders(Map.of("x-app", "roomcast-test"))))));
  }

  private static List<JsonObject> eventsOf(Predicate<JsonObject> which) {
    return receiver.unique().stream().filter(which).toList();
  }

  private static Predicate<JsonObject> about(TestClient c, String room) {
    return e -> c.id().equals(e.getJsonObject("client", new JsonObject()).getString("id")) || room.equals(e.getString("room"));
  }

  private static long sequence(JsonObject event) {
    String id = event.getString("id");
    return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
  }

  @Test
  void lifecycleEventsArriveSignedInBatchesInTheOrderTheyHappened() {
    TestClient c = connect();
    String room = "hooked-1";
    Wire.JSON.join(c, room);
    Wire.JSON.request(c, io.roomcast.gateway.Envelope.of("leave").withRoom(room));
    c.close();
    Await.until(() -> eventsOf(about(c, room)).size() >= 6, Duration.ofSeconds(10), "six events at the receiver");

    List<JsonObject> events = eventsOf(about(c, room));
    assertEquals(List.of("connect", "occupied", "join", "leave", "vacated", "disconnect"),
      events.stream().map(e -> e.getString("type")).toList(), events.toString());
    for (int i = 1; i < events.size(); i++) {
      assertTrue(sequence(events.get(i)) > sequence(events.get(i - 1)), "in order: " + events);
    }
    JsonObject join = events.get(2);
    assertEquals(room, join.getString("room"));
    assertEquals("default", join.getString("hub"));
    assertEquals(c.node(), join.getString("node"));
    assertTrue(join.getLong("at") > 0);
    assertEquals(List.of(), receiver.badSignatures(), "every POST carries the HMAC of its body");
  }

  @Test
  void aBatchTheReceiverRefusesOrCannotTakeIsSentAgainUntilItIsTaken() {
    receiver.refuseNext(3);
    TestClient c = connect();
    String room = "hooked-2";
    Wire.JSON.join(c, room);
    Await.until(() -> eventsOf(about(c, room)).size() >= 3, Duration.ofSeconds(15), "the events after three refusals");

    receiver.down();
    try {
      Wire.JSON.request(c, io.roomcast.gateway.Envelope.of("leave").withRoom(room));
      long failuresBefore = HubInternal.of(hub).counters().webhookFailedAttempts();
      Await.until(() -> HubInternal.of(hub).counters().webhookFailedAttempts() > failuresBefore + 1, Duration.ofSeconds(10),
        "POSTs that fail while the receiver is down");
    } finally {
      receiver.up();
    }
    Await.until(() -> eventsOf(about(c, room)).size() >= 5, Duration.ofSeconds(15), "the events sent while it was down");
    List<JsonObject> events = eventsOf(about(c, room));
    assertEquals(List.of("connect", "occupied", "join", "leave", "vacated"), events.stream().map(e -> e.getString("type")).toList());
    // The node counts a batch once it reads the receiver's answer, a moment after the receiver has it.
    Await.until(() -> HubInternal.of(hub).counters().webhookEvents(true) >= 5, Duration.ofSeconds(10), "the delivered events counted");
  }

  @Test
  void badWebhooksAreRefusedAndTheSecretIsNeverPrinted() {
    Map<JsonObject, String> bad = Map.of(
      hook().put("secret", "short"), "at least 16 characters",
      hook().put("events", new JsonArray().add("publish")), "no event \"publish\"",
      hook().put("events", new JsonArray()), "at least one event",
      hook().put("url", "ftp://127.0.0.1/hooks"), "http:// or https://",
      hook().put("batchSize", 0), "batchSize",
      hook().put("queueLimit", 0), "queueLimit",
      hook().put("maxRetryDelay", 10), "maxRetryDelay",
      hook().put("colour", "red"), "colour",
      new JsonObject().put("url", receiver.url()), "\"webhooks[0].secret\" is required");
    bad.forEach((json, reason) -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new HubOptions(new JsonObject().put("webhooks", new JsonArray().add(json))), json.encode());
      assertTrue(e.getMessage().contains(reason), json.encode() + ": " + e.getMessage());
    });
    HubOptions read = new HubOptions(new JsonObject().put("webhooks", new JsonArray().add(hook())));
    assertEquals(read.toJson(), new HubOptions(read.toJson()).toJson(), "the JSON form reads back");
    assertFalse(read.toString().contains(SECRET), read.toString());
  }

  private static JsonObject hook() {
    return new JsonObject().put("url", receiver.url()).put("secret", SECRET);
  }
}
