package io.roomcast.loadtests.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.roomcast.loadtests.bench.client.ClientConnection;
import io.roomcast.loadtests.bench.client.ConnectionListener;
import io.roomcast.loadtests.bench.client.HarnessClock;
import io.roomcast.loadtests.bench.client.LoadClient;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A mode's connections and their life: opening them (a bounded number at a time, or open-loop
 * at a fixed rate), joining rooms, counting failures, closing. Its state lives on the client's
 * event loop; the blocking methods are called from the mode's thread and wait with a deadline.
 */
public final class Fleet implements ConnectionListener {

  /** Where deliveries go. */
  public interface Deliveries {
    void onDelivery(ClientConnection c, ByteBuf frame, long receivedNanos);
  }

  /** How a batch of connections went. */
  public record Batch(int ready, int failed, Histogram connectMicros, double seconds) {
  }

  private static final int JOIN_REQUEST = 1;
  private static final int MAX_ERROR_KINDS = 20;

  private final LoadClient client;
  private final EventLoop loop;
  private final List<ClientConnection> connections = new ArrayList<>();
  private final BitSet settled = new BitSet();
  private final Map<String, Integer> errors = new TreeMap<>();
  private final AtomicInteger created = new AtomicInteger();
  private Deliveries deliveries = (c, frame, now) -> { };
  private ConnectionListener observer = new ConnectionListener() { };
  private Launch launch;
  private Joining joining;
  private boolean closing;
  private long failuresAfterReady;
  private long unexpectedCloses;
  private long serverErrors;

  public Fleet(LoadClient client) {
    this.client = client;
    this.loop = client.loop();
  }

  /** @return a new connection of this fleet (not yet connected), from any thread */
  public ClientConnection newConnection(URI uri, ServerKind kind) {
    return new ClientConnection(created.getAndIncrement(), uri, kind.dialect(), this);
  }

  public void setDeliveries(Deliveries deliveries) {
    this.deliveries = deliveries;
  }

  /**
   * Sets a listener that hears every event of every connection after the fleet has counted it:
   * for a mode that drives its connections itself (its own requests and ids, reconnects). Call
   * on the loop, or before any connection of the fleet exists.
   */
  public void setObserver(ConnectionListener observer) {
    this.observer = observer;
  }

  /**
   * Starts one connection at once, outside any batch: its connect time is not kept, and the
   * observer hears how it ends. Call on the loop.
   */
  public void connectNow(ClientConnection c) {
    c.startNanos = HarnessClock.nanos();
    connections.add(c);
    client.connect(c);
  }

  /** @return the connections opened so far (ready or not) */
  public List<ClientConnection> connections() {
    return connections;
  }

  /** @return the loop that runs the connections */
  public EventLoop loop() {
    return loop;
  }

  /** Runs a task on the loop and waits for its result. */
  public <T> T onLoop(Callable<T> task) {
    try {
      return loop.submit(task).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Opens connections, at most {@code inFlight} handshakes at a time; a connection's connect
   * time runs from its own start.
   */
  public Batch connect(List<ClientConnection> batch, int inFlight, long timeoutMs) {
    return run(new Launch(batch, inFlight, 0), timeoutMs);
  }

  /**
   * Opens connections open-loop: connection i starts at {@code i / perSecond} s, whatever the
   * earlier ones are doing, and its connect time runs from that planned start, so that a server
   * falling behind shows in the times rather than slowing the arrivals.
   */
  public Batch connectAtRate(List<ClientConnection> batch, double perSecond, long timeoutMs) {
    return run(new Launch(batch, Integer.MAX_VALUE, perSecond), timeoutMs);
  }

  private Batch run(Launch l, long timeoutMs) {
    loop.execute(l::start);
    try {
      if (!l.done.await(timeoutMs, TimeUnit.MILLISECONDS)) {
        onLoop(() -> {
          l.abandon();
          return null;
        });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return onLoop(l::result);
  }

  /**
   * Every ready connection joins the room {@code roomOf} names (or none when it gives
   * {@code null}), at most {@code inFlight} joins awaiting their reply.
   *
   * @return how many joins failed or went unanswered
   */
  public int joinAll(Function<ClientConnection, String> roomOf, int inFlight, long timeoutMs) {
    Joining j = new Joining(roomOf, inFlight);
    loop.execute(j::start);
    try {
      j.done.await(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return onLoop(() -> {
      joining = null;
      return j.failed + j.pending();
    });
  }

  /** Closes every connection and waits until they are closed (forced after the grace period). */
  public void closeAll(long timeoutMs) {
    CountDownLatch closed = new CountDownLatch(1);
    loop.execute(() -> {
      closing = true;
      for (ClientConnection c : connections) {
        c.close();
      }
      waitClosed(closed);
    });
    try {
      closed.await(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    onLoop(() -> {
      connections.clear();
      closing = false;
      return null;
    });
  }

  private void waitClosed(CountDownLatch closed) {
    if (connections.stream().noneMatch(ClientConnection::isSocketOpen)) {
      closed.countDown();
    } else {
      loop.schedule(() -> waitClosed(closed), 20, TimeUnit.MILLISECONDS);
    }
  }

  /** @return counts of what went wrong, by kind */
  public Map<String, Object> problems() {
    return onLoop(() -> {
      Map<String, Object> p = new TreeMap<>();
      p.put("errors", new TreeMap<>(errors));
      p.put("failuresAfterReady", failuresAfterReady);
      p.put("unexpectedCloses", unexpectedCloses);
      p.put("serverErrors", serverErrors);
      return p;
    });
  }

  /** Forgets the problems counted so far (a new step starts). */
  public void resetProblems() {
    onLoop(() -> {
      errors.clear();
      failuresAfterReady = 0;
      unexpectedCloses = 0;
      serverErrors = 0;
      return null;
    });
  }

  /** @return failures after ready, unexpected closes and server errors so far */
  public long troubleCount() {
    return onLoop(() -> failuresAfterReady + unexpectedCloses + serverErrors);
  }

  /** @return how many connections are ready now */
  public int readyCount() {
    return onLoop(() -> (int) connections.stream().filter(ClientConnection::isReady).count());
  }

  @Override
  public void onReady(ClientConnection c) {
    if (!settled.get(c.index())) {
      settled.set(c.index());
      if (launch != null) {
        launch.settledOne(c, true);
      }
    }
    observer.onReady(c);
  }

  @Override
  public void onFailure(ClientConnection c, String reason) {
    count(reason);
    if (!settled.get(c.index())) {
      settled.set(c.index());
      if (launch != null) {
        launch.settledOne(c, false);
      }
    } else if (!closing) {
      failuresAfterReady++;
    }
    observer.onFailure(c, reason);
  }

  @Override
  public void onServerError(ClientConnection c, String frame) {
    serverErrors++;
    count("server error: " + frame);
    observer.onServerError(c, frame);
  }

  @Override
  public void onClosed(ClientConnection c, boolean afterFailure) {
    if (!closing && !afterFailure && c.readyNanos > 0) {
      unexpectedCloses++;
      count("closed by the server");
    }
    observer.onClosed(c, afterFailure);
  }

  @Override
  public void onAck(ClientConnection c, int requestId, boolean ok) {
    if (requestId == JOIN_REQUEST && joining != null) {
      joining.answered(ok);
    } else {
      observer.onAck(c, requestId, ok);
    }
  }

  @Override
  public void onReply(ClientConnection c, int requestId, boolean ok, ByteBuf frame) {
    if (requestId == JOIN_REQUEST && joining != null) {
      joining.answered(ok);
    } else {
      observer.onReply(c, requestId, ok, frame);
    }
  }

  @Override
  public void onDelivery(ClientConnection c, ByteBuf frame, long receivedNanos) {
    deliveries.onDelivery(c, frame, receivedNanos);
  }

  private void count(String reason) {
    String key = reason.length() > 120 ? reason.substring(0, 120) : reason;
    if (errors.containsKey(key) || errors.size() < MAX_ERROR_KINDS) {
      errors.merge(key, 1, Integer::sum);
    } else {
      errors.merge("(other)", 1, Integer::sum);
    }
  }

  /** One batch of connections being opened. Loop-confined. */
  private final class Launch {
    final List<ClientConnection> batch;
    final int inFlightLimit;
    final double perSecond;
    final CountDownLatch done = new CountDownLatch(1);
    final Histogram micros = new Histogram(3);
    int next;
    int inFlight;
    int ready;
    int failed;
    long t0;
    long lastSettled;
    ScheduledFuture<?> ticker;

    Launch(List<ClientConnection> batch, int inFlightLimit, double perSecond) {
      this.batch = batch;
      this.inFlightLimit = inFlightLimit;
      this.perSecond = perSecond;
    }

    void start() {
      launch = this;
      t0 = HarnessClock.nanos();
      lastSettled = t0;
      if (batch.isEmpty()) {
        done.countDown();
        return;
      }
      if (perSecond > 0) {
        ticker = loop.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
      } else {
        fill();
      }
    }

    private void tick() {
      long now = HarnessClock.nanos();
      long due = Math.min(batch.size(), (long) ((now - t0) * perSecond / 1e9) + 1);
      while (next < due) {
        ClientConnection c = batch.get(next);
        startOne(c, t0 + (long) (next * 1e9 / perSecond));
      }
      if (next >= batch.size()) {
        ticker.cancel(false);
      }
    }

    private void fill() {
      while (next < batch.size() && inFlight < inFlightLimit) {
        startOne(batch.get(next), HarnessClock.nanos());
      }
    }

    private void startOne(ClientConnection c, long plannedStart) {
      next++;
      inFlight++;
      c.startNanos = plannedStart;
      connections.add(c);
      client.connect(c);
    }

    void settledOne(ClientConnection c, boolean ok) {
      inFlight--;
      long now = HarnessClock.nanos();
      lastSettled = now;
      if (ok) {
        ready++;
        micros.recordValue(Math.max(0, (c.readyNanos - c.startNanos) / 1000));
      } else {
        failed++;
      }
      if (ready + failed == batch.size()) {
        done.countDown();
      } else if (perSecond <= 0) {
        fill();
      }
    }

    void abandon() {
      if (ticker != null) {
        ticker.cancel(false);
      }
      // Whatever has not settled by the deadline counts as failed.
      for (int i = 0; i < next; i++) {
        ClientConnection c = batch.get(i);
        if (!settled.get(c.index())) {
          settled.set(c.index());
          failed++;
          count("not ready before the deadline");
        }
      }
      failed += batch.size() - next;
      next = batch.size();
      done.countDown();
    }

    Batch result() {
      launch = null;
      return new Batch(ready, failed, micros, (lastSettled - t0) / 1e9);
    }
  }

  /** Joins in flight. Loop-confined. */
  private final class Joining {
    final Function<ClientConnection, String> roomOf;
    final int inFlightLimit;
    final CountDownLatch done = new CountDownLatch(1);
    final List<ClientConnection> toJoin = new ArrayList<>();
    int next;
    int inFlight;
    int answered;
    int failed;

    Joining(Function<ClientConnection, String> roomOf, int inFlightLimit) {
      this.roomOf = roomOf;
      this.inFlightLimit = inFlightLimit;
    }

    void start() {
      joining = this;
      for (ClientConnection c : connections) {
        if (c.isReady() && roomOf.apply(c) != null) {
          toJoin.add(c);
        }
      }
      fill();
      if (toJoin.isEmpty()) {
        done.countDown();
      }
    }

    private void fill() {
      while (next < toJoin.size() && inFlight < inFlightLimit) {
        ClientConnection c = toJoin.get(next++);
        inFlight++;
        c.send(c.dialect().join(roomOf.apply(c), JOIN_REQUEST));
      }
    }

    void answered(boolean ok) {
      inFlight--;
      answered++;
      if (!ok) {
        failed++;
      }
      if (answered == toJoin.size()) {
        done.countDown();
      } else {
        fill();
      }
    }

    int pending() {
      return toJoin.size() - answered;
    }
  }
}
