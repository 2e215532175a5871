package io.roomcast.loadtests.bench;

import io.netty.util.concurrent.ScheduledFuture;
import io.roomcast.loadtests.bench.client.ClientConnection;
import io.roomcast.loadtests.bench.client.HarnessClock;
import io.roomcast.loadtests.bench.client.Payload;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Publishes open-loop at a fixed rate: message i is due at {@code i / rate} s and carries that
 * planned time, so a send that comes late (a busy generator, a server that pushes back) counts
 * its wait in the latency instead of lowering the rate. Publishers take turns. Runs on the loop,
 * checking every millisecond what is due.
 */
final class Publisher {

  private final Fleet fleet;
  private final List<ClientConnection> publishers;
  private final IntFunction<String> roomName;
  private final DeliveryLedger ledger;
  private final String padding;

  Publisher(Fleet fleet, List<ClientConnection> publishers, IntFunction<String> roomName, DeliveryLedger ledger, String padding) {
    this.fleet = fleet;
    this.publishers = publishers;
    this.roomName = roomName;
    this.ledger = ledger;
    this.padding = padding;
  }

  /**
   * Starts a step: the ledger is reset, then {@code rate} messages per second for {@code seconds}.
   *
   * @param settleSeconds latency counts messages planned after this much of the step
   * @return counted down once the last message is sent
   */
  CountDownLatch start(double rate, double seconds, double settleSeconds) {
    CountDownLatch done = new CountDownLatch(1);
    int total = (int) Math.max(1, Math.round(rate * seconds));
    fleet.loop().execute(() -> {
      long t0 = HarnessClock.nanos();
      ledger.begin(total, t0 + (long) (settleSeconds * 1e9));
      Run run = new Run(rate, total, t0, done);
      run.ticker = fleet.loop().scheduleAtFixedRate(run::tick, 0, 1, TimeUnit.MILLISECONDS);
    });
    return done;
  }

  private final class Run {
    final double rate;
    final int total;
    final long t0;
    final CountDownLatch done;
    int sent;
    ScheduledFuture<?> ticker;

    Run(double rate, int total, long t0, CountDownLatch done) {
      this.rate = rate;
      this.total = total;
      this.t0 = t0;
      this.done = done;
    }

    void tick() {
      long due = Math.min(total, (long) ((HarnessClock.nanos() - t0) * rate / 1e9) + 1);
      while (sent < due) {
        long planned = t0 + (long) (sent * 1e9 / rate);
        ClientConnection p = publishers.get(sent % publishers.size());
        long sequence = ledger.send();
        sent++;
        p.send(p.dialect().publish("m", roomName.apply(p.room), Payload.json(p.publisher, sequence, planned, padding)));
      }
      if (sent >= total) {
        ticker.cancel(false);
        done.countDown();
      }
    }
  }
}
