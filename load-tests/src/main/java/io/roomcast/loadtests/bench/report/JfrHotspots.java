package io.roomcast.loadtests.bench.report;

import io.roomcast.loadtests.bench.Options;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a JFR recording of the server and prints, as Markdown: the methods where CPU samples
 * land (self), the methods most often on the stack (total), and the allocation sites by sampled
 * weight. {@code jfr print} gives the raw events; this is the summary the findings quote.
 */
public final class JfrHotspots {

  private JfrHotspots() {
  }

  public static void main(Options options) throws IOException {
    Path file = Path.of(options.required("file"));
    int top = options.integer("top", 25);
    String out = options.string("out", null);
    String focus = options.string("focus", "io.roomcast.gateway.impl.RoomMembers.deliver");
    options.checkAllRead();
    String text = summarize(file, top, focus);
    if (out != null) {
      Files.writeString(Path.of(out), text, StandardCharsets.UTF_8);
    }
    System.out.print(text);
  }

  static String summarize(Path file, int top, String focus) throws IOException {
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> total = new HashMap<>();
    Map<String, Long> underFocus = new HashMap<>();
    Map<String, Long> nativeTop = new HashMap<>();
    long focused = 0;
    long nativeSamples = 0;
    Map<String, Long> allocations = new HashMap<>();
    Map<String, Long> allocatedTypes = new HashMap<>();
    long samples = 0;
    long allocated = 0;
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent e = recording.readEvent();
        String type = e.getEventType().getName();
        RecordedStackTrace stack = e.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        List<RecordedFrame> frames = stack.getFrames();
        if (type.equals("jdk.ExecutionSample")) {
          samples++;
          self.merge(name(frames.get(0)), 1L, Long::sum);
          Set<String> seen = new HashSet<>();
          for (RecordedFrame f : frames) {
            String n = name(f);
            if (seen.add(n)) {
              total.merge(n, 1L, Long::sum);
            }
          }
          int at = indexOf(frames, focus);
          if (at >= 0) {
            focused++;
            Set<String> callees = new HashSet<>();
            for (int i = 0; i < at; i++) {
              String n = name(frames.get(i));
              if (callees.add(n)) {
                underFocus.merge(n, 1L, Long::sum);
              }
            }
          }
        } else if (type.equals("jdk.NativeMethodSample")) {
          nativeSamples++;
          nativeTop.merge(name(frames.get(0)), 1L, Long::sum);
        } else if (type.equals("jdk.ObjectAllocationSample")) {
          long weight = e.getLong("weight");
          allocated += weight;
          String cls = e.getClass("objectClass").getName();
          allocatedTypes.merge(cls, weight, Long::sum);
          allocations.merge(cls + " at " + site(frames), weight, Long::sum);
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("CPU samples: ").append(samples).append("\n\n");
    table(sb, "Hottest methods (self, share of CPU samples)", self, samples, top);
    table(sb, "Methods most often on the stack (total)", total, samples, top);
    sb.append("Under `").append(focus).append("`: ").append(focused).append(" CPU samples (")
      .append(String.format("%.1f", 100.0 * focused / Math.max(1, samples))).append("% of all)\n\n");
    table(sb, "What the focus frame's samples are spent in (share of its samples)", underFocus, focused, top);
    sb.append("Threads in native code: ").append(nativeSamples).append(" samples\n\n");
    table(sb, "Native methods (share of native samples)", nativeTop, nativeSamples, 10);
    sb.append("Sampled allocation: ").append(allocated / 1048576).append(" MiB\n\n");
    table(sb, "Allocated types (share of sampled bytes)", allocatedTypes, allocated, top);
    table(sb, "Allocation sites (type at the first frames outside java.*)", allocations, allocated, top);
    return sb.toString();
  }

  private static void table(StringBuilder sb, String title, Map<String, Long> counts, long all, int top) {
    sb.append("| ").append(title).append(" | % |\n|---|---:|\n");
    List<Map.Entry<String, Long>> sorted = counts.entrySet().stream()
      .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
      .limit(top)
      .collect(Collectors.toList());
    for (Map.Entry<String, Long> entry : sorted) {
      sb.append("| `").append(entry.getKey()).append("` | ")
        .append(String.format("%.1f", 100.0 * entry.getValue() / Math.max(1, all))).append(" |\n");
    }
    sb.append('\n');
  }

  private static int indexOf(List<RecordedFrame> frames, String method) {
    for (int i = 0; i < frames.size(); i++) {
      if (name(frames.get(i)).equals(method)) {
        return i;
      }
    }
    return -1;
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  /** The allocating frame and, when it is in the JDK or Netty's buffers, the first two callers beyond. */
  private static String site(List<RecordedFrame> frames) {
    StringBuilder sb = new StringBuilder();
    int shown = 0;
    for (RecordedFrame f : frames) {
      String n = name(f);
      if (shown == 0 || !(n.startsWith("java.") || n.startsWith("jdk.") || n.startsWith("sun."))) {
        if (sb.length() > 0) {
          sb.append(" < ");
        }
        sb.append(shortName(n));
        shown++;
      }
      if (shown == 3) {
        break;
      }
    }
    return sb.toString();
  }

  private static String shortName(String n) {
    int dot = n.lastIndexOf('.', n.lastIndexOf('.') - 1);
    return dot < 0 ? n : n.substring(dot + 1);
  }
}
