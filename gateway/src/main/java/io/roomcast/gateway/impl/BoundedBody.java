package io.roomcast.gateway.impl;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * An HTTP answer's body, kept whole up to a limit. A longer one fails the request with
 * {@link TooLarge} as soon as it passes the limit, and what follows is dropped as it comes: the
 * Web Client's own codecs buffer whatever a backend sends, so that one answering without end
 * could fill the node's heap.
 */
final class BoundedBody implements BodyCodec<Buffer> {

  /** An answer longer than the limit: the request fails with it as soon as it is known. */
  static final class TooLarge extends RuntimeException {
    final int limit;

    TooLarge(int limit) {
      super("an answer of more than " + limit + " bytes", null, false, false);
      this.limit = limit;
    }

    /** @return the TooLarge that {@code failure} is or wraps, else {@code null} */
    static TooLarge in(Throwable failure) {
      for (Throwable t = failure; t != null; t = t.getCause()) {
        if (t instanceof TooLarge tooLarge) {
          return tooLarge;
        }
      }
      return null;
    }
  }

  private final int limit;

  BoundedBody(int limit) {
    this.limit = limit;
  }

  @Override
  public BodyStream<Buffer> stream() {
    return new Stream(limit);
  }

  private static final class Stream implements BodyStream<Buffer> {
    private final int limit;
    private final Buffer body = Buffer.buffer();
    private final Promise<Buffer> result = Promise.promise();

    Stream(int limit) {
      this.limit = limit;
    }

    @Override
    public Future<Buffer> result() {
      return result.future();
    }

    @Override
    public void handle(Throwable failure) {
      result.tryFail(failure);
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (body.length() + data.length() > limit) {
        TooLarge tooLarge = new TooLarge(limit);
        result.tryFail(tooLarge);
        // A failed write ends the Web Client's pipe, which drops the rest of the answer as it comes.
        return Future.failedFuture(tooLarge);
      }
      body.appendBuffer(data);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      result.tryComplete(body);
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
