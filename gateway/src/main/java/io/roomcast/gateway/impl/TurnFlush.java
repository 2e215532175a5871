package io.roomcast.gateway.impl;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.Arrays;

/**
 * Flushes, once per event-loop turn, every connection that a fan-out wrote to in that turn: one
 * task per loop and turn, where Netty's {@code FlushConsolidationHandler} submits one per channel
 * (a {@code PromiseTask} each: 31% of what a node allocated under fan-out, with the frames'
 * duplicates as much again). A member in several busy rooms still gets all of a turn's frames in
 * one write. Confined to its event loop: each loop thread has its own.
 */
final class TurnFlush implements Runnable {

  private static final FastThreadLocal<TurnFlush> OF_THIS_LOOP = new FastThreadLocal<>() {
    @Override
    protected TurnFlush initialValue() {
      return new TurnFlush();
    }
  };

  private WebSocketConnection[] pending = new WebSocketConnection[64];
  private WebSocketConnection[] spare = new WebSocketConnection[64];
  private int size;
  private boolean scheduled;

  private TurnFlush() {
  }

  /**
   * Flushes a connection when the loop's current turn ends. Call on the connection's event loop.
   *
   * @param loop that event loop, which runs the flush
   */
  static void atEndOfTurn(WebSocketConnection connection, EventExecutor loop) {
    OF_THIS_LOOP.get().add(connection, loop);
  }

  private void add(WebSocketConnection connection, EventExecutor loop) {
    if (!connection.markFlushQueued()) {
      return;
    }
    if (size == pending.length) {
      pending = Arrays.copyOf(pending, size * 2);
    }
    pending[size++] = connection;
    if (!scheduled) {
      scheduled = true;
      loop.execute(this);
    }
  }

  @Override
  public void run() {
    scheduled = false;
    // A flush can complete writes whose listeners write more: those go to the other array.
    WebSocketConnection[] batch = pending;
    int n = size;
    pending = spare;
    spare = batch;
    size = 0;
    for (int i = 0; i < n; i++) {
      WebSocketConnection connection = batch[i];
      batch[i] = null;
      connection.flushQueued();
    }
  }
}
