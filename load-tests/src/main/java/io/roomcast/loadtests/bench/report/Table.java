package io.roomcast.loadtests.bench.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The table of figures, ratios and goals, in Markdown, from one run's results. */
final class Table {

  private static final String HEAD = "| figure | Roomcast | Node ws | Socket.IO | Roomcast ÷ ws | Roomcast ÷ Socket.IO | goal | status |\n"
    + "|---|---:|---:|---:|---:|---:|---|---|\n";

  private final RunSet runs;
  private final StringBuilder rows = new StringBuilder();

  Table(RunSet runs) {
    this.runs = runs;
  }

  String render() {
    for (int members : runs.fanoutSizes()) {
      fanout(members);
    }
    idle();
    connect();
    freshFanout();
    crossNode();
    return HEAD + rows;
  }

  private void fanout(int members) {
    Figure[] f = new Figure[3];
    for (int i = 0; i < 3; i++) {
      f[i] = runs.find("fanout", RunSet.SERVERS.get(i), members)
        .map(r -> new Figure(r.path("summary").path("deliveriesPerSecond").asDouble(), r.path("summary").path("generatorBound").asBoolean()))
        .orElse(Figure.MISSING);
    }
    String bound = bound(runs.find("fanout", "roomcast", members));
    String[] ws = Goals.ratioAtLeast(f[0], f[1], 2);
    String[] sio = Goals.ratioAtLeast(f[0], f[2], 5);
    row(String.format(Locale.ROOT, "fan-out, rooms of %,d: deliveries/s, nothing lost, p99 ≤ %s ms", members, bound),
      f, "%,.0f", ws[0], sio[0], "≥ 2× ws, ≥ 5× Socket.IO", "ws: " + ws[1] + "; Socket.IO: " + sio[1]);
    Figure[] e = new Figure[3];
    for (int i = 0; i < 3; i++) {
      e[i] = runs.find("fanout", RunSet.SERVERS.get(i), members).map(Table::perCpuSecond).orElse(Figure.MISSING);
    }
    row(String.format(Locale.ROOT, "fan-out, rooms of %,d: deliveries per server CPU-second at that step (context: "
      + "does not depend on how much of its core the server got)", members), e, "%,.0f", ratio(e[0], e[1]), ratio(e[0], e[2]), "–", "–");
  }

  /** @return deliveries per second of server CPU at the highest step that passed */
  private static Figure perCpuSecond(JsonNode r) {
    double best = r.path("summary").path("deliveriesPerSecond").asDouble();
    for (JsonNode step : r.path("steps")) {
      if (step.path("pass").asBoolean() && step.path("offeredDeliveriesPerSecond").asDouble() == best
        && step.path("serverCpu").asDouble() > 0) {
        return new Figure(step.path("deliveredPerSecond").asDouble() / step.path("serverCpu").asDouble(), false);
      }
    }
    return Figure.MISSING;
  }

  private void idle() {
    Figure[] f = new Figure[3];
    int connections = 0;
    for (int i = 0; i < 3; i++) {
      Optional<JsonNode> r = runs.find("idle", RunSet.SERVERS.get(i), 0);
      if (r.isPresent() && r.get().path("points").size() > 0) {
        JsonNode last = r.get().path("points").get(r.get().path("points").size() - 1);
        f[i] = new Figure(last.path("bytesPerConnection").asDouble() / 1024, false);
        if (i == 0) {
          connections = last.path("connections").asInt();
        }
      } else {
        f[i] = Figure.MISSING;
      }
    }
    row(String.format(Locale.ROOT, "memory per idle connection at %,d connections (KiB, RSS growth from the empty server, "
        + "after a full GC; lower is better)", connections), f, "%.2f", ratio(f[0], f[1]), ratio(f[0], f[2]), "≤ 4 KiB and ≤ ws",
      Goals.atMost(f[0], 4) + (f[0].present() && f[1].present() ? "; ≤ ws: " + (f[0].value() <= f[1].value() ? "**met**" : "**not met**") : ""));
    Figure[] m = new Figure[3];
    for (int i = 0; i < 3; i++) {
      m[i] = runs.find("idle", RunSet.SERVERS.get(i), 0).map(Table::marginal).orElse(Figure.MISSING);
    }
    row("memory per idle connection, marginal: RSS slope between the last two counts (KiB; context: leaves out what the first "
      + "connections cost once)", m, "%.2f", ratio(m[0], m[1]), ratio(m[0], m[2]), "–", "–");
    Figure live = runs.find("idle", "roomcast", 0).map(r -> r.path("liveHeap").path("liveHeapBytesPerConnection"))
      .filter(JsonNode::isNumber).map(n -> new Figure(n.asDouble(), false)).orElse(Figure.MISSING);
    row("live heap per idle connection (bytes, class histogram: growth from the empty server; context)",
      new Figure[] {live, Figure.MISSING, Figure.MISSING}, "%,.0f", "", "", "–", "–");
  }

  /** @return the RSS (after GC) slope between the last two counts, in KiB per connection */
  private static Figure marginal(JsonNode r) {
    JsonNode points = r.path("points");
    if (points.size() < 2) {
      return Figure.MISSING;
    }
    JsonNode a = points.get(points.size() - 2);
    JsonNode b = points.get(points.size() - 1);
    double connections = b.path("connections").asDouble() - a.path("connections").asDouble();
    if (connections <= 0) {
      return Figure.MISSING;
    }
    return new Figure((b.path("rssAfterGcBytes").asDouble() - a.path("rssAfterGcBytes").asDouble()) / connections / 1024, false);
  }

  private void connect() {
    Figure[] f = new Figure[3];
    for (int i = 0; i < 3; i++) {
      f[i] = runs.find("connect", RunSet.SERVERS.get(i), 0)
        .map(r -> new Figure(r.path("summary").path("connectsPerSecond").asDouble(), r.path("summary").path("generatorBound").asBoolean()))
        .orElse(Figure.MISSING);
    }
    String[] ws = Goals.ratioAtLeast(f[0], f[1], 2);
    String bound = runs.find("connect", "roomcast", 0).map(r -> r.path("flags").path("p99-bound-ms").asText("100")).orElse("100");
    row("connects/s, no error, p99 connect time ≤ " + bound + " ms", f, "%,.0f", ws[0], ratio(f[0], f[2]), "≥ 2× ws", "ws: " + ws[1]);
    Figure[] fresh = new Figure[3];
    int first = 0;
    for (int i = 0; i < 3; i++) {
      Optional<JsonNode> warmup = runs.find("connect", RunSet.SERVERS.get(i), 0).map(r -> r.path("warmup"))
        .filter(w -> w.has("perSecond"));
      fresh[i] = warmup.map(w -> new Figure(w.path("perSecond").asDouble(), false)).orElse(Figure.MISSING);
      first = Math.max(first, warmup.map(w -> w.path("connections").asInt()).orElse(0));
    }
    String[] freshWs = Goals.ratioAtLeast(fresh[0], fresh[1], 1);
    row(String.format(Locale.ROOT, "connects/s into a freshly started server: its first %,d, 50 at a time (the generator warmed up "
        + "on another server first)", first), fresh, "%,.0f", freshWs[0], ratio(fresh[0], fresh[2]), "≥ ws", "ws: " + freshWs[1]);
  }

  /**
   * The fresh-server series: the p99 of every delivery its steps timed (the goal: at most twice the
   * peer's, at the same rate), and its worst step's p99 as context.
   */
  private void freshFanout() {
    Optional<JsonNode> roomcast = runs.find("fresh", "roomcast", 0);
    if (roomcast.isEmpty()) {
      return;
    }
    Figure[] f = freshFigures("latency");
    Figure[] worst = freshFigures("worstP99Ms");
    JsonNode flags = roomcast.get().path("flags");
    String status = !f[1].present() ? "not measured" : f[0].value() <= 2 * f[1].value() ? "**met**" : "**not met**";
    String series = String.format(Locale.ROOT, "%s steps of %s s, rooms of %s at %,d deliveries/s", flags.path("steps").asText("12"),
      flags.path("step-seconds").asText("5"), flags.path("members").asText("100"), flags.path("start-rate").asLong(10_000));
    row("fan-out in a freshly started server's first minute: p99 of the deliveries timed in " + series
        + " (ms; the generator warmed up on another server first; lower is better)", f, "%.1f", ratio(f[0], f[1]), ratio(f[0], f[2]),
      "≤ 2× ws", status);
    row("the same, the worst step's p99 (ms; context)", worst, "%.1f", ratio(worst[0], worst[1]), ratio(worst[0], worst[2]), "–", "–");
  }

  private Figure[] freshFigures(String field) {
    Figure[] f = new Figure[3];
    for (int i = 0; i < 3; i++) {
      f[i] = runs.find("fresh", RunSet.SERVERS.get(i), 0)
        .map(r -> r.path("summary").path(field))
        .map(v -> v.isObject() ? v.path("p99") : v)
        .filter(v -> !v.isMissingNode())
        .map(v -> new Figure(v.asDouble(), false))
        .orElse(Figure.MISSING);
    }
    return f;
  }

  private void crossNode() {
    Optional<JsonNode> cross = runs.find("crossnode", "roomcast", 0);
    if (cross.isEmpty()) {
      rows.append("| cross-node | not measured | | | | | | |\n");
      return;
    }
    JsonNode reference = cross.get().path("reference");
    if (!reference.isMissingNode()) {
      double local = reference.path("latencyLocal").path("p99").asDouble();
      double remote = reference.path("latencyRemote").path("p99").asDouble();
      Figure hop = new Figure(remote - local, false);
      row(String.format(Locale.ROOT, "cross-node hop: p99 on the other node − p99 on the publisher's node, at %,d deliveries/s (ms; %.2f vs %.2f)",
          reference.path("offeredDeliveriesPerSecond").asLong(), remote, local),
        new Figure[] {hop, Figure.MISSING, Figure.MISSING}, "%.2f", "", "", "≤ 2 ms", Goals.atMost(hop, 2));
    }
    Figure two = new Figure(cross.get().path("summary").path("deliveriesPerSecond").asDouble(),
      cross.get().path("summary").path("generatorBound").asBoolean());
    Optional<JsonNode> single = runs.find("fanout", "roomcast", RunSet.members(cross.get()));
    if (single.isPresent()) {
      double one = single.get().path("summary").path("deliveriesPerSecond").asDouble();
      boolean oneBound = single.get().path("summary").path("generatorBound").asBoolean();
      Figure scale = new Figure(one <= 0 ? Double.NaN : two.value() / one, two.lowerBound() && !oneBound);
      // With the 1-node figure a lower bound, the ratio bounds nothing: say so rather than judge it.
      String status = oneBound
        ? (two.value() >= one ? "inconclusive (1 node generator-bound); 2 nodes passed every rate 1 node passed"
          : "inconclusive (1 node generator-bound)")
        : Goals.atLeast(scale, 0.8);
      row(String.format(Locale.ROOT, "2 nodes on the same core ÷ 1 node, fan-out in rooms of %,d (%s%,.0f vs %s%,.0f deliveries/s)",
          RunSet.members(cross.get()), two.lowerBound() ? "≥ " : "", two.value(), oneBound ? "≥ " : "", one),
        new Figure[] {new Figure(scale.value(), false), Figure.MISSING, Figure.MISSING}, "%.2f×", "", "", "≥ 0.8×", status);
    }
  }

  private void row(String name, Figure[] f, String pattern, String ratioWs, String ratioSio, String goal, String status) {
    List<String> cells = new ArrayList<>(List.of(name));
    for (Figure x : f) {
      cells.add(x.format(pattern));
    }
    cells.addAll(List.of(ratioWs, ratioSio, goal, status));
    rows.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  private static String ratio(Figure a, Figure b) {
    if (!a.present() || !b.present() || b.value() <= 0) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.2f×", a.value() / b.value());
  }

  private static String bound(Optional<JsonNode> r) {
    return r.map(x -> x.path("flags").path("p99-bound-ms").asText("100")).orElse("100");
  }
}
