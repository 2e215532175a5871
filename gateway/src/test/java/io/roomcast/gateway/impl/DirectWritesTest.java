package io.roomcast.gateway.impl;

import io.roomcast.gateway.Connection;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Promise;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.core.net.impl.VertxHandler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vert.x's WebSocket connections can take the direct outbound queue, and writes from any thread
 * still reach the client, in order. If the first test fails after a Vert.x upgrade, every idle
 * connection costs 4.7 KiB more again (docs/VERTX_DIRECT_WEBSOCKET_WRITES.md).
 *
 * <p>On that queue a fan-out's frame is encoded for the wire once and written as it is to every
 * member ({@link WireFrames}): members of both encodings get each message whole, at every length
 * the frame header knows (one, three and nine bytes). If the hub connection's test fails after a
 * Vert.x upgrade, each member's frame is made, encoded and copied again (docs/BENCHMARKS.md).
 */
class DirectWritesTest extends GatewayTestBase {

  private static final int MESSAGES = 2_000;

  private final CompletableFuture<Connection> connected = new CompletableFuture<>();

  @Override
  protected void configure(Gateway gateway) {
    gateway.hubs().get(0).onConnect(connected::complete);
  }

  @Test
  void aSocketUpgradedOnAVertxWebRouteIsUnwrappedAndTakesTheDirectQueue() throws Exception {
    assertNull(DirectWrites.unavailable(), "this Vert.x has no direct queue to give WebSocket connections");
    CompletableFuture<ServerWebSocket> adopted = new CompletableFuture<>();
    Router router = Router.router(vertx);
    router.route("/direct").handler(rc -> rc.request().toWebSocket().onSuccess(ws -> {
      ServerWebSocket own = DirectWrites.adopt(ws);
      adopted.complete(own);
      own.writeTextMessage("written directly");
    }));
    int serverPort = serve(router);

    // Held until the end: Vert.x closes a client that nothing references.
    WebSocketClient client = vertx.createWebSocketClient();
    Promise<String> first = Promise.promise();
    Await.result(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(serverPort).setURI("/direct"))
      .onSuccess(ws -> ws.textMessageHandler(first::tryComplete)));
    String received = Await.result(first.future());
    Await.result(client.close());

    ServerWebSocket own = adopted.get(10, TimeUnit.SECONDS);
    assertInstanceOf(WebSocketInternal.class, own, "the router's wrapper was not taken off");
    assertEquals("DirectOutboundMessageQueue", outboundQueueOf(own).getClass().getSimpleName());
    // The upgrade's request, response and HTTP connection are no longer held for the socket's life.
    assertNull(field(VertxHandler.class, "connectionFactory", handlerOf(own)));
    assertEquals("written directly", received);
  }

  @Test
  void anOpenConnectionKeepsItsRequestHeadersButNotThoseOfTheUpgrade() throws Exception {
    track(TestClient.connect(vertx, TestClient.options(port, "/ws", "roomcast.v1.json").addHeader("X-Tenant", "acme")));
    MultiMap headers = connected.get(10, TimeUnit.SECONDS).handshake().headers();
    assertEquals("acme", headers.get("X-Tenant"));
    assertNotNull(headers.get("Host"));
    assertEquals("roomcast.v1.json", headers.get("Sec-WebSocket-Protocol"));
    for (String upgradeOnly : List.of("Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version")) {
      assertNull(headers.get(upgradeOnly), upgradeOnly);
    }
  }

  @Test
  void writesFromThreadsOutsideTheEventLoopArriveInOrder() throws Exception {
    TestClient client = connect();
    Connection connection = connected.get(10, TimeUnit.SECONDS);
    // Two threads of their own write at once; each one's messages must arrive in its order.
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    List<CompletableFuture<Future<Void>>> lastWrites = new ArrayList<>();
    for (String writer : List.of("a", "b")) {
      CompletableFuture<Future<Void>> last = new CompletableFuture<>();
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        Future<Void> written = null;
        for (int i = 0; i < MESSAGES; i++) {
          written = i % 2 == 0
            ? connection.send("n", new JsonObject().put("w", writer).put("i", i))
            : connection.sendJson(new JsonObject().put("event", "n").put("data", new JsonObject().put("w", writer).put("i", i)));
        }
        last.complete(written);
      }, "writer-" + writer);
      thread.start();
      writers.add(thread);
      lastWrites.add(last);
    }
    start.countDown();
    for (CompletableFuture<Future<Void>> last : lastWrites) {
      Await.result(last.get(10, TimeUnit.SECONDS));
    }

    int[] next = new int[2];
    for (int received = 0; received < 2 * MESSAGES; received++) {
      Msg m = client.takeEvent("n");
      JsonObject data = m.dataObject();
      int writer = data.getString("w").equals("a") ? 0 : 1;
      assertEquals(next[writer], data.getInteger("i"), "writer " + data.getString("w") + " out of order");
      next[writer]++;
    }
    assertEquals(MESSAGES, next[0]);
    assertEquals(MESSAGES, next[1]);
  }

  @Test
  void aHubConnectionTakesFramesEncodedOnceForAllMembers() throws Exception {
    connect();
    assertTrue(((WebSocketConnection) connected.get(10, TimeUnit.SECONDS)).takesSharedFrames(),
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

  private static Object outboundQueueOf(ServerWebSocket ws) {
    return field(VertxConnection.class, "outboundMessageQueue", handlerOf(ws).getConnection());
  }

  private static VertxHandler<?> handlerOf(ServerWebSocket ws) {
    return (VertxHandler<?>) ((WebSocketInternal) ws).channelHandlerContext().handler();
  }

  private static Object field(Class<?> type, String name, Object of) {
    try {
      Field field = type.getDeclaredField(name);
      field.setAccessible(true);
      return field.get(of);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
