package io.roomcast.gateway.hardening;

import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.RawSocketClient;
import io.roomcast.gateway.testing.TestClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocket;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compression is off: the server never agrees to permessage-deflate, so a compressed frame can
 * never be inflated past the message limit (a deflate bomb).
 */
class CompressionTest extends GatewayTestBase {

  private static final int EIGHT_MB = 8 * 1024 * 1024;

  @Test
  void theServerNeverNegotiatesCompression() {
    try (RawSocketClient c = RawSocketClient.connect(port)) {
      RawSocketClient.Response r = c.upgrade("/ws", Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"));
      assertEquals(101, r.status());
      assertNull(r.header("Sec-WebSocket-Extensions"));
    }
  }

  @Test
  void eightMegabytesOfZerosSentCompressedAreRefusedNotInflated() {
    byte[] zeros = new byte[EIGHT_MB];
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    deflater.setInput(zeros);
    deflater.finish();
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    while (!deflater.finished()) {
      compressed.write(buf, 0, deflater.deflate(buf));
    }
    byte[] payload = compressed.toByteArray();
    assertTrue(payload.length < 64 * 1024, "the bomb should be small: " + payload.length);
    RawSocketClient c = RawSocketClient.upgraded(port, "/ws");
    c.readUntil(RawSocketClient.TEXT);
    // RSV1 marks a compressed message; without the extension it is a protocol error.
    c.write(RawSocketClient.frame(true, 0x4, RawSocketClient.BINARY, payload, true));
    int code = c.awaitClose();
    assertTrue(code == 1002 || code == -1, "expected a protocol error close, got " + code);
    TestClient bystander = connect();
    bystander.sync();
  }

  @Test
  void aClientOfferingCompressionSendsPlainFramesAndEightMegabytesAreTooLarge() {
    // Fragments of 64 KiB: a single 8 MB frame is refused unread, and the kernel may then reset
    // the connection before the close frame is read (1006); fragments are read and refused with 1009.
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
      .setTryUsePerMessageCompression(true).setMaxFrameSize(64 * 1024).setMaxMessageSize(EIGHT_MB * 2));
    try {
      WebSocket ws = io.roomcast.gateway.testing.Await.result(client.connect(new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(port).setURI("/ws")));
      java.util.concurrent.CompletableFuture<Short> closed = new java.util.concurrent.CompletableFuture<>();
      ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
      ws.writeBinaryMessage(Buffer.buffer(new byte[EIGHT_MB]));
      assertEquals((short) 1009, closed.get(10, java.util.concurrent.TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      client.close();
    }
  }
}
