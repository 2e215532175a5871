package io.roomcast.loadtests.bench;

import io.roomcast.loadtests.bench.client.ClientConnection;
import io.roomcast.loadtests.bench.client.ConnectionListener;
import io.roomcast.loadtests.bench.client.HarnessClock;
import org.HdrHistogram.Histogram;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A round of joins with a bounded number awaiting their reply across the fleet, each with a
 * request id of its own so that each join is timed from its request to its reply. Runs as the
 * fleet's observer for the round; its state is confined to the client's loop.
 */
final class JoinRound implements ConnectionListener {

  /** One join to send: a connection, a room, and the join's data as JSON (or {@code null} for none). */
  record Join(ClientConnection connection, String room, String data) {

    Join(ClientConnection connection, String room) {
      this(connection, room, null);
    }
  }

  /**
   * How a round went; {@code seconds} runs from the first request to the last reply, and
   * {@code endNanos} is the last reply's time ({@link HarnessClock}; the round's end when none came).
   */
  record Outcome(int joins, int ok, int failed, int unanswered, double seconds, Histogram micros, long endNanos) {

    double joinsPerSecond() {
      return seconds <= 0 ? 0 : ok / seconds;
    }
  }

  private record Pending(ClientConnection connection, long sentNanos) {
  }

  /** Request ids of every join a churn mode sends; 1 is the fleet's own join id, never used here. */
  private static final AtomicInteger IDS = new AtomicInteger(2);

  private final List<Join> joins;
  private final int inFlightLimit;
  private final CountDownLatch done = new CountDownLatch(1);
  private final Histogram micros = new Histogram(3);
  private final Map<Integer, Pending> pending = new HashMap<>();
  private int next;
  private int ok;
  private int failed;
  private long firstSent;
  private long lastAnswered;
  private boolean over;

  private JoinRound(List<Join> joins, int inFlightLimit) {
    this.joins = joins;
    this.inFlightLimit = inFlightLimit;
  }

  /** @return a fresh request id for a join sent outside a round */
  static int nextId() {
    return IDS.getAndIncrement();
  }

  /**
   * Sends the joins in order, at most {@code inFlight} awaiting a reply, and waits until every
   * one is answered or the deadline passes (then the rest count as unanswered). Call from the
   * mode's thread; the fleet's observer is this round until it ends, then none.
   */
  static Outcome run(Fleet fleet, List<Join> joins, int inFlight, long timeoutMs) {
    JoinRound round = new JoinRound(joins, inFlight);
    fleet.loop().execute(() -> {
      fleet.setObserver(round);
      round.start();
    });
    try {
      round.done.await(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return fleet.onLoop(() -> {
      round.over = true;
      fleet.setObserver(new ConnectionListener() { });
      int unanswered = round.joins.size() - round.ok - round.failed;
      long end = round.lastAnswered > 0 ? round.lastAnswered : HarnessClock.nanos();
      return new Outcome(round.joins.size(), round.ok, round.failed, unanswered, (end - round.firstSent) / 1e9, round.micros,
        end);
    });
  }

  private void start() {
    firstSent = HarnessClock.nanos();
    fill();
    if (joins.isEmpty()) {
      done.countDown();
    }
  }

  private void fill() {
    while (next < joins.size() && pending.size() < inFlightLimit) {
      Join j = joins.get(next++);
      ClientConnection c = j.connection();
      if (!c.isReady()) {
        settled(false);
        continue;
      }
      int id = nextId();
      pending.put(id, new Pending(c, HarnessClock.nanos()));
      c.send(j.data() == null ? c.dialect().join(j.room(), id) : c.dialect().join(j.room(), id, j.data()));
    }
  }

  @Override
  public void onAck(ClientConnection c, int requestId, boolean answeredOk) {
    Pending p = pending.remove(requestId);
    if (p == null || over) {
      return;
    }
    long now = HarnessClock.nanos();
    lastAnswered = now;
    if (answeredOk) {
      micros.recordValue(Math.max(0, (now - p.sentNanos()) / 1000));
    }
    settled(answeredOk);
    fill();
  }

  @Override
  public void onClosed(ClientConnection c, boolean afterFailure) {
    if (over) {
      return;
    }
    // Joins awaiting a reply on a closed connection will never get one.
    int lost = 0;
    var it = pending.values().iterator();
    while (it.hasNext()) {
      if (it.next().connection() == c) {
        it.remove();
        lost++;
      }
    }
    for (int i = 0; i < lost; i++) {
      settled(false);
    }
    fill();
  }

  private void settled(boolean answeredOk) {
    if (answeredOk) {
      ok++;
    } else {
      failed++;
    }
    if (ok + failed == joins.size()) {
      done.countDown();
    }
  }
}
