package io.roomcast.gateway.hardening;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.RawSocketClient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OriginTest extends GatewayTestBase {

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(
      new HubOptions().setAllowedOrigins(List.of("https://app.example.com", "https://*.example.org:8443")),
      new HubOptions().setName("strict").setPath("/strict").setRequireOrigin(true).setAllowedOrigins(List.of("*"))));
  }

  private int status(String path, Map<String, String> headers) {
    try (RawSocketClient c = RawSocketClient.connect(port)) {
      return c.upgrade(path, headers).status();
    }
  }

  @Test
  void listedOriginsAreUpgraded() {
    assertEquals(101, status("/ws", Map.of("Origin", "https://app.example.com")));
    assertEquals(101, status("/ws", Map.of("Origin", "https://chat.eu.example.org:8443")));
    assertEquals(101, status("/ws", Map.of("Origin", "HTTPS://APP.EXAMPLE.COM")));
  }

  @Test
  void otherOriginsAreRefusedWith403BeforeTheUpgrade() {
    for (String origin : List.of("https://evil.com", "http://app.example.com", "https://app.example.com.evil.com",
      "https://x.example.org", "https://x.example.org:9443", "null", "https://example.org:8443")) {
      assertEquals(403, status("/ws", Map.of("Origin", origin)), origin);
    }
  }

  @Test
  void aRequestWithoutOriginPassesUnlessTheHubRequiresOne() {
    assertEquals(101, status("/ws", Map.of()));
    assertEquals(403, status("/strict", Map.of()));
    assertEquals(101, status("/strict", Map.of("Origin", "https://anything.test")));
  }

  @Test
  void anInvalidAllowedOriginIsRefusedWhenConfigured() {
    for (String bad : List.of("example.com", "https://example.com/path", "*.example.com", "")) {
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new HubOptions().setAllowedOrigins(List.of(bad)), bad);
    }
  }
}
