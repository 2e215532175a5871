package io.roomcast.gateway.impl;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;

/**
 * Flushes the first members of a large room while the fan-out loop goes on, when the event loop
 * has nothing else to do.
 *
 * <p>{@link FlushBatching} holds every flush of an event-loop turn until the turn ends, so that a
 * busy loop writes each member several frames at once. In a room of a thousand, the first member's
 * frame then waits for the writes to the other 999 before any reaches its socket, and its client
 * reads nothing until the whole room is written: at a low rate that wait is all of the latency
 * (p50 9 ms against 7 for `ws`, which writes each socket as it goes). When no other task waits on
 * the loop there is nothing to batch with, so the members written so far are flushed every
 * {@link #CHUNK} members; when tasks wait (a busy loop), flushes stay batched.
 *
 * <p>Only rooms of more than {@link #LARGE_ROOM} members: the loop's task queue does not show
 * the reads waiting on it, so a loop busy with its publishers' reads looks idle, and in rooms of
 * 100 flushing as it went cost a third of the deliveries per CPU-second (docs/BENCHMARKS.md,
 * "Lean transport"), while in rooms of 1,000 it cost nothing measurable.
 */
final class EarlyFlush {

  /** Members written between two early flushes. */
  static final int CHUNK = 64;
  /** Rooms up to this size keep their flushes batched. */
  static final int LARGE_ROOM = 256;

  private final SingleThreadEventExecutor loop;

  /** @param loop the shard's event loop, or {@code null} for a shard on a worker context (never flushes early) */
  EarlyFlush(EventExecutor loop) {
    this.loop = loop instanceof SingleThreadEventExecutor single ? single : null;
  }

  /** @return whether a fan-out to {@code members} should flush as it goes: a large room, and nothing else waiting on the loop */
  boolean worthIt(int members) {
    return members > LARGE_ROOM && loop != null && loop.pendingTasks() == 0;
  }
}
