package io.roomcast.gateway.impl;

import io.roomcast.gateway.impl.codec.Utf8Validator;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

/**
 * Joins WebSocket frames into messages for one connection. It bounds the size of a message over
 * all its fragments (close 1009) and checks text for valid UTF-8 as it arrives (close 1007),
 * instead of letting Vert.x replace bad bytes. Frame order, opcodes, masking and control frames
 * are checked by Netty's decoder before frames get here.
 */
final class MessageAssembler implements Handler<WebSocketFrame> {

  /** What the connection does with whole messages and with violations. */
  interface Sink {
    void onText(Buffer utf8);

    void onBinary(Buffer data);

    void onViolation(short closeCode, String reason);
  }

  static final short CLOSE_INVALID_UTF8 = 1007;
  static final short CLOSE_TOO_LARGE = 1009;

  private final int maxMessageSize;
  private final int maxFragments;
  private final Sink sink;
  private final Utf8Validator utf8 = new Utf8Validator();
  private Buffer partial;
  private boolean partialIsText;
  private int fragments;
  private boolean failed;

  MessageAssembler(int maxMessageSize, int maxFragments, Sink sink) {
    this.maxMessageSize = maxMessageSize;
    this.maxFragments = maxFragments;
    this.sink = sink;
  }

  @Override
  public void handle(WebSocketFrame frame) {
    if (failed) {
      return;
    }
    switch (frame.type()) {
      case TEXT:
      case BINARY:
        start(frame);
        break;
      case CONTINUATION:
        if (partial != null) {
          append(frame);
        }
        break;
      default:
        // Ping, pong and close are answered by Vert.x.
    }
  }

  private void start(WebSocketFrame frame) {
    Buffer data = frame.binaryData();
    boolean text = frame.isText();
    if (data.length() > maxMessageSize) {
      fail(CLOSE_TOO_LARGE, "message too large");
      return;
    }
    if (text) {
      utf8.reset();
      if (!check(data)) {
        return;
      }
    }
    if (frame.isFinal()) {
      emit(text, data);
    } else {
      partial = Buffer.buffer(Math.min(maxMessageSize, Math.max(256, data.length() * 2)));
      partial.appendBuffer(data);
      partialIsText = text;
      fragments = 1;
    }
  }

  private void append(WebSocketFrame frame) {
    if (++fragments > maxFragments) {
      // Bounds the work a flood of tiny continuation frames can cause, not just their bytes.
      partial = null;
      fail(CLOSE_TOO_LARGE, "too many fragments");
      return;
    }
    Buffer data = frame.binaryData();
    if (partial.length() + (long) data.length() > maxMessageSize) {
      partial = null;
      fail(CLOSE_TOO_LARGE, "message too large");
      return;
    }
    if (partialIsText && !check(data)) {
      partial = null;
      return;
    }
    partial.appendBuffer(data);
    if (frame.isFinal()) {
      Buffer whole = partial;
      partial = null;
      emit(partialIsText, whole);
    }
  }

  private boolean check(Buffer data) {
    byte[] bytes = data.getBytes();
    if (!utf8.feed(bytes, 0, bytes.length)) {
      fail(CLOSE_INVALID_UTF8, "invalid UTF-8");
      return false;
    }
    return true;
  }

  private void emit(boolean text, Buffer data) {
    if (text) {
      if (!utf8.isComplete()) {
        fail(CLOSE_INVALID_UTF8, "invalid UTF-8");
        return;
      }
      sink.onText(data);
    } else {
      sink.onBinary(data);
    }
  }

  private void fail(short code, String reason) {
    failed = true;
    sink.onViolation(code, reason);
  }
}
