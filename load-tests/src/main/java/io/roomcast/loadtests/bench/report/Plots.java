package io.roomcast.loadtests.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The PNG plots of a run, drawn with XChart: latency against rate, memory against connections. */
final class Plots {

  private static final Map<String, Color> COLORS = Map.of(
    "roomcast", new Color(0x1f77b4), "ws", new Color(0x2ca02c), "socketio", new Color(0xd62728));

  private final RunSet runs;
  private final Path dir;
  private final Map<String, String> written = new LinkedHashMap<>();

  Plots(RunSet runs, Path dir) {
    this.runs = runs;
    this.dir = dir;
  }

  /** @return the plots written: title to file */
  Map<String, String> drawAll() throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    for (int members : runs.fanoutSizes()) {
      fanout(members);
    }
    idle();
    connect();
    crossNode();
    return written;
  }

  private void fanout(int members) throws IOException {
    XYChart chart = chart("Fan-out, rooms of " + members + ": end-to-end latency by offered rate",
      "offered deliveries per second", "latency (ms, log scale)");
    chart.getStyler().setYAxisLogarithmic(true);
    for (String server : RunSet.SERVERS) {
      runs.find("fanout", server, members).ifPresent(r -> {
        List<JsonNode> steps = sortedSteps(r, "offeredDeliveriesPerSecond");
        percentileSeries(chart, server, steps, "offeredDeliveriesPerSecond", "latency");
      });
    }
    save(chart, "fanout-" + members + "-latency", "Fan-out latency, rooms of " + members);
  }

  private void idle() throws IOException {
    XYChart chart = chart("Idle connections: server resident memory (after a full GC)", "connections", "RSS (MiB)");
    for (String server : RunSet.SERVERS) {
      runs.find("idle", server, 0).ifPresent(r -> {
        List<Double> x = new ArrayList<>(List.of(0.0));
        List<Double> y = new ArrayList<>(List.of(r.path("baseline").path("rssAfterGcBytes").asDouble() / 1048576));
        for (JsonNode p : r.path("points")) {
          x.add(p.path("connections").asDouble());
          y.add(p.path("rssAfterGcBytes").asDouble() / 1048576);
        }
        XYSeries s = chart.addSeries(RunSet.label(server), x, y);
        style(s, server, SeriesLines.SOLID);
      });
    }
    save(chart, "idle-memory", "Memory against idle connections");
  }

  private void connect() throws IOException {
    XYChart chart = chart("Connect rate: p99 connect time (planned start to welcome)", "offered connects per second",
      "p99 connect time (ms, log scale)");
    chart.getStyler().setYAxisLogarithmic(true);
    for (String server : RunSet.SERVERS) {
      runs.find("connect", server, 0).ifPresent(r -> {
        List<JsonNode> steps = sortedSteps(r, "rate");
        if (!steps.isEmpty()) {
          XYSeries s = chart.addSeries(RunSet.label(server), steps.stream().map(st -> st.path("rate").asDouble()).toList(),
            steps.stream().map(st -> Math.max(0.01, st.path("latency").path("p99").asDouble())).toList());
          style(s, server, SeriesLines.SOLID);
        }
      });
    }
    save(chart, "connect-rate", "Connect time against connect rate");
  }

  private void crossNode() throws IOException {
    var cross = runs.find("crossnode", "roomcast", 0);
    if (cross.isEmpty()) {
      return;
    }
    XYChart chart = chart("Cross-node fan-out (2 nodes): p99 latency by where the member is",
      "offered deliveries per second", "p99 latency (ms, log scale)");
    chart.getStyler().setYAxisLogarithmic(true);
    List<JsonNode> steps = sortedSteps(cross.get(), "offeredDeliveriesPerSecond");
    if (!steps.isEmpty()) {
      List<Double> x = steps.stream().map(st -> st.path("offeredDeliveriesPerSecond").asDouble()).toList();
      style(chart.addSeries("2 nodes, member on the publisher's node", x,
        steps.stream().map(st -> Math.max(0.01, st.path("latencyLocal").path("p99").asDouble())).toList()), "roomcast", SeriesLines.SOLID);
      XYSeries remote = chart.addSeries("2 nodes, member on the other node", x,
        steps.stream().map(st -> Math.max(0.01, st.path("latencyRemote").path("p99").asDouble())).toList());
      remote.setLineColor(new Color(0xff7f0e));
      remote.setMarkerColor(new Color(0xff7f0e));
      remote.setMarker(SeriesMarkers.DIAMOND);
    }
    runs.find("fanout", "roomcast", RunSet.members(cross.get())).ifPresent(single -> {
      List<JsonNode> s = sortedSteps(single, "offeredDeliveriesPerSecond");
      if (!s.isEmpty()) {
        style(chart.addSeries("1 node", s.stream().map(st -> st.path("offeredDeliveriesPerSecond").asDouble()).toList(),
          s.stream().map(st -> Math.max(0.01, st.path("latency").path("p99").asDouble())).toList()), "ws", SeriesLines.DASH_DASH);
      }
    });
    save(chart, "crossnode-latency", "Cross-node latency");
  }

  private static void percentileSeries(XYChart chart, String server, List<JsonNode> steps, String xField, String latency) {
    if (steps.isEmpty()) {
      return;
    }
    List<Double> x = steps.stream().map(st -> st.path(xField).asDouble()).toList();
    String[][] percentiles = {{"p50", "p50"}, {"p99", "p99"}, {"p999", "p99.9"}};
    BasicStroke[] lines = {SeriesLines.DOT_DOT, SeriesLines.SOLID, SeriesLines.DASH_DASH};
    for (int i = 0; i < percentiles.length; i++) {
      String field = percentiles[i][0];
      XYSeries s = chart.addSeries(RunSet.label(server) + " " + percentiles[i][1], x,
        steps.stream().map(st -> Math.max(0.01, st.path(latency).path(field).asDouble())).toList());
      style(s, server, lines[i]);
    }
  }

  private static List<JsonNode> sortedSteps(JsonNode result, String field) {
    List<JsonNode> steps = new ArrayList<>();
    result.path("steps").forEach(st -> {
      if (!st.path("generatorBound").asBoolean()) {
        steps.add(st);
      }
    });
    steps.sort(Comparator.comparingDouble(st -> st.path(field).asDouble()));
    return steps;
  }

  private static XYChart chart(String title, String x, String y) {
    XYChart chart = new XYChartBuilder().width(1100).height(520).title(title).xAxisTitle(x).yAxisTitle(y).build();
    XYStyler s = chart.getStyler();
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotGridLinesVisible(true);
    s.setXAxisDecimalPattern("#,###");
    chart.getStyler().setMarkerSize(6);
    return chart;
  }

  private static void style(XYSeries s, String server, BasicStroke line) {
    Color c = COLORS.getOrDefault(server, Color.GRAY);
    s.setLineColor(c);
    s.setMarkerColor(c);
    s.setLineStyle(line);
    s.setMarker(SeriesMarkers.CIRCLE);
  }

  private void save(XYChart chart, String name, String title) throws IOException {
    if (chart.getSeriesMap().isEmpty()) {
      return;
    }
    BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
    written.put(title, name + ".png");
  }
}
