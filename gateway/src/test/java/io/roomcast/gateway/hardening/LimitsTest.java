package io.roomcast.gateway.hardening;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.RawSocketClient;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The limits of PROTOCOL.md section 5 that do not concern slow clients or heartbeats. */
class LimitsTest extends GatewayTestBase {

  private static final int RATE = 20;

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(
      new HubOptions().setRateLimit(RATE).setMaxRoomsPerConnection(3).setMaxFragments(8),
      new HubOptions().setName("capped").setPath("/capped").setMaxConnections(3),
      new HubOptions().setName("per-address").setPath("/per-address").setMaxConnectionsPerAddress(2)));
  }

  @Test
  void messagesOverTheRateAreAnsweredRateLimitedAndOthersAreUnaffected() {
    TestClient flooder = connect();
    TestClient other = connect();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5 * RATE; i++) {
      String id = "p" + i;
      ids.add(id);
      flooder.sendJson(new JsonObject().put("event", "ping").put("id", id));
    }
    int ok = 0;
    int limited = 0;
    for (String id : ids) {
      Msg reply = flooder.takeReply(id);
      if ("ok".equals(reply.status())) {
        ok++;
      } else {
        assertEquals("rate_limited", reply.errorCode());
        limited++;
      }
    }
    assertTrue(ok >= 2 * RATE && ok < 4 * RATE, "ok=" + ok);
    assertTrue(limited > 0, "nothing was limited");
    assertEquals("ok", Wire.JSON.request(other, Envelope.of("ping")).status(), "another client was limited");
  }

  @Test
  void aRateSustainedForTenSecondsClosesWith1008() {
    TestClient flooder = connect();
    // About 100 messages per second, five times the limit, from a timer until the close.
    long timer = vertx.setPeriodic(100, id -> {
      for (int i = 0; i < 10 && !flooder.socket().isClosed(); i++) {
        flooder.socket().writeTextMessage("{\"event\":\"ping\"}");
      }
    });
    try {
      assertEquals(1008, flooder.awaitClose(java.time.Duration.ofSeconds(20)));
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  @Test
  void joiningMoreRoomsThanAllowedIsForbidden() {
    TestClient c = connect();
    for (String room : List.of("a", "b", "c")) {
      Wire.JSON.join(c, room);
    }
    assertEquals("forbidden", Wire.JSON.failure(c, Envelope.of("join").withRoom("d")).errorCode());
    Wire.JSON.join(c, "a");
    assertEquals("ok", Wire.JSON.request(c, Envelope.of("leave").withRoom("c")).status());
    Wire.JSON.join(c, "d");
  }

  @Test
  void connectionsOverTheNodeLimitAreRefusedWith503() {
    List<RawSocketClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        RawSocketClient c = RawSocketClient.connect(port);
        open.add(c);
        assertEquals(101, c.upgrade("/capped", Map.of()).status());
      }
      try (RawSocketClient fourth = RawSocketClient.connect(port)) {
        assertEquals(503, fourth.upgrade("/capped", Map.of()).status());
      }
      open.remove(0).close();
      assertTrue(upgradesWithin("/capped", "127.0.0.1"), "a place freed by a close was not given back");
    } finally {
      open.forEach(RawSocketClient::close);
    }
  }

  @Test
  void connectionsOverThePerAddressLimitAreRefusedWith429() {
    List<RawSocketClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        RawSocketClient c = RawSocketClient.connect(port);
        open.add(c);
        assertEquals(101, c.upgrade("/per-address", Map.of()).status());
      }
      try (RawSocketClient third = RawSocketClient.connect(port)) {
        assertEquals(429, third.upgrade("/per-address", Map.of()).status());
      }
      RawSocketClient elsewhere = RawSocketClient.connect("127.0.0.2", port);
      open.add(elsewhere);
      assertEquals(101, elsewhere.upgrade("/per-address", Map.of()).status(), "another address shares the limit");
    } finally {
      open.forEach(RawSocketClient::close);
    }
  }

  @Test
  void aMessageInTooManyFragmentsClosesWith1009() {
    try (RawSocketClient c = RawSocketClient.upgraded(port, "/ws")) {
      c.readUntil(RawSocketClient.TEXT);
      c.sendFrame(false, RawSocketClient.TEXT, "{\"event\":".getBytes());
      for (int i = 0; i < 10; i++) {
        c.sendFrame(false, RawSocketClient.CONTINUATION, new byte[0]);
      }
      assertEquals(1009, c.awaitClose());
    }
  }

  private boolean upgradesWithin(String path, String from) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (RawSocketClient c = RawSocketClient.connect(from, port)) {
        if (c.upgrade(path, Map.of()).status() == 101) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void limitsAreValidated() {
    assertFalse(rejects(() -> new HubOptions().setRateLimit(0)), "0 turns the rate limit off");
    assertTrue(rejects(() -> new HubOptions().setRateLimit(-1)));
    assertTrue(rejects(() -> new HubOptions().setMaxRoomsPerConnection(0)));
    assertTrue(rejects(() -> new HubOptions().setSendQueueLimit(10)));
    assertTrue(rejects(() -> new HubOptions().setMaxConnections(-5)));
  }

  private static boolean rejects(Runnable setter) {
    try {
      setter.run();
      return false;
    } catch (IllegalArgumentException e) {
      return true;
    }
  }
}
