package io.roomcast.gateway.impl;

import io.roomcast.gateway.impl.bus.RoomDelivery;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fan-out encodes a frame once per node and encoding, and writes those same bytes to every member. */
class FrameEncodingTest {

  @Test
  void aDeliveryEncodesEachFrameOnce() {
    RoomDelivery d = new RoomDelivery("lobby", "chat", "n.0.1", "n.0.1", new JsonObject().put("text", "héllo").toBuffer(), false);
    assertSame(d.jsonFrame(), d.jsonFrame());
    assertSame(d.binaryFrame(), d.binaryFrame());
    assertEquals(new JsonObject().put("event", "chat").put("room", "lobby").put("from", "n.0.1").put("data", new JsonObject().put("text", "héllo")),
      new JsonObject(Buffer.buffer(d.jsonFrame())));
  }

  @Test
  void textFramesWrapTheSharedBytesOnThisVertx() {
    // If this fails after a Vert.x upgrade, every member of a fan-out encodes the frame again.
    assertTrue(TextFrames.wrapsBytes(), "Vert.x's frame constructor from UTF-8 bytes was not found");
    byte[] utf8 = "{\"event\":\"é\"}".getBytes(StandardCharsets.UTF_8);
    WebSocketFrame frame = TextFrames.of(utf8);
    assertTrue(frame.isText());
    assertTrue(frame.isFinal());
    assertArrayEquals(utf8, frame.binaryData().getBytes());
    assertEquals("{\"event\":\"é\"}", frame.textData());
  }
}
