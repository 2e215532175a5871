package io.roomcast.gateway.hardening;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.RawSocketClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A connection that does not send a whole request in time is dropped (slowloris). */
class HandshakeTimeoutTest extends GatewayTestBase {

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(new HubOptions().setHandshakeTimeout(300)));
  }

  @Test
  void aHalfSentUpgradeRequestIsDropped() {
    try (RawSocketClient c = RawSocketClient.connect(port)) {
      c.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n".getBytes(StandardCharsets.ISO_8859_1));
      long start = System.nanoTime();
      assertTrue(c.awaitEndOfStream(), "the server kept a half-sent request open");
      assertTrue(System.nanoTime() - start < 5_000_000_000L);
    }
  }

  @Test
  void aSilentConnectionIsDropped() {
    try (RawSocketClient c = RawSocketClient.connect(port)) {
      assertTrue(c.awaitEndOfStream(), "the server kept a silent connection open");
    }
  }

  @Test
  void anUpgradedConnectionOutlivesTheHandshakeTimeout() {
    try (RawSocketClient upgraded = RawSocketClient.upgraded(port, "/ws"); RawSocketClient silent = RawSocketClient.connect(port)) {
      upgraded.readUntil(RawSocketClient.TEXT);
      // The silent one being dropped proves the timeout has passed for both.
      assertTrue(silent.awaitEndOfStream(), "the silent connection was kept");
      upgraded.sendText("{\"event\":\"ping\",\"id\":1}");
      assertEquals(1, new io.vertx.core.json.JsonObject(upgraded.readUntil(RawSocketClient.TEXT).text()).getInteger("id"));
    }
  }
}
