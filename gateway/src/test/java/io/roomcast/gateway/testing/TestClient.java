package io.roomcast.gateway.testing;

import io.roomcast.gateway.Envelope;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A real WebSocket client for tests, used from the test thread: it keeps every frame the server
 * sends in an inbox, and tests take from the inbox what they expect, waiting with a deadline.
 */
public final class TestClient implements AutoCloseable {

  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final AtomicLong IDS = new AtomicLong();

  private final WebSocketClient client;
  private final ClientWebSocket ws;
  private final boolean raw;
  private final List<Msg> inbox = new ArrayList<>();
  /** Every text and binary frame sent and received, in order, none ever taken (the AsyncAPI contract test reads them). */
  private final List<Frame> frames = new ArrayList<>();

  /** A frame as it went over the wire: sent by this client, or received. */
  public record Frame(boolean sent, boolean binary, Buffer bytes) {
  }
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  private final AtomicLong pings = new AtomicLong();
  private volatile long firstPingAt;
  private String clientId;
  private String node;
  private JsonObject welcome;

  private TestClient(WebSocketClient client, ClientWebSocket ws, boolean raw) {
    this.client = client;
    this.ws = ws;
    this.raw = raw;
    // Handlers go on before connecting: the welcome follows the upgrade at once.
    ws.frameHandler(this::onFrame);
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
  }

  /**
   * Connects and waits for the welcome.
   *
   * @param vertx the Vert.x instance of the test
   * @param port the server port
   * @param path the path
   * @param subprotocols the subprotocols offered, none for none
   */
  public static TestClient connect(Vertx vertx, int port, String path, String... subprotocols) {
    return connect(vertx, options(port, path, subprotocols));
  }

  /** Connects with options of its own (headers, query) and waits for the welcome. */
  public static TestClient connect(Vertx vertx, WebSocketConnectOptions options) {
    TestClient c = open(vertx, options);
    c.awaitWelcome();
    return c;
  }

  /** Connects with extra request headers and waits for the welcome. */
  public static TestClient openWelcomed(Vertx vertx, int port, String path, java.util.Map<String, String> headers) {
    WebSocketConnectOptions options = options(port, path);
    headers.forEach(options::addHeader);
    TestClient c = open(vertx, options);
    c.awaitWelcome();
    return c;
  }

  /** @return options for a loopback connection to a path, offering the subprotocols */
  public static WebSocketConnectOptions options(int port, String path, String... subprotocols) {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path)
      .setSubProtocols(subprotocols.length == 0 ? null : List.of(subprotocols));
  }

  /** Opens a connection without waiting for anything. */
  public static TestClient open(Vertx vertx, WebSocketConnectOptions options) {
    return open(vertx, options, false);
  }

  /**
   * Opens a connection to an endpoint without the envelope protocol: frames are kept as they
   * came ({@link Msg#raw()}), not parsed as envelopes.
   */
  public static TestClient openRaw(Vertx vertx, WebSocketConnectOptions options) {
    return open(vertx, options, true);
  }

  private static TestClient open(Vertx vertx, WebSocketConnectOptions options, boolean raw) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
      .setMaxFrameSize(16 * 1024 * 1024).setMaxMessageSize(16 * 1024 * 1024));
    TestClient c = new TestClient(client, client.webSocket(), raw);
    Await.result(c.ws.connect(options));
    return c;
  }

  private void awaitWelcome() {
    Msg w = take(m -> "welcome".equals(m.event()));
    welcome = w.dataObject();
    clientId = welcome.getString("id");
    node = welcome.getString("node");
  }

  private void onFrame(WebSocketFrame frame) {
    Msg msg;
    if (frame.isPing()) {
      if (pings.getAndIncrement() == 0) {
        firstPingAt = System.nanoTime();
      }
      return;
    }
    if (raw && (frame.isText() || frame.isBinary())) {
      msg = Msg.ofRaw(frame.isBinary(), frame.binaryData());
    } else if (frame.isText()) {
      msg = Msg.ofText(frame.binaryData());
    } else if (frame.isBinary()) {
      msg = Msg.ofBinary(frame.binaryData());
    } else {
      return;
    }
    log(new Frame(false, frame.isBinary(), frame.binaryData().copy()));
    synchronized (inbox) {
      inbox.add(msg);
      inbox.notifyAll();
    }
  }

  private void log(Frame frame) {
    synchronized (frames) {
      frames.add(frame);
    }
  }

  /** @return whether this client speaks the envelope protocol (not a raw endpoint's frames) */
  public boolean speaksEnvelopes() {
    return !raw;
  }

  /** @return every text and binary frame this client sent and received so far, in order */
  public List<Frame> frames() {
    synchronized (frames) {
      return new ArrayList<>(frames);
    }
  }

  /** @return how many WebSocket pings the server sent (Vert.x answers them by itself) */
  public long pingsReceived() {
    return pings.get();
  }

  /** @return when the first WebSocket ping arrived ({@link System#nanoTime()}), 0 before it */
  public long firstPingAt() {
    return firstPingAt;
  }

  /** @return the id the welcome gave */
  public String id() {
    return clientId;
  }

  /** @return the node the welcome named */
  public String node() {
    return node;
  }

  /** @return the welcome's data */
  public JsonObject welcome() {
    return welcome;
  }

  /** @return the selected subprotocol */
  public String subProtocol() {
    return ws.subProtocol();
  }

  public WebSocket socket() {
    return ws;
  }

  public void sendText(String text) {
    log(new Frame(true, false, Buffer.buffer(text)));
    ws.writeFrame(WebSocketFrame.textFrame(text, true)).await();
  }

  public void sendJson(JsonObject json) {
    sendText(json.encode());
  }

  public void sendBinary(Buffer data) {
    log(new Frame(true, true, data.copy()));
    ws.writeFrame(WebSocketFrame.binaryFrame(data, true)).await();
  }

  public void sendFrame(WebSocketFrame frame) {
    ws.writeFrame(frame).await();
  }

  /**
   * Sends a frame that the server refuses as it arrives: it may close the connection before the
   * frame is all out, and the write then fails (a broken pipe), which is the server doing its job.
   */
  public void sendRefusedFrame(WebSocketFrame frame) {
    ws.writeFrame(frame).otherwiseEmpty().await();
  }

  /** Sends an envelope as JSON in a text frame. */
  public void sendJson(Envelope e) {
    sendText(e.toJson().toString());
  }

  /** Sends an envelope as a binary frame. */
  public void sendBinary(Envelope e) {
    sendBinary(e.toBinary());
  }

  /** @return a fresh request id */
  public static String newRequestId() {
    return "r" + IDS.incrementAndGet();
  }

  /**
   * Waits for the first frame that matches and takes it out of the inbox.
   *
   * @throws AssertionError when none arrives in time
   */
  public Msg take(Predicate<Msg> matching) {
    return take(matching, TIMEOUT);
  }

  public Msg take(Predicate<Msg> matching, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (inbox) {
      while (true) {
        for (Iterator<Msg> it = inbox.iterator(); it.hasNext(); ) {
          Msg m = it.next();
          if (matching.test(m)) {
            it.remove();
            return m;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no matching frame in " + timeout.toMillis() + " ms on " + clientId + "; inbox: " + inbox);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(inbox, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  /** Waits for the next frame, whatever it is, and takes it. */
  public Msg takeNext() {
    return take(m -> true);
  }

  /** Takes the next frame of an event. */
  public Msg takeEvent(String event) {
    return take(m -> event.equals(m.event()));
  }

  /** Takes the reply of a JSON request id. */
  public Msg takeReply(Object id) {
    return take(m -> "reply".equals(m.event()) && id.equals(m.id()));
  }

  /** @return a copy of what is in the inbox now, without waiting */
  public List<Msg> inbox() {
    synchronized (inbox) {
      return new ArrayList<>(inbox);
    }
  }

  /**
   * Round-trips a ping with an id and returns every frame that arrived before its reply: the
   * server answers in order, so anything this connection's shard would have sent before the ping
   * is there. Deliveries that another connection's publish sends through another shard may come
   * after it: wait for those with {@link #take}.
   */
  public List<Msg> sync() {
    String id = newRequestId();
    sendJson(new JsonObject().put("event", "ping").put("id", id));
    takeReply(id);
    synchronized (inbox) {
      List<Msg> before = new ArrayList<>(inbox);
      inbox.clear();
      return before;
    }
  }

  /** @return the close code the server sent, waiting for it */
  public short awaitClose() {
    return awaitClose(TIMEOUT);
  }

  /** @return the close code the server sent, waiting for it up to {@code timeout} */
  public short awaitClose(Duration timeout) {
    try {
      return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("connection " + clientId + " was not closed in time", e);
    }
  }

  /** @return the close reason, once closed */
  public String closeReason() {
    return ws.closeReason();
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!ws.isClosed()) {
      Await.result(ws.close());
    }
    client.close();
  }
}
