package io.roomcast.loadtests.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.loadtests.bench.client.ClientConnection;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Modes 3 and 4, fan-out and cross-node: R rooms of M members, P publishers per room, open-loop
 * at a fixed rate. A step search finds the highest rate of deliveries per second with nothing
 * lost or duplicated, no connection dropped, and p99 end-to-end latency within the bound: the
 * rate grows by a factor until a step fails, then bisects. A step where the generator used more
 * than {@link CpuMeter#GENERATOR_LIMIT} of its core is discarded and ends the search (the figure
 * is then a lower bound); one that fails on latency alone gets a {@link SecondTry}. With several
 * node URLs, members alternate between nodes, publishers are on node 0, and latency is also kept
 * for members on node 0 and on the others.
 */
final class FanoutMode {

  private final Target target;
  private final Fleet fleet;
  private final int members;
  private final int rooms;
  private final int publishersPerRoom;
  private final String roomPrefix;
  private final String padding;
  private final double stepSeconds;
  private final double settleSeconds;
  private final double drainSeconds;
  private final double p99BoundMs;
  private final double startRate;
  private final double growth;
  private final int maxSteps;
  private final double maxRate;
  private final double warmupSeconds;
  private final double referenceRate;
  private final double referenceSeconds;
  private final int inFlight;
  private final DeliveryLedger ledger;
  private final boolean secondTry;
  private final List<ClientConnection> publishers = new ArrayList<>();
  private Publisher publisher;
  /** Every delivery's latency over a {@link #series}, when one runs. */
  private Histogram seriesLatency;

  FanoutMode(Target target, Fleet fleet, Options options) {
    this.target = target;
    this.fleet = fleet;
    this.members = options.integer("members", 100);
    this.rooms = options.integer("rooms", 10);
    this.publishersPerRoom = options.integer("publishers-per-room", 1);
    // A prefix that the gateway's configuration gives history (e.g. "hist-") measures history rooms.
    this.roomPrefix = options.string("room-prefix", "bench-");
    this.padding = io.roomcast.loadtests.bench.client.Payload.padding(options.integer("payload-bytes", 64));
    this.stepSeconds = options.decimal("step-seconds", 5);
    this.settleSeconds = options.decimal("settle-seconds", 1);
    this.drainSeconds = options.decimal("drain-seconds", 3);
    this.p99BoundMs = options.decimal("p99-bound-ms", 100);
    this.startRate = options.decimal("start-rate", 10_000);
    this.growth = options.decimal("growth", 1.5);
    this.maxSteps = options.integer("max-steps", 14);
    this.maxRate = options.decimal("max-rate", 5_000_000);
    this.warmupSeconds = options.decimal("warmup-seconds", 5);
    this.referenceRate = options.decimal("reference-rate", 0);
    this.referenceSeconds = options.decimal("reference-seconds", stepSeconds);
    this.inFlight = options.integer("in-flight", 200);
    this.secondTry = options.integer("second-try", 1) > 0;
    if (members < 2 || rooms < 1 || publishersPerRoom < 1 || publishersPerRoom * target.urls().size() > members) {
      throw new IllegalArgumentException("need members >= 2, rooms >= 1, 1 <= publishers-per-room <= members / nodes");
    }
    this.ledger = new DeliveryLedger(members - 1, publishersPerRoom, target.urls().size() > 1);
  }

  private String roomName(int room) {
    return roomPrefix + room;
  }

  ObjectNode run(ObjectNode result) {
    setUp(result);
    ArrayNode steps = result.putArray("steps");
    if (warmupSeconds > 0) {
      ObjectNode warmup = step(startRate, warmupSeconds);
      result.set("warmup", warmup);
    }
    if (referenceRate > 0) {
      result.set("reference", step(referenceRate, referenceSeconds));
    }
    SecondTry retry = new SecondTry(secondTry, result);
    ObjectNode best = null;
    Double failed = null;
    boolean generatorBound = false;
    double rate = startRate;
    for (int i = 0; i < maxSteps; i++) {
      double stepRate = rate;
      ObjectNode s = retry.measure(() -> step(stepRate, stepSeconds));
      steps.add(s);
      if (s.get("generatorBound").asBoolean()) {
        generatorBound = true;
        break;
      }
      if (s.get("pass").asBoolean()) {
        best = s;
      } else {
        failed = rate;
      }
      if (best != null && failed != null) {
        double low = best.get("offeredDeliveriesPerSecond").asDouble();
        if (failed / low <= 1.1) {
          break;
        }
        rate = (low + failed) / 2;
      } else if (best != null) {
        rate = rate * growth;
        if (rate > maxRate) {
          break;
        }
      } else {
        rate = rate / 2;
        if (rate < members) {
          break;
        }
      }
      if (!target.alive()) {
        break;
      }
    }
    ObjectNode summary = result.putObject("summary");
    summary.put("deliveriesPerSecond", best == null ? 0 : best.get("offeredDeliveriesPerSecond").asDouble());
    summary.put("achievedDeliveriesPerSecond", best == null ? 0 : best.get("deliveredPerSecond").asDouble());
    summary.put("p99Ms", best == null ? -1 : best.get("latency").get("p99").asDouble());
    summary.put("generatorBound", generatorBound);
    summary.put("limitedBy", generatorBound ? "the generator's core (the figure is a lower bound)"
      : failed == null ? "highest rate tried" : "step at " + Math.round(failed) + "/s failed");
    result.put("serverRssBytesAtEnd", target.rssBytes());
    fleet.setDeliveries((c, frame, now) -> { });
    fleet.closeAll(30_000);
    return result;
  }

  /**
   * Runs {@code count} steps at the start rate, one after the other with no search and no stop
   * (a step over the generator's limit or the bound is recorded as such): how a server's latency
   * moves over time at one load, e.g. in its first minute.
   */
  ObjectNode series(ObjectNode result, int count) {
    setUp(result);
    seriesLatency = new Histogram(3);
    ArrayNode steps = result.putArray("steps");
    ArrayNode p99s = result.putObject("summary").putArray("p99Ms");
    double worst = 0;
    for (int i = 0; i < count && target.alive(); i++) {
      ObjectNode s = step(startRate, stepSeconds);
      steps.add(s);
      double p99 = s.get("latency").get("p99").asDouble();
      p99s.add(p99);
      worst = Math.max(worst, p99);
    }
    ObjectNode summary = (ObjectNode) result.get("summary");
    summary.put("worstP99Ms", worst);
    summary.set("latency", Results.latency(seriesLatency));
    fleet.setDeliveries((c, frame, now) -> { });
    fleet.closeAll(30_000);
    return result;
  }

  private void setUp(ObjectNode result) {
    int nodes = target.urls().size();
    List<ClientConnection> all = new ArrayList<>(rooms * members);
    for (int i = 0; i < rooms * members; i++) {
      int room = i / members;
      int position = i % members;
      int node = position % nodes;
      ClientConnection c = fleet.newConnection(target.urls().get(node), target.kind());
      c.room = room;
      c.node = node;
      c.lastSequence = new long[publishersPerRoom];
      Arrays.fill(c.lastSequence, -1);
      if (node == 0 && position / nodes < publishersPerRoom) {
        c.publisher = room * publishersPerRoom + position / nodes;
        publishers.add(c);
      }
      all.add(c);
    }
    Fleet.Batch b = fleet.connect(all, inFlight, 180_000);
    int joinFailures = fleet.joinAll(c -> roomName(c.room), 500, 120_000);
    ObjectNode setup = result.putObject("setup");
    setup.put("connections", b.ready());
    setup.put("connectFailures", b.failed());
    setup.put("joinFailures", joinFailures);
    setup.put("publishers", publishers.size());
    setup.put("serverRssBytes", target.rssBytes());
    if (b.failed() > 0 || joinFailures > 0) {
      throw new IllegalStateException("set-up failed: " + b.failed() + " connections and " + joinFailures
        + " joins failed; " + fleet.problems());
    }
    fleet.setDeliveries(ledger);
    publisher = new Publisher(fleet, publishers, this::roomName, ledger, padding);
    System.out.printf("fanout %-9s %d rooms x %d members on %d node(s), %d publishers: ready%n",
      target.kind().id(), rooms, members, nodes, publishers.size());
  }

  /** Runs one step at {@code deliveries} per second. */
  private ObjectNode step(double deliveries, double seconds) {
    fleet.resetProblems();
    double publishRate = deliveries / (members - 1);
    CpuMeter cpu = new CpuMeter(target);
    CountDownLatch sent = publisher.start(publishRate, seconds, Math.min(settleSeconds, seconds / 2));
    await(sent, seconds + 30);
    double generator = cpu.generator();
    double server = cpu.server();
    double publishSeconds = cpu.elapsedSeconds();
    long drainDeadline = System.nanoTime() + (long) (drainSeconds * 1e9);
    while (!fleet.onLoop(ledger::complete) && System.nanoTime() < drainDeadline) {
      Pause.seconds(0.05);
    }
    DeliveryLedger.Tally t = fleet.onLoop(ledger::tally);
    long trouble = fleet.troubleCount();
    ObjectNode step = Results.object();
    step.put("offeredDeliveriesPerSecond", Math.round(deliveries));
    step.put("publishRate", Results.round(publishRate));
    step.put("seconds", Results.round(publishSeconds));
    step.put("sent", t.sent());
    step.put("expected", t.expected());
    step.put("delivered", t.delivered());
    step.put("deliveredPerSecond", Math.round(t.delivered() / Math.max(1e-9, publishSeconds)));
    step.put("lost", t.lost());
    step.put("duplicates", t.duplicates());
    step.put("reordered", t.reordered());
    step.put("stale", t.stale());
    step.put("foreign", t.foreign());
    step.set("latency", Results.latency(t.all()));
    if (seriesLatency != null) {
      seriesLatency.add(t.all());
    }
    if (t.local() != null) {
      step.set("latencyLocal", Results.latency(t.local()));
      step.set("latencyRemote", Results.latency(t.remote()));
    }
    step.put("generatorCpu", Results.round(generator));
    step.put("serverCpu", Results.round(server));
    step.put("serverRssBytes", target.rssBytes());
    boolean generatorBound = generator > CpuMeter.GENERATOR_LIMIT;
    step.put("generatorBound", generatorBound);
    double p99 = step.get("latency").get("p99").asDouble();
    List<String> reasons = new ArrayList<>();
    if (t.lost() > 0) {
      reasons.add(t.lost() + " lost");
    }
    if (t.duplicates() > 0) {
      reasons.add(t.duplicates() + " duplicated");
    }
    if (p99 > p99BoundMs) {
      reasons.add("p99 " + p99 + " ms > " + p99BoundMs);
    }
    if (trouble > 0) {
      reasons.add(trouble + " connection problems");
    }
    if (generatorBound) {
      reasons.add("generator over " + (int) (CpuMeter.GENERATOR_LIMIT * 100) + "% of its core (discarded)");
    }
    step.put("pass", reasons.isEmpty());
    step.put("slowOnly", reasons.size() == 1 && p99 > p99BoundMs);
    step.put("reason", String.join("; ", reasons));
    step.set("problems", Results.JSON.valueToTree(fleet.problems()));
    System.out.printf("fanout %-9s %9.0f/s offered: %9d/s delivered, lost %d dup %d reord %d, p50 %.2f p99 %.2f p99.9 %.2f ms,"
        + " gen %.2f server %.2f %s%n", target.kind().id(), deliveries, step.get("deliveredPerSecond").asLong(), t.lost(),
      t.duplicates(), t.reordered(), step.get("latency").get("p50").asDouble(), p99, step.get("latency").get("p999").asDouble(),
      generator, server, reasons.isEmpty() ? "pass" : String.join("; ", reasons));
    // A failed step can leave the server with a backlog: let it clear before the next one.
    Pause.seconds(reasons.isEmpty() ? 0.5 : 2);
    return step;
  }

  private static void await(CountDownLatch latch, double seconds) {
    try {
      if (!latch.await((long) (seconds * 1000), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the publisher did not finish in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
