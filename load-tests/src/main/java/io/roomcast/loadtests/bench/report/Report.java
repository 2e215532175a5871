package io.roomcast.loadtests.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.loadtests.bench.Options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a run's table, its runs and its plots into a Markdown file, between the markers
 * {@code <!-- bench:begin -->} and {@code <!-- bench:end -->} (the prose around them is kept), and
 * the PNGs into {@code DOCS/bench/}.
 */
public final class Report {

  static final String BEGIN = "<!-- bench:begin -->";
  static final String END = "<!-- bench:end -->";

  private Report() {
  }

  public static void main(Options options) throws IOException {
    Path results = Path.of(options.required("results"));
    Path docs = Path.of(options.string("docs", "docs"));
    Path markdown = Path.of(options.string("markdown", docs.resolve("BENCHMARKS.md").toString()));
    options.checkAllRead();
    RunSet runs = new RunSet(results);
    Path plotDir = docs.resolve("bench");
    Map<String, String> plots = new Plots(runs, plotDir).drawAll();
    StringBuilder sb = new StringBuilder();
    sb.append(BEGIN).append('\n');
    sb.append("<!-- Written by `java -jar roomcast-bench.jar report` from ").append(results.getFileName())
      .append("; edit the prose outside the markers only. -->\n\n");
    sb.append(new Table(runs).render()).append('\n');
    sb.append(runsTable(runs)).append('\n');
    Path relative = markdown.toAbsolutePath().getParent().relativize(plotDir.toAbsolutePath());
    plots.forEach((title, file) -> sb.append("![").append(title).append("](").append(relative.resolve(file).toString().replace('\\', '/'))
      .append(")\n\n"));
    sb.append(END).append('\n');
    write(markdown, sb.toString());
    System.out.println("report: wrote " + markdown + " and " + plots.size() + " plot(s) in " + plotDir);
  }

  private static String runsTable(RunSet runs) {
    StringBuilder sb = new StringBuilder();
    JsonNode any = runs.all().isEmpty() ? null : runs.all().get(0);
    if (any != null) {
      JsonNode m = any.path("machine");
      sb.append("Machine: ").append(m.path("cpu").asText()).append(", ").append(m.path("kernel").asText())
        .append(", generator on ").append(m.path("java").asText()).append(", open files ").append(m.path("generatorOpenFilesLimit").asText())
        .append(".\n\n");
    }
    sb.append("| run | started (UTC) | load before → after | generator CPU, highest step | server CPU, highest step |\n");
    sb.append("|---|---|---|---:|---:|\n");
    for (JsonNode r : runs.all()) {
      double gen = 0;
      double server = 0;
      for (JsonNode st : r.path("steps")) {
        gen = Math.max(gen, st.path("generatorCpu").asDouble());
        server = Math.max(server, st.path("serverCpu").asDouble());
      }
      String name = r.path("serverLabel").asText() + " " + r.path("mode").asText()
        + (r.path("mode").asText().equals("fanout") || r.path("mode").asText().equals("crossnode") ? " (rooms of " + RunSet.members(r) + ")" : "");
      sb.append("| ").append(name).append(" | ").append(r.path("started").asText().replace('T', ' ').replaceAll("\\.\\d+Z$", ""))
        .append(" | ").append(r.path("loadBefore").asText()).append(" → ").append(r.path("loadAfter").asText())
        .append(" | ").append(r.path("steps").size() == 0 ? "–" : String.format("%.2f", gen))
        .append(" | ").append(r.path("steps").size() == 0 ? "–" : String.format("%.2f", server)).append(" |\n");
    }
    return sb.toString();
  }

  private static void write(Path markdown, String section) throws IOException {
    String text = Files.exists(markdown) ? Files.readString(markdown, StandardCharsets.UTF_8) : "";
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    String updated;
    if (begin >= 0 && end > begin) {
      updated = text.substring(0, begin) + section + text.substring(end + END.length() + (text.startsWith("\n", end + END.length()) ? 1 : 0));
    } else {
      updated = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + section;
    }
    if (markdown.toAbsolutePath().getParent() != null) {
      Files.createDirectories(markdown.toAbsolutePath().getParent());
    }
    Files.writeString(markdown, updated, StandardCharsets.UTF_8);
  }
}
