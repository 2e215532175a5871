package io.roomcast.gateway.api;

import io.roomcast.gateway.Connection;
import io.roomcast.gateway.RawEndpoint;
import io.roomcast.gateway.RawMessage;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.Recorder;
import io.roomcast.gateway.testing.TestClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Raw endpoints: whole messages in, frames out, no envelopes; the size and UTF-8 limits still hold. */
class RawEndpointTest extends GatewayTestBase {

  private static final int MAX = 1024;

  private TestClient connectRaw(RawEndpoint endpoint) {
    Router router = Router.router(vertx);
    router.route("/raw").handler(endpoint.handler());
    return connectRaw(serve(router), "/raw");
  }

  private static WebSocketFrame textFrame(byte[] bytes, boolean last) {
    WebSocketFrame text = WebSocketFrame.textFrame("", last);
    text.binaryData().appendBytes(bytes);
    return text;
  }

  @Test
  void echoSendsEveryMessageBackWithItsType() {
    TestClient c = connectRaw(RawEndpoint.echo(vertx));
    c.sendText("hello é€😀");
    Msg text = c.takeNext();
    assertFalse(text.binary());
    assertEquals("hello é€😀", text.text());
    byte[] bytes = {0, (byte) 0xFF, (byte) 0xC3, 0x28};
    c.sendBinary(Buffer.buffer(bytes));
    Msg binary = c.takeNext();
    assertTrue(binary.binary());
    assertArrayEquals(bytes, binary.raw().getBytes());
  }

  @Test
  void aFragmentedMessageIsHandledWhole() {
    TestClient c = connectRaw(RawEndpoint.echo(vertx));
    byte[] text = "split é€😀 here".getBytes(StandardCharsets.UTF_8);
    c.sendFrame(textFrame(java.util.Arrays.copyOfRange(text, 0, 8), false));
    c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(java.util.Arrays.copyOfRange(text, 8, 13)), false));
    c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(java.util.Arrays.copyOfRange(text, 13, text.length)), true));
    assertEquals("split é€😀 here", c.takeNext().text());
  }

  @Test
  void aMessageOfTheMaxSizeIsHandledAndALargerOneClosesWith1009() {
    Recorder<Connection> closed = new Recorder<>();
    TestClient c = connectRaw(RawEndpoint.echo(vertx).maxMessageSize(MAX).onClose(closed::add));
    c.sendBinary(Buffer.buffer(new byte[MAX]));
    assertEquals(MAX, c.takeNext().raw().length());
    c.sendRefusedFrame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[MAX + 1]), true));
    assertEquals(1009, c.awaitClose());
    closed.awaitCount(1);
  }

  @Test
  void fragmentsOverTheMaxSizeTogetherCloseWith1009() {
    TestClient c = connectRaw(RawEndpoint.echo(vertx).maxMessageSize(MAX));
    c.sendFrame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[MAX / 2 + 1]), false));
    c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[MAX / 2]), true));
    assertEquals(1009, c.awaitClose());
  }

  @Test
  void invalidUtf8InTextClosesWith1007ButIsFineInBinary() {
    byte[] bad = {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
    TestClient binary = connectRaw(RawEndpoint.echo(vertx));
    binary.sendBinary(Buffer.buffer(bad));
    assertArrayEquals(bad, binary.takeNext().raw().getBytes());
    TestClient text = connectRaw(RawEndpoint.echo(vertx));
    text.sendFrame(textFrame(bad, true));
    assertEquals(1007, text.awaitClose());
  }

  @Test
  void callbacksSeeOneConnectionFromOpenToClose() {
    Recorder<Connection> opened = new Recorder<>();
    Recorder<RawMessage> messages = new Recorder<>();
    Recorder<Connection> closed = new Recorder<>();
    RawEndpoint endpoint = RawEndpoint.create(vertx)
      .onConnect(conn -> {
        opened.add(conn);
        conn.sendText("id " + conn.id());
      })
      .onMessage(messages::add)
      .onClose(closed::add);
    TestClient c = connectRaw(endpoint);
    Connection conn = opened.awaitCount(1).get(0);
    assertEquals("id " + conn.id(), c.takeNext().text());
    assertNull(conn.hub());
    assertTrue(conn.rooms().isEmpty());
    assertTrue(conn.claims().isEmpty());
    assertFalse(conn.isClosed());
    c.sendText("one");
    c.sendBinary(Buffer.buffer("two"));
    RawMessage first = messages.awaitCount(2).get(0);
    RawMessage second = messages.awaitCount(2).get(1);
    assertSame(conn, first.connection());
    assertTrue(first.text());
    assertEquals("one", first.textData());
    assertFalse(second.text());
    assertEquals(Buffer.buffer("two"), second.data());
    c.close();
    assertSame(conn, closed.awaitCount(1).get(0));
    assertTrue(conn.isClosed());
    Await.result(conn.closeFuture());
  }

  @Test
  void aThrowingCallbackGoesToOnErrorAndTheConnectionGoesOn() {
    Recorder<Throwable> errors = new Recorder<>();
    RawEndpoint endpoint = RawEndpoint.create(vertx)
      .onMessage(m -> {
        if ("boom".equals(m.textData())) {
          throw new IllegalStateException("raw boom");
        }
        m.connection().sendText("echo " + m.textData());
      })
      .onError((conn, t) -> errors.add(t));
    TestClient c = connectRaw(endpoint);
    c.sendText("boom");
    assertEquals("raw boom", errors.awaitCount(1).get(0).getMessage());
    c.sendText("after");
    assertEquals("echo after", c.takeNext().text());
  }

  @Test
  void theServerClosesWithItsCodeAndReason() {
    RawEndpoint endpoint = RawEndpoint.create(vertx).onMessage(m -> m.connection().close(4001, "bye " + m.textData()));
    TestClient c = connectRaw(endpoint);
    c.sendText("now");
    assertEquals(4001, c.awaitClose());
    assertEquals("bye now", c.closeReason());
  }
}
