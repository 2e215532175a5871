package io.roomcast.loadtests.simulations;

import io.gatling.http.action.ws.WsInboundMessage;
import io.gatling.javaapi.core.Session;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end delivery latency, which Gatling's own WebSocket timing does not see (it times a
 * sender's request and its reply): each published payload carries its send time ({@code "t"},
 * epoch ms) and the sending node ({@code "n"}), and each receiver records arrival time minus send
 * time for every delivery Gatling buffered for it. Kept per kind of delivery (local or
 * cross-node), printed at the end of the run and written next to Gatling's report.
 */
final class DeliveryLatency {

  private static final Pattern SENT = Pattern.compile("\"t\":(\\d+)");
  private static final Pattern NODE = Pattern.compile("\"n\":(\\d+)");
  private static final Map<String, Histogram> HISTOGRAMS = new TreeMap<>();

  private DeliveryLatency() {
  }

  /** Forgets the previous run (simulations may run one after another in one JVM). */
  static synchronized void reset() {
    HISTOGRAMS.clear();
  }

  /**
   * Records the deliveries among {@code messages} (frames of {@code event}) and adds their number
   * to the session's {@code received}.
   */
  static Session record(List<WsInboundMessage> messages, Session session, String event) {
    String marker = "\"event\":\"" + event + "\"";
    int node = session.contains("node") ? session.getInt("node") : 0;
    int received = 0;
    for (WsInboundMessage m : messages) {
      if (!(m instanceof WsInboundMessage.Text)) {
        continue;
      }
      String text = ((WsInboundMessage.Text) m).message();
      if (!text.contains(marker)) {
        continue;
      }
      received++;
      Matcher sent = SENT.matcher(text);
      if (sent.find()) {
        Matcher from = NODE.matcher(text);
        boolean remote = from.find() && Integer.parseInt(from.group(1)) != node;
        add(remote ? "cross-node" : "same node", Math.max(0, m.timestamp() - Long.parseLong(sent.group(1))));
      }
    }
    return session.set("received", session.getInt("received") + received);
  }

  private static synchronized void add(String kind, long millis) {
    HISTOGRAMS.computeIfAbsent(kind, k -> new Histogram(3)).recordValue(millis);
  }

  /** Prints the percentiles and writes them to {@code target/gatling/<simulation>-delivery-latency.txt}. */
  static synchronized void report(String simulation) {
    StringBuilder sb = new StringBuilder();
    sb.append(simulation).append(": end-to-end delivery latency (ms, payload timestamp to arrival)\n");
    HISTOGRAMS.forEach((kind, h) -> sb.append(String.format("  %-10s count %8d  p50 %6d  p99 %6d  p99.9 %6d  max %6d%n", kind,
      h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue())));
    if (HISTOGRAMS.isEmpty()) {
      sb.append("  no deliveries recorded\n");
    }
    System.out.print(sb);
    try {
      Path dir = Path.of(System.getProperty("latencyDir", "target/gatling"));
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(simulation + "-delivery-latency.txt"), sb.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("could not write the latency file: " + e.getMessage());
    }
  }
}
