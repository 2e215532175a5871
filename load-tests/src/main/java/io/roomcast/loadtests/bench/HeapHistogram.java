package io.roomcast.loadtests.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM's class histogram of live objects ({@code jcmd PID GC.class_histogram}, which collects
 * first), and what a number of connections added to it: the live heap per connection, class by
 * class.
 */
final class HeapHistogram {

  // "   1:         40960        4208640  [Ljava.lang.Object; (java.base@17.0.15)"
  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

  private final Map<String, long[]> byClass;

  private HeapHistogram(Map<String, long[]> byClass) {
    this.byClass = byClass;
  }

  static HeapHistogram parse(String jcmdOutput) {
    Map<String, long[]> byClass = new HashMap<>();
    for (String line : jcmdOutput.split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        byClass.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
          (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      }
    }
    return new HeapHistogram(byClass);
  }

  boolean isEmpty() {
    return byClass.isEmpty();
  }

  /**
   * Writes the growth from {@code before} to this histogram divided by {@code connections}: the
   * total, and the {@code top} classes by bytes (the rest summed), into {@code out}.
   *
   * @return the live heap bytes per connection
   */
  double perConnectionSince(HeapHistogram before, int connections, int top, ObjectNode out) {
    List<Map.Entry<String, long[]>> growth = new ArrayList<>();
    long total = 0;
    for (Map.Entry<String, long[]> e : byClass.entrySet()) {
      long[] then = before.byClass.getOrDefault(e.getKey(), new long[2]);
      long[] delta = {e.getValue()[0] - then[0], e.getValue()[1] - then[1]};
      total += delta[1];
      growth.add(Map.entry(e.getKey(), delta));
    }
    for (Map.Entry<String, long[]> e : before.byClass.entrySet()) {
      if (!byClass.containsKey(e.getKey())) {
        total -= e.getValue()[1];
      }
    }
    growth.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1]).reversed());
    double perConnection = (double) total / connections;
    out.put("liveHeapBytesPerConnection", Math.round(perConnection));
    ArrayNode rows = out.putArray("liveHeapByClass");
    long shown = 0;
    for (Map.Entry<String, long[]> e : growth.subList(0, Math.min(top, growth.size()))) {
      ObjectNode row = rows.addObject();
      row.put("class", e.getKey());
      row.put("instancesPerConnection", Results.round((double) e.getValue()[0] / connections));
      row.put("bytesPerConnection", Math.round((double) e.getValue()[1] / connections));
      shown += e.getValue()[1];
    }
    out.put("liveHeapOtherBytesPerConnection", Math.round((double) (total - shown) / connections));
    return perConnection;
  }
}
