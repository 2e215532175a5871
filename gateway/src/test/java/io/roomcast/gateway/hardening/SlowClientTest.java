package io.roomcast.gateway.hardening;

import io.roomcast.gateway.Connection;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.internal.HubInternal;
import io.roomcast.gateway.internal.HubCounters;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading fills its send queue: messages to it are dropped and counted, it is
 * closed with 1013 once the queue stays full, and a fast member of the same room misses nothing.
 */
class SlowClientTest extends GatewayTestBase {

  private static final int QUEUE = 64 * 1024;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(new HubOptions().setSendQueueLimit(QUEUE).setSlowClientTimeout(1000)
      .setRateLimit(0).setMaxMessageSize(64 * 1024)));
  }

  @Override
  protected void configure(Gateway gateway) {
    gateway.hubs().get(0).onConnect(c -> connections.put(c.id(), c));
  }

  @Test
  void aSlowClientLosesMessagesAndIsClosedWhileAFastOneGetsEverythingInOrder() {
    TestClient publisher = connect();
    TestClient fast = connect();
    TestClient slow = connect();
    for (TestClient c : List.of(publisher, fast, slow)) {
      Wire.JSON.join(c, "stream");
    }
    // The slow client stops reading: the kernel buffers fill, then the server's queue.
    slow.socket().pause();
    // Enough to fill the loopback socket buffers on both sides (several MB) and then the queue.
    String chunk = "x".repeat(56 * 1024);
    int count = 320;
    for (int i = 0; i < count; i++) {
      Wire.JSON.send(publisher, Envelope.of("chunk").withRoom("stream").withData(new io.vertx.core.json.JsonObject().put("i", i).put("pad", chunk)));
    }
    for (int i = 0; i < count; i++) {
      assertEquals(i, fast.takeEvent("chunk").dataObject().getInteger("i"), "the fast member missed or reordered a message");
    }
    HubCounters stats = HubInternal.of(hub).counters();
    assertTrue(stats.dropped(HubCounters.Drop.SLOW_CLIENT) > 0, "nothing was dropped");
    Connection slowOnServer = connections.get(slow.id());
    Await.until(slowOnServer::isClosed, Duration.ofSeconds(10), "the slow client is closed");
    slow.socket().resume();
    assertEquals(1013, slow.awaitClose());
    assertTrue(slow.inbox().size() < count, "the slow client got everything: nothing was dropped for it");
  }
}
