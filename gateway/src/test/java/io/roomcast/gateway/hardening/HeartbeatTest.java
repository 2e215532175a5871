package io.roomcast.gateway.hardening;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.RawSocketClient;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** WebSocket pings to idle clients, and the close with 1001 of those that never answer. */
class HeartbeatTest extends GatewayTestBase {

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(new HubOptions().setPingInterval(300).setPongTimeout(300)));
  }

  @Test
  void aClientThatNeverAnswersPingsIsClosedWith1001() {
    RawSocketClient c = RawSocketClient.upgraded(port, "/ws");
    c.readUntil(RawSocketClient.TEXT);
    c.readUntil(RawSocketClient.PING);
    long start = System.nanoTime();
    assertEquals(1001, c.awaitClose());
    long waited = (System.nanoTime() - start) / 1_000_000;
    assertFalse(waited > 3000, "closed only after " + waited + " ms");
  }

  @Test
  void aClientThatAnswersPingsStaysOpen() {
    try (RawSocketClient c = RawSocketClient.upgraded(port, "/ws")) {
      c.readUntil(RawSocketClient.TEXT);
      for (int pings = 0; pings < 5; pings++) {
        RawSocketClient.Frame ping = c.readFrame();
        assertEquals(RawSocketClient.PING, ping.opcode(), "expected a ping, got opcode " + ping.opcode());
        c.sendFrame(true, RawSocketClient.PONG, ping.payload());
      }
      c.sendText("{\"event\":\"ping\",\"id\":\"still-here\"}");
      RawSocketClient.Frame reply = c.readUntil(RawSocketClient.TEXT);
      assertEquals("still-here", new io.vertx.core.json.JsonObject(reply.text()).getString("id"));
    }
  }

  @Test
  void anyFrameAnswersAPing() {
    try (RawSocketClient c = RawSocketClient.upgraded(port, "/ws")) {
      c.readUntil(RawSocketClient.TEXT);
      // Never a pong: a message after each ping is sign of life enough.
      for (int i = 0; i < 5; i++) {
        c.readUntil(RawSocketClient.PING);
        String id = "alive-" + i;
        c.sendText("{\"event\":\"ping\",\"id\":\"" + id + "\"}");
        RawSocketClient.Frame reply = c.readUntil(RawSocketClient.TEXT);
        assertEquals(id, new JsonObject(reply.text()).getString("id"));
      }
    }
  }

  @Test
  void aVertxClientAnswersPingsByItselfAndStaysOpen() {
    TestClient c = connect();
    Await.until(() -> c.pingsReceived() >= 4, Duration.ofSeconds(10), "four pings answered");
    assertFalse(c.isClosed());
    assertEquals("ok", Wire.JSON.request(c, Envelope.of("ping")).status());
  }
}
