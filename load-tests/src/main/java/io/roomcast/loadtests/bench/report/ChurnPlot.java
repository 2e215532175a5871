package io.roomcast.loadtests.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.loadtests.bench.Options;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plot of the churn mode: CPU per fresh-room join, summed over the cluster, against the number
 * of nodes, one line per build and per result file given ({@code --in A.json,B.json --labels a,b
 * --out plot.png}).
 */
public final class ChurnPlot {

  private ChurnPlot() {
  }

  public static void main(Options options) throws IOException {
    List<String> inputs = options.list("in", null);
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("--in FILE[,FILE] is required: churn results");
    }
    List<String> labels = options.list("labels", null);
    if (!labels.isEmpty() && labels.size() != inputs.size()) {
      throw new IllegalArgumentException("--labels needs one label per --in file");
    }
    Path out = Path.of(options.required("out"));
    options.checkAllRead();
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(1000).height(520)
      .title("Fresh-room joins: CPU per join summed over every node").xAxisTitle("nodes").yAxisTitle("CPU per join (ms, log scale)").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setXAxisDecimalPattern("#");
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < inputs.size(); i++) {
      JsonNode result = json.readTree(Files.readString(Path.of(inputs.get(i))));
      Map<String, List<double[]>> byBuild = new LinkedHashMap<>();
      for (JsonNode row : result.path("rows")) {
        JsonNode measured = row.path("measured");
        if (measured.path("cpuPerJoinMs").isNumber()) {
          byBuild.computeIfAbsent(row.path("build").asText(), b -> new ArrayList<>())
            .add(new double[] {row.path("nodes").asDouble(), measured.path("cpuPerJoinMs").asDouble()});
        }
      }
      String suffix = labels.isEmpty() ? "" : " (" + labels.get(i) + ")";
      byBuild.forEach((build, points) -> {
        XYSeries s = chart.addSeries(build + suffix, points.stream().map(p -> p[0]).toList(), points.stream().map(p -> p[1]).toList());
        s.setMarker(SeriesMarkers.CIRCLE);
      });
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    String name = out.toString().endsWith(".png") ? out.toString().substring(0, out.toString().length() - 4) : out.toString();
    BitmapEncoder.saveBitmap(chart, name, BitmapEncoder.BitmapFormat.PNG);
    System.out.println("churn-plot: wrote " + name + ".png");
  }
}
