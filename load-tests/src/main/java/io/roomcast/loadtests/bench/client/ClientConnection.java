package io.roomcast.loadtests.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * One client connection of the harness. Confined to the client's event loop, like everything it
 * calls; the public fields are for the mode that owns it (its room, node, and what it has seen).
 */
public final class ClientConnection {

  /** Where a connection is in its life. */
  public enum State { NEW, CONNECTING, OPEN, READY, FAILED, CLOSED }

  private static final long CLOSE_GRACE_MS = 2_000;

  private final int index;
  private final URI uri;
  private final Dialect dialect;
  private final ConnectionListener listener;
  private Channel channel;
  private State state = State.NEW;
  private String clientId;
  private int closeCode = -1;

  /** When the connection was (meant to be) started, in ns since the harness started. */
  public long startNanos;
  /** When it became ready. */
  public long readyNanos;
  /** The mode's room number, node number and publisher number (-1 for none). */
  public int room;
  public int node;
  public int publisher = -1;
  /** The highest sequence seen per publisher of the room, to count reordering. */
  public long[] lastSequence;

  public ClientConnection(int index, URI uri, Dialect dialect, ConnectionListener listener) {
    this.index = index;
    this.uri = uri;
    this.dialect = dialect;
    this.listener = listener;
  }

  public int index() {
    return index;
  }

  public URI uri() {
    return uri;
  }

  public Dialect dialect() {
    return dialect;
  }

  public State state() {
    return state;
  }

  /** @return the id the server gave the client, once ready */
  public String clientId() {
    return clientId;
  }

  /**
   * @return the status code of the close frame the server sent (1005 for a close frame without
   *     one), or -1 when none came
   */
  public int closeCode() {
    return closeCode;
  }

  public boolean isReady() {
    return state == State.READY;
  }

  /** Writes a text frame, when the connection is open. */
  public void send(String text) {
    if (channel != null && channel.isActive() && (state == State.OPEN || state == State.READY)) {
      channel.writeAndFlush(WsClientCodec.text(channel.alloc(), text), channel.voidPromise());
    }
  }

  /**
   * Closes with a WebSocket close frame, so that the server closes the TCP connection first and
   * keeps the TIME_WAIT, not the generator's source port; forced after a grace period.
   */
  public void close() {
    if (channel == null || !channel.isActive()) {
      return;
    }
    if (state == State.OPEN || state == State.READY) {
      channel.writeAndFlush(WsClientCodec.close(channel.alloc()));
      channel.eventLoop().schedule(() -> {
        channel.close();
      }, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
    } else {
      channel.close();
    }
  }

  void connecting(Channel channel) {
    this.channel = channel;
    state = State.CONNECTING;
  }

  void opened() {
    if (state == State.CONNECTING) {
      state = State.OPEN;
      dialect.onOpen(this);
    }
  }

  void text(ByteBuf text) {
    if (state == State.OPEN || state == State.READY) {
      dialect.onText(this, text);
    }
  }

  /** The dialect found the session ready. */
  void ready(String id, long now) {
    if (state == State.OPEN) {
      clientId = id;
      readyNanos = now;
      state = State.READY;
      listener.onReady(this);
    }
  }

  void acked(int requestId, boolean ok) {
    listener.onAck(this, requestId, ok);
  }

  /** A reply, with its frame (only valid during the call). */
  void replied(int requestId, boolean ok, ByteBuf frame) {
    listener.onReply(this, requestId, ok, frame);
  }

  /** The server sent a close frame with this status; the first one counts. */
  void closeReceived(int code) {
    if (closeCode < 0) {
      closeCode = code;
    }
  }

  void delivered(ByteBuf frame, long now) {
    listener.onDelivery(this, frame, now);
  }

  void failed(String reason) {
    if (state == State.FAILED || state == State.CLOSED) {
      return;
    }
    state = State.FAILED;
    listener.onFailure(this, reason);
    if (channel != null) {
      channel.close();
    }
  }

  /** An error frame from the server: counted as a failure, the connection stays open. */
  void serverError(String frame) {
    listener.onServerError(this, frame);
  }

  void closed() {
    if (state == State.CLOSED) {
      return;
    }
    if (state == State.CONNECTING || state == State.OPEN) {
      failed("closed before the session was ready");
    }
    boolean afterFailure = state == State.FAILED;
    state = State.CLOSED;
    listener.onClosed(this, afterFailure);
  }

  /** @return whether the socket is still open (or opening) */
  public boolean isSocketOpen() {
    return channel != null && channel.isOpen();
  }

  @Override
  public String toString() {
    return "conn#" + index + "[" + state + " " + uri + "]";
  }
}
