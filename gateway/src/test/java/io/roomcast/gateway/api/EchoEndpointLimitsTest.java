package io.roomcast.gateway.api;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.TestClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The echo endpoint's own limits ({@code echoMaxMessageSize}, {@code echoMaxFragments}), served
 * by the gateway's server: a limit above the hubs' also raises the server's frame limit.
 */
class EchoEndpointLimitsTest extends GatewayTestBase {

  /** Twice the hubs' default, so that the server's frame limit must follow the echo endpoint. */
  private static final int MAX = 2 * 65536;
  private static final int FRAGMENTS = 4;

  @Override
  protected GatewayOptions options() {
    return super.options().setEchoMaxMessageSize(MAX).setEchoMaxFragments(FRAGMENTS);
  }

  private TestClient echo() {
    return connectRaw(port, GatewayOptions.DEFAULT_ECHO_PATH);
  }

  @Test
  void aSingleFrameOfTheRaisedLimitIsEchoedAndOneByteMoreClosesWith1009() {
    TestClient c = echo();
    c.sendBinary(Buffer.buffer(new byte[MAX]));
    assertEquals(MAX, c.takeNext().raw().length());
    c.sendRefusedFrame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[MAX + 1]), true));
    assertEquals(1009, c.awaitClose());
  }

  @Test
  void aMessageInTheAllowedFragmentsIsEchoedAndOneFragmentMoreClosesWith1009() {
    TestClient c = echo();
    c.sendFrame(WebSocketFrame.textFrame("a", false));
    for (int i = 2; i < FRAGMENTS; i++) {
      c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer("b"), false));
    }
    c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer("c"), true));
    assertEquals("abbc", c.takeNext().text());
    c.sendFrame(WebSocketFrame.textFrame("a", false));
    for (int i = 1; i < FRAGMENTS; i++) {
      c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer("b"), false));
    }
    c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer("c"), true));
    assertEquals(1009, c.awaitClose());
  }
}
