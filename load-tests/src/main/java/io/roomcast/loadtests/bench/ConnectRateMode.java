package io.roomcast.loadtests.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.loadtests.bench.client.ClientConnection;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Mode 2, connect rate: opens connections open-loop at rising rates, each step for a few seconds,
 * until the first failed connection or a p99 connect time (planned start to ready) over the
 * bound; then bisects between the last rate that passed and the first that did not. The figure
 * is the highest rate that passed; a step that fails on latency alone gets a {@link SecondTry}.
 * Connections of a step stay open to its end, then all close.
 */
final class ConnectRateMode {

  private final Target target;
  private final Fleet fleet;
  private final List<Integer> rates;
  private final double stepSeconds;
  private final int maxPerStep;
  private final double p99BoundMs;
  private final int refinements;
  private final int warmup;
  private final URI generatorWarmupUrl;
  private final boolean secondTry;

  ConnectRateMode(Target target, Fleet fleet, Options options) {
    this.target = target;
    this.fleet = fleet;
    this.rates = options.integers("rates", "250,500,1000,2000,3000,4000,6000,8000,12000,16000");
    this.stepSeconds = options.decimal("step-seconds", 3);
    this.maxPerStep = options.integer("max-per-step", 15000);
    this.p99BoundMs = options.decimal("p99-bound-ms", 100);
    this.refinements = options.integer("refinements", 2);
    this.warmup = options.integer("warmup", 3000);
    String generatorWarmup = options.string("generator-warmup-url", null);
    this.generatorWarmupUrl = generatorWarmup == null ? null : URI.create(generatorWarmup);
    this.secondTry = options.integer("second-try", 1) > 0;
  }

  ObjectNode run(ObjectNode result) {
    warmUpGenerator();
    warmUp(result);
    ArrayNode steps = result.putArray("steps");
    SecondTry retry = new SecondTry(secondTry, result);
    ObjectNode best = null;
    Integer failedRate = null;
    for (int rate : rates) {
      ObjectNode step = retry.measure(() -> step(rate));
      steps.add(step);
      if (step.get("pass").asBoolean()) {
        best = step;
      } else {
        failedRate = rate;
        break;
      }
    }
    for (int i = 0; i < refinements && best != null && failedRate != null; i++) {
      int low = best.get("rate").asInt();
      int mid = (low + failedRate) / 2;
      if (mid <= low * 1.05) {
        break;
      }
      ObjectNode step = retry.measure(() -> step(mid));
      steps.add(step);
      if (step.get("pass").asBoolean()) {
        best = step;
      } else {
        failedRate = mid;
      }
    }
    ObjectNode summary = result.putObject("summary");
    summary.put("connectsPerSecond", best == null ? 0 : best.get("achievedPerSecond").asDouble());
    summary.put("rate", best == null ? 0 : best.get("rate").asInt());
    summary.put("p99Ms", best == null ? -1 : best.get("latency").get("p99").asDouble());
    summary.put("limitedBy", failedRate == null ? "highest rate tried" : "step at " + failedRate + "/s: "
      + steps.get(steps.size() - 1).get("reason").asText());
    summary.put("generatorBound", steps.findValues("generatorBound").stream().anyMatch(v -> v.asBoolean()));
    return result;
  }

  /**
   * Warms the harness itself against another server that speaks Roomcast's protocol (a `ws` peer),
   * so that the first connects to the server under test measure a fresh server, not a fresh
   * generator: a generator JVM that has not compiled its own paths is the limit otherwise.
   */
  private void warmUpGenerator() {
    if (generatorWarmupUrl == null) {
      return;
    }
    for (int round = 0; round < 3; round++) {
      List<ClientConnection> batch = new ArrayList<>(warmup);
      for (int i = 0; i < warmup; i++) {
        batch.add(fleet.newConnection(generatorWarmupUrl, ServerKind.WS));
      }
      Fleet.Batch b = fleet.connect(batch, 50, 120_000);
      fleet.closeAll(30_000);
      System.out.printf("connect generator warm-up %d: %d connects at %.0f/s%n", round + 1, b.ready(), b.ready() / Math.max(1e-9, b.seconds()));
    }
    fleet.resetProblems();
    Pause.seconds(2);
  }

  /**
   * Opens and closes connections before the first step, a bounded number at a time: a fresh
   * server (and harness) spends its first thousand handshakes loading classes and compiling, which
   * is not what a connect rate is about.
   */
  private void warmUp(ObjectNode result) {
    if (warmup <= 0) {
      return;
    }
    List<ClientConnection> batch = new ArrayList<>(warmup);
    for (int i = 0; i < warmup; i++) {
      batch.add(fleet.newConnection(target.urls().get(i % target.urls().size()), target.kind()));
    }
    Fleet.Batch b = fleet.connect(batch, 50, 120_000);
    // Also the figure of a freshly started server: how fast it takes its first connections.
    ObjectNode w = result.putObject("warmup");
    w.put("connections", warmup);
    w.put("failed", b.failed());
    w.put("seconds", Results.round(b.seconds()));
    w.put("perSecond", Results.round(b.ready() / Math.max(1e-9, b.seconds())));
    w.set("latency", Results.latency(b.connectMicros()));
    System.out.printf("connect %-9s fresh server: first %d connects (50 at a time) at %.0f/s, p50 %.2f ms, p99 %.2f ms%n",
      target.kind().id(), warmup, b.ready() / Math.max(1e-9, b.seconds()), w.get("latency").path("p50").asDouble(),
      w.get("latency").path("p99").asDouble());
    fleet.closeAll(30_000);
    Pause.seconds(2);
  }

  private ObjectNode step(int rate) {
    int n = (int) Math.min(maxPerStep, Math.round(rate * stepSeconds));
    List<ClientConnection> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(fleet.newConnection(target.urls().get(i % target.urls().size()), target.kind()));
    }
    fleet.resetProblems();
    CpuMeter cpu = new CpuMeter(target);
    Fleet.Batch b = fleet.connectAtRate(batch, rate, (long) (n * 1000.0 / rate) + 15_000);
    double generator = cpu.generator();
    double server = cpu.server();
    ObjectNode step = Results.object();
    step.put("rate", rate);
    step.put("connections", n);
    step.put("ready", b.ready());
    step.put("failed", b.failed());
    step.put("seconds", Results.round(b.seconds()));
    step.put("achievedPerSecond", Results.round(b.ready() / Math.max(1e-9, b.seconds())));
    step.set("latency", Results.latency(b.connectMicros()));
    step.put("generatorCpu", Results.round(generator));
    step.put("serverCpu", Results.round(server));
    boolean generatorBound = generator > CpuMeter.GENERATOR_LIMIT;
    step.put("generatorBound", generatorBound);
    double p99 = step.get("latency").get("p99").asDouble();
    String reason;
    if (b.failed() > 0) {
      reason = b.failed() + " failed";
    } else if (p99 > p99BoundMs) {
      reason = "p99 " + p99 + " ms > " + p99BoundMs + " ms";
    } else if (generatorBound) {
      reason = "generator over " + (int) (CpuMeter.GENERATOR_LIMIT * 100) + "% of its core (discarded)";
    } else {
      reason = "";
    }
    step.put("pass", reason.isEmpty());
    step.put("slowOnly", b.failed() == 0 && p99 > p99BoundMs && !generatorBound);
    step.put("reason", reason);
    step.set("problems", Results.JSON.valueToTree(fleet.problems()));
    System.out.printf("connect %-9s %6d/s: %6d ready %4d failed, p99 %8.2f ms, gen %.2f, server %.2f %s%n",
      target.kind().id(), rate, b.ready(), b.failed(), p99, generator, server, reason.isEmpty() ? "pass" : reason);
    fleet.closeAll(30_000);
    Pause.seconds(2);
    return step;
  }
}
