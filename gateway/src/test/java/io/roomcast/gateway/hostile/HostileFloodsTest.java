package io.roomcast.gateway.hostile;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.RawSocketClient;
import io.roomcast.gateway.testing.TestClient;
import org.junit.jupiter.api.Test;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import static io.roomcast.gateway.testing.RawSocketClient.BINARY;
import static io.roomcast.gateway.testing.RawSocketClient.CLOSE;
import static io.roomcast.gateway.testing.RawSocketClient.CONTINUATION;
import static io.roomcast.gateway.testing.RawSocketClient.PING;
import static io.roomcast.gateway.testing.RawSocketClient.PONG;
import static io.roomcast.gateway.testing.RawSocketClient.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Floods of frames, pings and connections: bounded by the limits, and harmless to everyone else.
 */
class HostileFloodsTest extends HostileInputTestBase {

  @Test
  void aFloodOfEmptyContinuationFramesClosesWith1009AtTheFragmentLimit() {
    try (RawSocketClient c = attacker()) {
      ByteArrayOutputStream flood = new ByteArrayOutputStream();
      flood.writeBytes(RawSocketClient.frame(false, 0, TEXT, bytes("{\"event\":\"chat\",\"room\":\"lobby\","), true));
      byte[] empty = RawSocketClient.frame(false, 0, CONTINUATION, new byte[0], true);
      for (int i = 0; i < 100_000; i++) {
        flood.writeBytes(empty);
      }
      // The server may close before all of it is written: what is refused is not sent.
      writeInChunks(c, flood.toByteArray());
      assertEquals(1009, c.awaitClose());
    }
    assertUnharmed();
  }

  @Test
  void aPingFloodIsAnsweredPingForPingAndHarmsNoOne() {
    int pings = 5000;
    try (RawSocketClient c = attacker()) {
      ByteArrayOutputStream flood = new ByteArrayOutputStream();
      for (int i = 0; i < pings; i++) {
        flood.writeBytes(RawSocketClient.frame(true, 0, PING, bytes(Integer.toString(i)), true));
      }
      c.write(flood.toByteArray());
      for (int i = 0; i < pings; i++) {
        assertEquals(Integer.toString(i), c.readUntil(PONG).text());
      }
      assertUnharmed(1 + 1);
      c.sendFrame(true, CLOSE, closePayload(1000, new byte[0]));
      assertEquals(1000, c.awaitClose());
    }
    assertUnharmed();
  }

  @Test
  void aPingFloodThatNeverReadsItsPongsIsHeldBackThenClosedWith1013() {
    // Each ping makes Vert.x queue a pong. A client that never reads them must not make the
    // server queue without bound: once its send queue is full the server stops reading it (TCP
    // pushes back on the flood) and, still full after the slow-client timeout, closes it.
    long limit = 256L * 1024 * 1024;
    AtomicLong written = new AtomicLong();
    try (RawSocketClient c = attacker()) {
      byte[] ping = RawSocketClient.frame(true, 0, PING, new byte[125], true);
      byte[] burst = new byte[ping.length * 512];
      for (int i = 0; i < 512; i++) {
        System.arraycopy(ping, 0, burst, i * ping.length, ping.length);
      }
      Thread flooder = new Thread(() -> {
        while (written.get() < limit && c.tryWrite(burst)) {
          written.addAndGet(burst.length);
        }
      }, "ping-flooder");
      flooder.setDaemon(true);
      flooder.start();
      // The hub lets go of the attacker while the attacker still reads nothing.
      Await.until(() -> Await.result(hub.count()) == 1L, TestClient.TIMEOUT, "the flooder was closed");
      assertTrue(written.get() < limit, "the server read all " + limit + " bytes of pings it could not answer");
      assertEquals(1013, c.awaitClose(), "the close code, after the pongs that were queued");
      Await.until(() -> !flooder.isAlive(), TestClient.TIMEOUT, "the flooder stopped");
    }
    assertUnharmed();
  }

  @Test
  void anEchoFloodReadOnlyLaterArrivesWholeAndInOrder() {
    // The echo endpoint writes back all it reads: it too stops reading while its queue is full,
    // and must pick up again, losing nothing, once the client reads.
    int messages = 512;
    byte[] payload = new byte[32 * 1024];
    try (RawSocketClient c = RawSocketClient.upgraded(port, GatewayOptions.DEFAULT_ECHO_PATH)) {
      Thread flooder = new Thread(() -> {
        for (int i = 0; i < messages; i++) {
          payload[0] = (byte) i;
          if (!c.tryWrite(RawSocketClient.frame(true, 0, BINARY, payload, true))) {
            return;
          }
        }
      }, "echo-flooder");
      flooder.setDaemon(true);
      flooder.start();
      for (int i = 0; i < messages; i++) {
        RawSocketClient.Frame echo = c.readUntil(BINARY);
        assertEquals(payload.length, echo.payload().length);
        assertEquals((byte) i, echo.payload()[0], "echo " + i + " out of order");
      }
      Await.until(() -> !flooder.isAlive(), TestClient.TIMEOUT, "the flood was written");
    }
    assertUnharmed();
  }

  @Test
  void aFloodOfSilentConnectionsIsDroppedAtTheHandshakeTimeout() {
    List<RawSocketClient> silent = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        silent.add(RawSocketClient.connect("127.0.0.3", port));
      }
      assertUnharmed();
      for (RawSocketClient c : silent) {
        assertTrue(c.awaitEndOfStream(), "a silent connection was kept open");
      }
    } finally {
      silent.forEach(RawSocketClient::close);
    }
    assertUnharmed();
  }

  @Test
  void aFloodOfHalfSentHandshakesIsDroppedAtTheHandshakeTimeout() {
    List<RawSocketClient> half = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        RawSocketClient c = RawSocketClient.connect("127.0.0.3", port);
        half.add(c);
        c.write(bytes("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"));
      }
      assertUnharmed();
      for (RawSocketClient c : half) {
        assertTrue(c.awaitEndOfStream(), "a half-sent handshake was kept open");
      }
    } finally {
      half.forEach(RawSocketClient::close);
    }
    assertUnharmed();
  }

  @Test
  void aConnectionFloodFromOneAddressIsRefusedWith429OverTheLimitWhileOtherAddressesConnect() {
    Hub guarded = gateway.hub("guarded");
    List<RawSocketClient> flood = new ArrayList<>();
    int upgraded = 0;
    int refused = 0;
    try {
      for (int i = 0; i < 40; i++) {
        RawSocketClient c = RawSocketClient.connect("127.0.0.3", port);
        flood.add(c);
        int status = c.upgrade("/guarded", Map.of()).status();
        if (status == 101) {
          upgraded++;
        } else {
          assertEquals(429, status);
          refused++;
        }
      }
      assertEquals(PER_ADDRESS, upgraded);
      assertEquals(40 - PER_ADDRESS, refused);
      try (TestClient elsewhere = TestClient.connect(vertx, port, "/guarded")) {
        assertEquals(PER_ADDRESS + 1L, Await.result(guarded.count()));
      }
    } finally {
      flood.forEach(RawSocketClient::close);
    }
    Await.until(() -> Await.result(guarded.count()) == 0L, TestClient.TIMEOUT, "the flood's connections were released");
    assertUnharmed();
  }
}
