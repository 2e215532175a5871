package io.roomcast.gateway.api;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.RawSocketClient;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ordinary closes, by either side, raise no exception on the server. */
class CleanCloseTest extends GatewayTestBase {

  @Test
  void closesByClientsAndByTheServerRaiseNoException() {
    List<Throwable> unhandled = new CopyOnWriteArrayList<>();
    vertx.exceptionHandler(unhandled::add);
    for (int i = 0; i < 20; i++) {
      TestClient c = connect(i % 2 == 0 ? Wire.JSON.subprotocol() : Wire.BINARY.subprotocol());
      Wire.JSON.join(c, "room-" + i);
      if (i % 3 == 0) {
        Await.result(hub.kick(c.id()));
      } else {
        c.close();
      }
      c.awaitClose();
    }
    // A close frame followed at once by more frames, as a client may send them.
    try (RawSocketClient raw = RawSocketClient.upgraded(port, "/ws")) {
      raw.readUntil(RawSocketClient.TEXT);
      raw.sendFrame(true, RawSocketClient.CLOSE, new byte[] {0x03, (byte) 0xE8});
      raw.tryWrite(RawSocketClient.frame(true, 0, RawSocketClient.TEXT, "{\"event\":\"ping\"}".getBytes(), true));
      assertEquals(1000, raw.awaitClose());
    }
    TestClient witness = connect();
    Wire.JSON.request(witness, Envelope.of("ping"));
    Await.until(() -> io.roomcast.gateway.testing.Await.result(hub.count()) == 1, Duration.ofSeconds(10), "only the witness is left");
    assertTrue(unhandled.isEmpty(), () -> "unhandled: " + unhandled);
  }
}
