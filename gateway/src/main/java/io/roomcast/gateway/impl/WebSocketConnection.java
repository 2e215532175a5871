package io.roomcast.gateway.impl;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.util.concurrent.EventExecutor;
import io.roomcast.gateway.Connection;
import io.roomcast.gateway.Encoding;
import io.roomcast.gateway.Handshake;
import io.roomcast.gateway.impl.codec.Names;
import io.roomcast.gateway.impl.codec.Payloads;
import io.roomcast.gateway.impl.codec.ServerFrames;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.VertxConnection;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * What hub and raw connections share: the socket and its handlers, identity, whole messages
 * assembled from frames, reading held back while the send queue is full, and writing frames in
 * the connection's encoding. Every write happens on the channel's event loop, whichever thread
 * asks for it: {@link DirectWrites} gives the socket a queue that only its loop may write to.
 */
abstract class WebSocketConnection implements Connection, MessageAssembler.Sink {

  private static final int MAX_CLOSE_REASON_BYTES = 123;

  protected final ServerWebSocket ws;
  // null where the socket is not Vert.x's own (it then takes writes from any thread)
  private final EventExecutor loop;
  // null where frames encoded for the wire cannot go straight to the channel
  private final VertxConnection frameWriter;
  private final String id;
  private final String node;
  private final HandshakeImpl handshake;
  private volatile JsonObject claims;
  private final Encoding encoding;
  private final MessageAssembler assembler;
  private final Promise<Void> closed = Promise.promise();
  private volatile boolean closing;
  private boolean readingHeldBack;
  private boolean flushQueued;

  WebSocketConnection(ServerWebSocket ws, String id, String node, HandshakeImpl handshake, JsonObject claims, int maxMessageSize,
      int maxFragments) {
    this.ws = ws;
    this.loop = ws instanceof WebSocketInternal internal ? internal.channelHandlerContext().executor() : null;
    this.frameWriter = loop == null ? null : DirectWrites.sharedFrameWriter(ws);
    this.id = id;
    this.node = node;
    this.handshake = handshake;
    this.claims = claims == null ? new JsonObject() : claims;
    this.encoding = Encoding.ofSubprotocol(ws.subProtocol());
    this.assembler = new MessageAssembler(maxMessageSize, maxFragments, this);
  }

  /**
   * Hands the socket's events to this connection: frames, drain, close, failures; a server
   * shutdown (undeploy, node drain) closes it with 1001 so that the client goes elsewhere.
   */
  final void wire() {
    ws.frameHandler(this::onFrame);
    ws.drainHandler(v -> onDrained());
    ws.shutdownHandler(v -> close(1001, "going away"));
    ws.closeHandler(v -> onSocketClosed());
    ws.exceptionHandler(this::onSocketFailure);
  }

  /** A frame arrived: assembled into messages, then reading held back if the client is behind. */
  void onFrame(WebSocketFrame frame) {
    assembler.handle(frame);
    holdBackIfBehind();
  }

  /** The send queue has room again. */
  void onDrained() {
    resumeIfHeldBack();
  }

  /** The socket is closed (the close handshake ended, or the connection dropped). */
  abstract void onSocketClosed();

  private void onSocketFailure(Throwable t) {
    if (t instanceof CorruptedWebSocketFrameException e) {
      // Netty refused a frame (too large, bad opcode, ...): close with the code it chose.
      close(e.closeStatus().code(), e.closeStatus().reasonText());
    }
    onFailure(t);
  }

  /** A transport failure, after a refused frame has closed the connection. */
  abstract void onFailure(Throwable t);

  @Override
  public void onViolation(short closeCode, String reason) {
    close(closeCode, reason);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String node() {
    return node;
  }

  @Override
  public JsonObject claims() {
    return claims;
  }

  /** A refreshed token's claims take the place of the old ones. */
  void replaceClaims(JsonObject claims) {
    this.claims = claims;
  }

  @Override
  public Handshake handshake() {
    return handshake;
  }

  @Override
  public Encoding encoding() {
    return encoding;
  }

  @Override
  public SocketAddress remoteAddress() {
    // The handshake's: a router that honours forwarded headers gives the client's there.
    return handshake.remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return handshake.localAddress();
  }

  @Override
  public Future<Void> send(String event, Object data) {
    Names.requireEvent("event", event);
    Buffer payload = data instanceof Buffer ? (Buffer) data : Payloads.jsonOf(data);
    return writeData(event, null, null, payload, data instanceof Buffer);
  }

  @Override
  public boolean trySend(String event, Object data) {
    if (isClosed() || ws.writeQueueFull()) {
      return false;
    }
    send(event, data);
    return true;
  }

  @Override
  public Future<Void> sendText(String text) {
    return onLoop(() -> ws.writeTextMessage(text));
  }

  @Override
  public Future<Void> sendBinary(Buffer data) {
    return onLoop(() -> ws.writeBinaryMessage(data));
  }

  @Override
  public Future<Void> sendJson(Object json) {
    String text = Json.encode(json);
    return onLoop(() -> ws.writeTextMessage(text));
  }

  @Override
  public Future<Void> close(int code, String reason) {
    closing = true;
    if (ws.isClosed()) {
      return closed.future();
    }
    return ws.close((short) code, truncate(reason)).transform(ar -> closed.future());
  }

  @Override
  public Future<Void> closeFuture() {
    return closed.future();
  }

  @Override
  public boolean isClosed() {
    return closing || ws.isClosed();
  }

  /**
   * Stops reading a client while its send queue is full. Whatever it sends can make the server
   * write (Vert.x answers each ping with a pong; requests get replies; an echo sends messages
   * back), so a client that sends without reading would otherwise make the server queue without
   * bound. Pausing lets TCP push back on it; reading resumes once the queue drains. Call on the
   * connection's event loop after handling each frame.
   */
  protected final void holdBackIfBehind() {
    // A closed socket (a close frame was received) refuses writeQueueFull(): check first.
    if (!readingHeldBack && !isClosed() && sendQueueFull()) {
      readingHeldBack = true;
      ws.pause();
      onHeldBack();
    }
  }

  /** Called when reading is held back; the send queue is full. */
  protected void onHeldBack() {
  }

  /** Resumes reading held back by {@link #holdBackIfBehind()}: the send queue has drained. */
  protected final void resumeIfHeldBack() {
    if (readingHeldBack) {
      readingHeldBack = false;
      ws.resume();
    }
  }

  /** Called once the socket is closed. */
  protected void markClosed() {
    closing = true;
    closed.tryComplete();
  }

  /** Writes a data frame: the payload is {@code data} in JSON, the payload bytes in binary. */
  Future<Void> writeData(String event, String room, String from, Buffer payload, boolean binaryPayload) {
    if (encoding == Encoding.JSON) {
      return writeText(ServerFrames.jsonData(event, room, from, payload, binaryPayload));
    }
    return writeBinary(ServerFrames.binaryData(event, room, from, payload));
  }

  /** Writes a field frame: top-level fields in JSON, a JSON object payload in binary. */
  Future<Void> writeFields(String event, JsonObject fields) {
    if (encoding == Encoding.JSON) {
      return writeText(ServerFrames.jsonFields(event, fields));
    }
    return writeBinary(ServerFrames.binaryFields(event, null, fields));
  }

  /** Writes a text frame of UTF-8 bytes that may be shared with other connections. */
  Future<Void> writeText(byte[] utf8) {
    if (closing) {
      return Future.failedFuture("connection closed");
    }
    return writeFrame(TextFrames.of(utf8));
  }

  Future<Void> writeText(String text) {
    if (closing) {
      return Future.failedFuture("connection closed");
    }
    return writeFrame(WebSocketFrame.textFrame(text, true));
  }

  Future<Void> writeBinary(Buffer data) {
    if (closing) {
      return Future.failedFuture("connection closed");
    }
    return writeFrame(WebSocketFrame.binaryFrame(data, true));
  }

  /**
   * Writes one of a fan-out's frames, encoded for the wire once for all its members: no frame
   * object, encoding or promise per write. Call on an open socket, after {@link #sendQueueFull()}.
   *
   * @return whether it was written; {@code false} where the socket takes only Vert.x's frames, or off its loop
   */
  final boolean writeShared(WireFrames frames) {
    if (frameWriter == null || !loop.inEventLoop()) {
      return false;
    }
    ByteBuf frame = (encoding == Encoding.JSON ? frames.json() : frames.binary()).retainedDuplicate();
    frameWriter.reportsBytesWritten(frame);
    // Written where Vert.x writes (its encoder lets bytes through), flushed once the turn ends.
    ChannelHandlerContext chctx = frameWriter.channelHandlerContext();
    chctx.write(frame, chctx.voidPromise());
    if (chctx.channel().isWritable()) {
      TurnFlush.atEndOfTurn(this, loop);
    } else {
      // Past the send queue's limit: to the socket now, as Netty's consolidation does, so that
      // only a client that does not read finds its queue full.
      flushNow();
    }
    return true;
  }

  /** @return whether the connection was not yet queued for its loop's end-of-turn flush (it now is) */
  final boolean markFlushQueued() {
    if (flushQueued) {
      return false;
    }
    flushQueued = true;
    return true;
  }

  /** The end of the turn: what fan-outs wrote goes to the socket. */
  final void flushQueued() {
    flushQueued = false;
    flushNow();
  }

  /** @return whether the send queue is full; on an open socket (a closed one refuses the question) */
  final boolean sendQueueFull() {
    // The connection's own answer, without the socket's lock around it.
    return frameWriter != null ? frameWriter.writeQueueFull() : ws.writeQueueFull();
  }

  /** @return whether fan-outs reach this socket as frames encoded once for all members */
  final boolean takesSharedFrames() {
    return frameWriter != null;
  }

  /** Flushes what was written so far, past the flush batching of the turn; on the connection's event loop. */
  final void flushNow() {
    if (ws instanceof WebSocketInternal internal) {
      FlushBatching.flushNow(internal.channelHandlerContext().pipeline());
    }
  }

  /** @return whether the caller is on the thread that writes to the socket */
  private boolean inWriteLoop() {
    return loop == null || loop.inEventLoop();
  }

  private Future<Void> writeFrame(WebSocketFrame frame) {
    return inWriteLoop() ? ws.writeFrame(frame) : onLoop(() -> ws.writeFrame(frame));
  }

  /** Runs a write on the socket's event loop: at once when called there, in order otherwise. */
  private Future<Void> onLoop(Supplier<Future<Void>> write) {
    if (inWriteLoop()) {
      return write.get();
    }
    Promise<Void> written = Promise.promise();
    loop.execute(() -> write.get().onComplete(written));
    return written.future();
  }

  private static String truncate(String reason) {
    if (reason == null) {
      return null;
    }
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_CLOSE_REASON_BYTES) {
      return reason;
    }
    String cut = reason.substring(0, Math.min(reason.length(), MAX_CLOSE_REASON_BYTES));
    while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_CLOSE_REASON_BYTES) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + id + "]";
  }
}
