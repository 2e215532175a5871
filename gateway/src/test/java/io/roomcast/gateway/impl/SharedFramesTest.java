package io.roomcast.gateway.impl;

import io.roomcast.gateway.Connection;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fan-out's frame is encoded for the wire once and written as it is to every member: members
 * of both encodings get each message whole, at every length the frame header knows (one, three
 * and nine bytes). If the first test fails after a Vert.x upgrade, each member's frame is made,
 * encoded and copied again, with a promise per write (docs/BENCHMARKS.md).
 */
class SharedFramesTest extends GatewayTestBase {

  private final CompletableFuture<Connection> connected = new CompletableFuture<>();

  @Override
  protected void configure(Gateway gateway) {
    gateway.hubs().get(0).onConnect(connected::complete);
  }

  @Test
  void aHubConnectionTakesFramesEncodedOnceForAllMembers() throws Exception {
    connect();
    Connection connection = connected.get(10, TimeUnit.SECONDS);
    assertTrue(((WebSocketConnection) connection).takesSharedFrames(),
      "fan-outs go through Vert.x's frames on this Vert.x: " + DirectWrites.unavailable());
  }

  @Test
  void membersOfBothEncodingsGetMessagesOfEveryFrameLengthWhole() {
    TestClient json = connect();
    TestClient binary = connect(Wire.BINARY.subprotocol());
    Wire.JSON.join(json, "sizes");
    Wire.BINARY.join(binary, "sizes");
    // Frames of under 126 bytes, of up to 65,535 and of more, in both encodings.
    for (int length : new int[] {0, 50, 100, 65_400, 65_535, 70_000, 300_000}) {
      String text = "x".repeat(length);
      Await.result(hub.broadcast("sizes", "size", text));
      assertEquals(text, json.takeEvent("size").data(), "JSON member, " + length + " characters");
      assertEquals(text, binary.takeEvent("size").data(), "binary member, " + length + " characters");
    }
    byte[] bytes = new byte[70_000];
    new Random(7).nextBytes(bytes);
    Await.result(hub.broadcast("sizes", "bytes", Buffer.buffer(bytes)));
    assertEquals(Base64.getEncoder().encodeToString(bytes), json.takeEvent("bytes").data());
    assertEquals(Buffer.buffer(bytes), binary.takeEvent("bytes").dataBytes());
  }
}
