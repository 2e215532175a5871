package io.roomcast.gateway.impl;

import io.roomcast.gateway.Connection;
import io.roomcast.gateway.RawEndpoint;
import io.roomcast.gateway.RawMessage;
import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/** A WebSocket endpoint that hands whole messages to its handler. */
public final class RawEndpointImpl implements RawEndpoint {

  private static final Logger log = LoggerFactory.getLogger(RawEndpointImpl.class);

  /** Sends every message back with its own type. */
  private static final Handler<RawMessage> ECHO = m -> {
    if (m.text()) {
      m.connection().sendText(m.textData());
    } else {
      m.connection().sendBinary(m.data());
    }
  };

  private final String node;
  private final AtomicLong sequence = new AtomicLong();
  private final Callbacks<RawMessage> callbacks = new Callbacks<>("a raw endpoint");
  private volatile int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  private volatile int maxFragments = DEFAULT_MAX_FRAGMENTS;

  /** @param node the node id that prefixes connection ids, or {@code null} for a random one */
  public RawEndpointImpl(String node) {
    this.node = node != null ? node : NodeIds.random();
  }

  /**
   * @param node the node id that prefixes connection ids, or {@code null} for a random one
   * @return an endpoint that sends every message back with its own type
   */
  public static RawEndpoint echo(String node) {
    return new RawEndpointImpl(node).onMessage(ECHO);
  }

  @Override
  public RawEndpoint maxMessageSize(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxMessageSize must be positive, got " + bytes);
    }
    this.maxMessageSize = bytes;
    return this;
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
    callbacks.onConnect(handler);
    return this;
  }

  @Override
  public RawEndpoint onMessage(Handler<RawMessage> handler) {
    callbacks.onMessage(handler);
    return this;
  }

  @Override
  public RawEndpoint onClose(Handler<Connection> handler) {
    callbacks.onClose(handler);
    return this;
  }

  @Override
  public RawEndpoint onError(BiConsumer<Connection, Throwable> handler) {
    callbacks.onError(handler);
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
        .onSuccess(ws -> {
          handshake.upgraded();
          open(DirectWrites.adopt(ws), handshake);
        })
        .onFailure(t -> log.debug("upgrade failed on {}: {}", handshake, t.getMessage()));
    };
  }

  private void open(ServerWebSocket ws, HandshakeImpl handshake) {
    String id = node + ".r." + Long.toString(sequence.incrementAndGet(), 36);
    RawConnection c = new RawConnection(ws, id, node, handshake, maxMessageSize, maxFragments, callbacks);
    c.wire();
    callbacks.fireConnect(c);
  }
}
