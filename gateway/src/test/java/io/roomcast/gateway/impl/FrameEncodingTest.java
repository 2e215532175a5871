package io.roomcast.gateway.impl;

import io.roomcast.gateway.impl.bus.RoomDelivery;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
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

  @Test
  void wireFramesAreTheBytesNettysEncoderWritesAtEveryLength() {
    // Payloads at the edges of the header's one-, three- and nine-byte lengths.
    for (int length : new int[] {0, 125, 126, 127, 65_535, 65_536, 70_000}) {
      String text = "y".repeat(length);
      RoomDelivery d = new RoomDelivery("r", "e", null, null, Buffer.buffer("\"" + text + "\""), false);
      WireFrames wire = new WireFrames(d);
      assertEquals(nettyEncoded(new TextWebSocketFrame(Unpooled.wrappedBuffer(d.jsonFrame()))), wire.json(),
        "text frame of " + d.jsonFrame().length + " bytes");
      Buffer binary = d.binaryFrame();
      assertEquals(nettyEncoded(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(binary.getBytes()))), wire.binary(),
        "binary frame of " + binary.length() + " bytes");
      wire.release();
    }
    for (int length : new int[] {0, 125, 126, 65_535, 65_536}) {
      ByteBuf header = WireFrames.header(0x82, length);
      assertEquals(length <= 125 ? 2 : length <= 65_535 ? 4 : 10, header.readableBytes(), "header for " + length + " bytes");
      header.release();
    }
  }

  @Test
  void aMembersWriteKeepsTheFrameAfterTheFanOutLetsGo() {
    WireFrames wire = new WireFrames(new RoomDelivery("r", "e", null, null, Buffer.buffer("1"), false));
    ByteBuf frame = wire.json();
    ByteBuf inFlight = frame.retainedDuplicate();
    wire.release();
    assertEquals(1, frame.refCnt(), "a write still in flight holds the frame");
    inFlight.release();
    assertEquals(0, frame.refCnt(), "the frame went back to the pool");
  }

  private static ByteBuf nettyEncoded(io.netty.handler.codec.http.websocketx.WebSocketFrame frame) {
    EmbeddedChannel channel = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
    assertTrue(channel.writeOutbound(frame));
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf part = channel.readOutbound(); part != null; part = channel.readOutbound()) {
      all.writeBytes(part);
      part.release();
    }
    channel.finishAndReleaseAll();
    return all;
  }
}
