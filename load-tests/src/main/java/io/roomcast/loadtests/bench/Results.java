package io.roomcast.loadtests.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** The raw results of a run: JSON files, one per mode and server, and the helpers that fill them. */
public final class Results {

  public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Results() {
  }

  /** @return an empty object */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** @return the head of a result: mode, server, flags, when, machine, load */
  public static ObjectNode head(String mode, Target target, Options options) {
    ObjectNode head = head(mode, target.kind(), options);
    head.put("nodes", target.urls().size());
    return head;
  }

  /** @return the head of a result whose nodes the mode starts itself: without a node count */
  public static ObjectNode head(String mode, ServerKind kind, Options options) {
    ObjectNode head = object();
    head.put("mode", mode);
    head.put("server", kind.id());
    head.put("serverLabel", kind.label());
    head.put("started", Instant.now().toString());
    head.put("loadBefore", ProcStats.loadAverage());
    ObjectNode flags = head.putObject("flags");
    options.given().forEach(flags::put);
    ObjectNode machine = head.putObject("machine");
    machine.put("cpu", cpuModel());
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("kernel", System.getProperty("os.version"));
    machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    machine.put("generatorPid", ProcStats.self());
    machine.put("generatorTransport", io.roomcast.loadtests.bench.client.LoadClient.transport());
    machine.put("generatorOpenFilesLimit", openFilesLimit());
    return head;
  }

  /** Writes a result, with the load average at its end. */
  public static void write(Path file, ObjectNode result) throws IOException {
    result.put("loadAfter", ProcStats.loadAverage());
    result.put("finished", Instant.now().toString());
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, JSON.writeValueAsString(result) + "\n", StandardCharsets.UTF_8);
  }

  /** @return count and percentiles (ms) of a histogram of microseconds */
  public static ObjectNode latency(Histogram micros) {
    ObjectNode l = object();
    l.put("count", micros.getTotalCount());
    l.put("p50", ms(micros.getValueAtPercentile(50)));
    l.put("p90", ms(micros.getValueAtPercentile(90)));
    l.put("p99", ms(micros.getValueAtPercentile(99)));
    l.put("p999", ms(micros.getValueAtPercentile(99.9)));
    l.put("max", ms(micros.getMaxValue()));
    return l;
  }

  /** @return a value rounded to 3 decimals */
  public static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  private static double ms(long micros) {
    return round(micros / 1000.0);
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // Not Linux, or no /proc: the model is simply unknown.
    }
    return "unknown";
  }

  private static String openFilesLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String[] f = line.substring("Max open files".length()).trim().split("\\s+");
          return f[0] + "/" + f[1];
        }
      }
    } catch (IOException e) {
      // Unknown off Linux.
    }
    return "?";
  }
}
