package io.roomcast.gateway.protocol;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.TestClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The two limits that close a connection on its own messages: size (1009) and UTF-8 (1007). */
class FrameLimitsTest extends GatewayTestBase {

  private static final int MAX = 4096;

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(new HubOptions().setMaxMessageSize(MAX)));
  }

  private static String jsonOfSize(int size) {
    String head = "{\"event\":\"ping\",\"data\":\"";
    return head + "x".repeat(size - head.length() - 2) + "\"}";
  }

  @Test
  void aMessageOfExactlyTheLimitIsAccepted() {
    TestClient c = connect();
    String text = jsonOfSize(MAX);
    assertEquals(MAX, text.getBytes(StandardCharsets.UTF_8).length);
    c.sendText(text);
    c.takeEvent("pong");
    assertFalse(c.isClosed());
  }

  @Test
  void aSingleFrameOverTheLimitClosesWith1009() {
    TestClient c = connect();
    TestClient bystander = connect();
    c.sendText(jsonOfSize(MAX + 1));
    assertEquals(1009, c.awaitClose());
    bystander.sync();
    assertFalse(bystander.isClosed());
  }

  @Test
  void aHugeSingleFrameClosesWith1009() {
    TestClient c = connect();
    c.sendRefusedFrame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[1024 * 1024]), true));
    assertEquals(1009, c.awaitClose());
  }

  @Test
  void fragmentsOverTheLimitTogetherCloseWith1009() {
    TestClient c = connect();
    String text = jsonOfSize(MAX + 100);
    int half = text.length() / 2;
    c.sendFrame(WebSocketFrame.textFrame(text.substring(0, half), false));
    c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(text.substring(half)), true));
    assertEquals(1009, c.awaitClose());
  }

  @Test
  void aFragmentedMessageUnderTheLimitIsJoined() {
    TestClient c = connect();
    String id = TestClient.newRequestId();
    byte[] text = new JsonObject().put("event", "ping").put("id", id).put("data", "é€😀").encode().getBytes(StandardCharsets.UTF_8);
    // Split inside multi-byte characters: only the whole message must be valid UTF-8.
    int cut1 = text.length - 6;
    int cut2 = text.length - 3;
    c.sendFrame(WebSocketFrame.textFrame(new String(text, 0, 10, StandardCharsets.UTF_8), false));
    c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(java.util.Arrays.copyOfRange(text, 10, cut1)), false));
    c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(java.util.Arrays.copyOfRange(text, cut1, cut2)), false));
    c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(java.util.Arrays.copyOfRange(text, cut2, text.length)), true));
    assertEquals("ok", c.takeReply(id).status());
  }

  @Test
  void invalidUtf8InATextFrameClosesWith1007() {
    TestClient c = connect();
    TestClient bystander = connect();
    Buffer bad = Buffer.buffer("{\"event\":\"ping\",\"data\":\"").appendBytes(new byte[] {(byte) 0xC3, (byte) 0x28}).appendString("\"}");
    c.sendFrame(textFrame(bad));
    assertEquals(1007, c.awaitClose());
    bystander.sync();
  }

  @Test
  void invalidUtf8InALaterFragmentClosesWith1007() {
    TestClient c = connect();
    c.sendFrame(WebSocketFrame.textFrame("{\"event\":\"ping\",", false));
    c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), false));
    assertEquals(1007, c.awaitClose());
  }

  @Test
  void aTruncatedCodePointAtTheEndClosesWith1007() {
    TestClient c = connect();
    c.sendFrame(WebSocketFrame.textFrame("{\"event\":\"ping\"}", false));
    c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[] {(byte) 0xE2, (byte) 0x82}), true));
    assertEquals(1007, c.awaitClose());
  }

  /** A text frame of raw bytes: Vert.x only builds text frames from Strings, which are always valid. */
  private static WebSocketFrame textFrame(Buffer bytes) {
    WebSocketFrame text = WebSocketFrame.textFrame("", true);
    text.binaryData().appendBuffer(bytes);
    return text;
  }
}
