package io.roomcast.loadtests.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.loadtests.bench.client.ClientConnection;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Mode 1, idle memory: opens idle connections up to each count asked, and reads the server's
 * resident memory at each, as is and after a full collection. The figure is the growth per
 * connection from the empty server (after a collection too) to each count.
 */
final class IdleMemoryMode {

  private final Target target;
  private final Fleet fleet;
  private final List<Integer> counts;
  private final int inFlight;
  private final double settleSeconds;
  private final int histogramRows;

  IdleMemoryMode(Target target, Fleet fleet, Options options) {
    this.target = target;
    this.fleet = fleet;
    this.counts = options.integers("counts", "2500,5000,10000,15000,19500");
    this.inFlight = options.integer("in-flight", 200);
    this.settleSeconds = options.decimal("settle", 3);
    this.histogramRows = options.integer("histogram-rows", 20);
  }

  ObjectNode run(ObjectNode result) {
    ObjectNode baseline = result.putObject("baseline");
    Pause.seconds(settleSeconds);
    baseline.put("rssBytes", target.rssBytes());
    target.collectGarbage();
    Pause.seconds(1);
    long base = target.rssBytes();
    baseline.put("rssAfterGcBytes", base);
    HeapHistogram emptyHeap = histogram(Integer.MAX_VALUE);
    ArrayNode points = result.putArray("points");
    int open = 0;
    for (int count : counts) {
      List<ClientConnection> batch = new ArrayList<>();
      for (int i = open; i < count; i++) {
        URI uri = target.urls().get(i % target.urls().size());
        batch.add(fleet.newConnection(uri, target.kind()));
      }
      Fleet.Batch b = fleet.connect(batch, inFlight, 120_000);
      open += b.ready();
      ObjectNode point = points.addObject();
      point.put("asked", count);
      point.put("connections", open);
      point.put("failed", b.failed());
      point.put("connectSeconds", Results.round(b.seconds()));
      Pause.seconds(settleSeconds);
      long raw = target.rssBytes();
      target.collectGarbage();
      Pause.seconds(1);
      long collected = target.rssBytes();
      point.put("rssBytes", raw);
      point.put("rssAfterGcBytes", collected);
      point.put("bytesPerConnection", open == 0 ? 0 : Math.round((double) (collected - base) / open));
      point.put("bytesPerConnectionBeforeGc", open == 0 ? 0 : Math.round((double) (raw - base) / open));
      point.put("serverOpenFiles", target.pids().isEmpty() ? -1 : ProcStats.openFiles(target.pids().get(0)));
      System.out.printf("idle %-9s %6d connections: RSS %6.1f MiB (%.0f after GC), %5.2f KiB per connection%n",
        target.kind().id(), open, raw / 1048576.0, collected / 1048576.0, (collected - base) / 1024.0 / Math.max(1, open));
      if (b.failed() > 0) {
        System.out.printf("idle %-9s stopping: %d connections failed%n", target.kind().id(), b.failed());
        break;
      }
    }
    // What holds the memory, for the JVM: the live objects at the last count, and what each
    // connection added to them since the empty server.
    HeapHistogram fullHeap = histogram(Integer.MAX_VALUE);
    if (emptyHeap != null && fullHeap != null && open > 0) {
      ObjectNode live = result.putObject("liveHeap");
      double perConnection = fullHeap.perConnectionSince(emptyHeap, open, histogramRows, live);
      System.out.printf("idle %-9s %6d connections: live heap %.0f bytes per connection (class histogram)%n",
        target.kind().id(), open, perConnection);
      for (var row : live.withArray("liveHeapByClass")) {
        System.out.printf("  %8.2f  %7d  %s%n", row.get("instancesPerConnection").asDouble(), row.get("bytesPerConnection").asLong(),
          row.get("class").asText());
      }
      System.out.printf("  %8s  %7d  everything else%n", "", live.get("liveHeapOtherBytesPerConnection").asLong());
    }
    if (!target.pids().isEmpty()) {
      String histogram = target.kind().heapHistogram(target.pids().get(0), 30);
      if (histogram != null) {
        result.put("heapHistogram", histogram);
      }
    }
    // The connections were idle throughout: anything that dropped them is a finding.
    result.set("problems", Results.JSON.valueToTree(fleet.problems()));
    fleet.closeAll(30_000);
    return result;
  }

  /** @return the first server's class histogram, or {@code null} where it has none (the Node peers) */
  private HeapHistogram histogram(int lines) {
    if (target.pids().isEmpty()) {
      return null;
    }
    String text = target.kind().heapHistogram(target.pids().get(0), lines);
    HeapHistogram histogram = text == null ? null : HeapHistogram.parse(text);
    return histogram == null || histogram.isEmpty() ? null : histogram;
  }
}
