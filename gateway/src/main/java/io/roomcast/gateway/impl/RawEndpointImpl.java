package io.roomcast.gateway.impl;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.roomcast.gateway.Connection;
import io.roomcast.gateway.RawEndpoint;
import io.roomcast.gateway.RawMessage;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/** A WebSocket endpoint that hands whole messages to its handler. */
public final class RawEndpointImpl implements RawEndpoint {

  private static final Logger log = LoggerFactory.getLogger(RawEndpointImpl.class);

  private final String node;
  private final AtomicLong sequence = new AtomicLong();
  private volatile int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  private volatile int maxFragments = DEFAULT_MAX_FRAGMENTS;
  private volatile Handler<Connection> onConnect;
  private volatile Handler<RawMessage> onMessage;
  private volatile Handler<Connection> onClose;
  private volatile BiConsumer<Connection, Throwable> onError;

  /**
   * @param vertx the Vert.x instance
   * @param node the node id that prefixes connection ids, or {@code null} for a random one
   */
  public RawEndpointImpl(Vertx vertx, String node) {
    this.node = node != null ? node : NodeIds.random();
  }

  @Override
  public RawEndpoint maxMessageSize(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxMessageSize must be positive, got " + bytes);
    }
    this.maxMessageSize = bytes;
    return this;
  }

  int maxMessageSize() {
    return maxMessageSize;
  }

  @Override
  public RawEndpoint maxFragments(int fragments) {
    if (fragments < 1) {
      throw new IllegalArgumentException("maxFragments must be positive, got " + fragments);
    }
    this.maxFragments = fragments;
    return this;
  }

  @Override
  public RawEndpoint onConnect(Handler<Connection> handler) {
    this.onConnect = handler;
    return this;
  }

  @Override
  public RawEndpoint onMessage(Handler<RawMessage> handler) {
    this.onMessage = handler;
    return this;
  }

  @Override
  public RawEndpoint onClose(Handler<Connection> handler) {
    this.onClose = handler;
    return this;
  }

  @Override
  public RawEndpoint onError(BiConsumer<Connection, Throwable> handler) {
    this.onError = handler;
    return this;
  }

  @Override
  public Handler<RoutingContext> handler() {
    return rc -> {
      if (UpgradeRequests.refuseIfNotRfc6455(rc)) {
        return;
      }
      HandshakeImpl handshake = new HandshakeImpl(rc);
      rc.request().toWebSocket()
        .onSuccess(ws -> open(ws, handshake))
        .onFailure(t -> log.debug("upgrade failed on {}: {}", handshake, t.getMessage()));
    };
  }

  private void open(ServerWebSocket ws, HandshakeImpl handshake) {
    RawConnection c = new RawConnection(this, ws, node + ".r." + Long.toString(sequence.incrementAndGet(), 36), node, handshake, maxMessageSize, maxFragments);
    ws.frameHandler(c::onFrame);
    ws.drainHandler(v -> c.onDrained());
    ws.shutdownHandler(v -> c.close(1001, "going away"));
    ws.closeHandler(v -> {
      c.closed();
      Handler<Connection> handler = onClose;
      if (handler != null) {
        safely(c, () -> handler.handle(c));
      }
    });
    ws.exceptionHandler(t -> {
      if (t instanceof CorruptedWebSocketFrameException) {
        CorruptedWebSocketFrameException e = (CorruptedWebSocketFrameException) t;
        c.close(e.closeStatus().code(), e.closeStatus().reasonText());
      }
      fireError(c, t);
    });
    Handler<Connection> handler = onConnect;
    if (handler != null) {
      safely(c, () -> handler.handle(c));
    }
  }

  void fireMessage(RawMessage message) {
    Handler<RawMessage> handler = onMessage;
    if (handler != null) {
      safely(message.connection(), () -> handler.handle(message));
    }
  }

  private void safely(Connection c, Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      log.warn("raw endpoint callback failed on {}", c.id(), e);
      fireError(c, e);
    }
  }

  private void fireError(Connection c, Throwable t) {
    BiConsumer<Connection, Throwable> handler = onError;
    if (handler != null) {
      try {
        handler.accept(c, t);
      } catch (RuntimeException e) {
        log.warn("onError handler of a raw endpoint failed", e);
      }
    }
  }
}
