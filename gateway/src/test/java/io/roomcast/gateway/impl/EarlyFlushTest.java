package io.roomcast.gateway.impl;

import io.netty.channel.EventLoop;
import io.roomcast.gateway.testing.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A fan-out flushes as it goes only in a large room and only while nothing else waits on the
 * event loop: a busy loop keeps its flushes batched. On a real Vert.x event loop.
 */
class EarlyFlushTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() {
    Await.result(vertx.close());
  }

  @Test
  void aLargeRoomOnAnIdleLoopFlushesEarlyAndABusyLoopDoesNot() {
    ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
    EventLoop loop = context.nettyEventLoop();
    EarlyFlush earlyFlush = new EarlyFlush(loop);
    Promise<List<Boolean>> decisions = Promise.promise();
    loop.execute(() -> {
      boolean large = earlyFlush.worthIt(EarlyFlush.LARGE_ROOM + 1);
      boolean small = earlyFlush.worthIt(EarlyFlush.LARGE_ROOM);
      // Another task now waits behind this one: the loop is busy.
      loop.execute(() -> { });
      boolean busy = earlyFlush.worthIt(1000);
      decisions.complete(List.of(large, small, busy));
    });
    assertEquals(List.of(true, false, false), Await.result(decisions.future()));
  }

  @Test
  void aShardOnAWorkerContextNeverFlushesEarly() {
    assertFalse(new EarlyFlush(null).worthIt(1000));
  }
}
