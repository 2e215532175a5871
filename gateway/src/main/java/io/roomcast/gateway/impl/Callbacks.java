package io.roomcast.gateway.impl;

import io.roomcast.gateway.Connection;
import io.vertx.core.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BiConsumer;

/**
 * The lifecycle callbacks of a hub or a raw endpoint. Set from any thread, before or while
 * connections arrive; each runs guarded, so that an exception it throws reaches {@code onError}
 * (and the log) and never the connection.
 *
 * @param <M> what a message callback gets
 */
final class Callbacks<M> {

  private static final Logger log = LoggerFactory.getLogger(Callbacks.class);

  private final String owner;
  private volatile Handler<Connection> onConnect;
  private volatile Handler<M> onMessage;
  private volatile Handler<Connection> onClose;
  private volatile BiConsumer<Connection, Throwable> onError;

  /** @param owner what the callbacks belong to, for the log: {@code hub chat} */
  Callbacks(String owner) {
    this.owner = owner;
  }

  void onConnect(Handler<Connection> handler) {
    this.onConnect = handler;
  }

  void onMessage(Handler<M> handler) {
    this.onMessage = handler;
  }

  void onClose(Handler<Connection> handler) {
    this.onClose = handler;
  }

  void onError(BiConsumer<Connection, Throwable> handler) {
    this.onError = handler;
  }

  /** @return the message callback, or {@code null}: a hub runs it itself, as part of dispatching */
  Handler<M> messageHandler() {
    return onMessage;
  }

  void fireConnect(Connection c) {
    run(c, onConnect);
  }

  void fireMessage(Connection c, M message) {
    Handler<M> handler = onMessage;
    if (handler != null) {
      guarded(c, () -> handler.handle(message));
    }
  }

  void fireClose(Connection c) {
    run(c, onClose);
  }

  void fireError(Connection c, Throwable t) {
    BiConsumer<Connection, Throwable> handler = onError;
    if (handler != null) {
      try {
        handler.accept(c, t);
      } catch (RuntimeException e) {
        log.warn("onError callback of {} failed", owner, e);
      }
    }
  }

  private void run(Connection c, Handler<Connection> handler) {
    if (handler != null) {
      guarded(c, () -> handler.handle(c));
    }
  }

  private void guarded(Connection c, Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      log.warn("callback of {} failed on {}", owner, c.id(), e);
      fireError(c, e);
    }
  }
}
