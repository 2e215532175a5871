package io.roomcast.gateway.node;

import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The warm-up's hand-written WebSocket client against a real gateway: its upgrade and its masked
 * frames are what the server takes from a browser, and what it cannot finish it reports without
 * failing.
 */
class WarmupClientTest extends GatewayTestBase {

  private NetClient net;
  private final AtomicInteger closed = new AtomicInteger();

  @BeforeEach
  void netClient() {
    net = vertx.createNetClient();
    hub.onClose(c -> closed.incrementAndGet());
  }

  @Test
  void aClientWithARoomJoinsPublishesThereAndCloses() {
    TestClient member = TestClient.connect(vertx, port, "/ws");
    Wire.JSON.join(member, "warmup-3");

    assertTrue(Await.result(WarmupClient.run(net, port, "warmup-3", 42)));

    Msg published = member.takeEvent("warmup");
    assertEquals("warmup-3", published.room());
    assertEquals(42, published.dataObject().getInteger("n"));
    assertEquals("hello", published.dataObject().getString("text"));
    Await.until(() -> closed.get() == 1, TestClient.TIMEOUT, "the warm-up client's connection closed on the server");
  }

  @Test
  void aClientWithoutARoomClosesAfterTheWelcome() {
    assertTrue(Await.result(WarmupClient.run(net, port, null, 1)));
    Await.until(() -> closed.get() == 1, TestClient.TIMEOUT, "the warm-up client's connection closed on the server");
  }

  @Test
  void aRefusedPublishIsReportedAsNotDone() {
    hub.on("warmup", event -> {
      throw new IllegalStateException("refused here");
    });
    assertFalse(Await.result(WarmupClient.run(net, port, "warmup-0", 1)));
  }

  @Test
  void anAnswerOtherThan101IsReportedAsNotDone() {
    Router router = Router.router(vertx);
    router.route().handler(rc -> rc.response().setStatusCode(404).end());
    assertFalse(Await.result(WarmupClient.run(net, serve(router), null, 1)));
  }

  @Test
  void aFrameItCannotReadAfterTheUpgradeIsReportedAsNotDone() {
    // A 101, then a text frame announcing a 64-bit length: nothing the gateway sends a warm-up client.
    NetServer odd = Await.result(vertx.createNetServer().connectHandler(s -> s.handler(request -> s.write(
      Buffer.buffer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
        .appendBytes(new byte[] {(byte) 0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0})))).listen(0, "127.0.0.1"));
    assertFalse(Await.result(WarmupClient.run(net, odd.actualPort(), null, 1)));
  }

  @Test
  void aServerThatClosesAtOnceOrIsNotThereIsReportedAsNotDone() {
    NetServer closing = Await.result(vertx.createNetServer().connectHandler(s -> s.close()).listen(0, "127.0.0.1"));
    assertFalse(Await.result(WarmupClient.run(net, closing.actualPort(), null, 1)));
    int gone = closing.actualPort();
    Await.result(closing.close());
    assertFalse(Await.result(WarmupClient.run(net, gone, null, 1)));
  }
}
