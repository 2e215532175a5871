package io.roomcast.gateway.conformance;

import io.roomcast.gateway.testing.NodeProcess;
import io.vertx.core.json.JsonObject;
import me.normanmaurer.maven.autobahntestsuite.AutobahnTestSuite;
import org.junit.jupiter.api.Test;
import org.python.util.PythonInterpreter;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * RFC 6455 conformance: the Autobahn|Testsuite fuzzing client (wstest 0.5.6 on Jython, as the
 * Autobahn Maven plugin ships it, run in this JVM without Python or a network) against the echo
 * endpoint of the built node, which serves it with the gateway's real server options.
 *
 * <p>The sections and the node's configuration come from the system properties
 * {@code autobahn.cases} (comma-separated case patterns) and {@code autobahn.conf} (a test
 * resource holding the node's {@code --conf} file); the POM sets sections 1–7 and 10 on the
 * default limits, and its {@code autobahn-full} profile every section with the limits raised. Every case
 * must end OK, NON-STRICT or INFORMATIONAL; a case reported UNIMPLEMENTED passes only in the
 * compression sections 12–13, since the gateway declines permessage-deflate on purpose.
 *
 * <p>The plugin's own mojo is not used: its latest release dials the address the machine's host
 * name resolves to, which need not be loopback, and counts UNIMPLEMENTED as a failure.
 */
class AutobahnIT {

  private static final String AGENT = "roomcast";
  /** Where the plugin's runner writes its reports, relative to the working directory (the module). */
  private static final Path REPORTS = Path.of("target", "autobahntestsuite-reports");
  private static final Set<String> PASSING = Set.of("OK", "NON-STRICT", "INFORMATIONAL");
  private static final Set<String> COMPRESSION_SECTIONS = Set.of("12", "13");

  @Test
  void everySelectedCasePasses() throws Exception {
    List<String> cases = Arrays.stream(System.getProperty("autobahn.cases", "1.*,2.*,3.*,4.*,5.*,6.*,7.*,10.*").split(","))
      .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toList());
    Path conf = resource(System.getProperty("autobahn.conf", "autobahn/echo.json"));
    deleteRecursively(REPORTS);
    Files.createDirectories(REPORTS);

    long started = System.nanoTime();
    try (NodeProcess node = NodeProcess.start("--conf", conf.toString())) {
      String url = "ws://127.0.0.1:" + node.port();
      // wstest prints a line per case; it goes to a file, not the build log.
      assertTimeoutPreemptively(Duration.ofMinutes(30), () -> runQuietly(url, cases));
      assertTrue(node.isAlive(), "the node died during the run; its log: " + node.logText());
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    Map<String, JsonObject> results = results();
    String summary = summary(cases, results, conf, took);
    Files.writeString(REPORTS.resolve("summary.md"), summary);
    System.out.println(summary);

    List<String> failures = new ArrayList<>();
    results.forEach((id, r) -> {
      String behavior = r.getString("behavior");
      boolean passed = PASSING.contains(behavior)
        || ("UNIMPLEMENTED".equals(behavior) && COMPRESSION_SECTIONS.contains(section(id)));
      if (!passed) {
        failures.add(describe(id, r));
      }
    });
    assertFalse(results.isEmpty(), "no case ran for " + cases);
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + results.size() + " Autobahn cases failed (reports in " + REPORTS.toAbsolutePath()
        + "):\n" + String.join("\n", failures));
    }
  }

  private static void runQuietly(String url, List<String> cases) throws IOException {
    PrintStream out = System.out;
    try (PrintStream log = new PrintStream(new FileOutputStream(REPORTS.resolve("wstest.log").toFile()), true, StandardCharsets.UTF_8)) {
      System.setOut(log);
      // This JVM has loaded classes of Java packages named io.*, which Jython imports as Python
      // modules: the first "from io import BytesIO" (in Twisted) would find the Java package
      // instead of Python's io module. Importing Python's io first settles the name.
      try (PythonInterpreter python = new PythonInterpreter()) {
        python.exec("import io");
      }
      AutobahnTestSuite.runFuzzingClient(AGENT, url, Map.of("version", 18), cases, List.of());
    } finally {
      System.setOut(out);
    }
  }

  /** @return the results of index.json by case id, in case order */
  private static Map<String, JsonObject> results() throws IOException {
    JsonObject index = new JsonObject(Files.readString(REPORTS.resolve("index.json")));
    JsonObject agent = index.getJsonObject(AGENT);
    if (agent == null) {
      throw new AssertionError("no results for " + AGENT + " in index.json");
    }
    Map<String, JsonObject> results = new TreeMap<>(AutobahnIT::compareCaseIds);
    agent.forEach(e -> results.put(e.getKey(), (JsonObject) e.getValue()));
    return results;
  }

  private static String summary(List<String> patterns, Map<String, JsonObject> results, Path conf, Duration took) {
    Map<String, Map<String, Integer>> bySection = new TreeMap<>(AutobahnIT::compareCaseIds);
    for (String pattern : patterns) {
      bySection.put(pattern.replace(".*", "").replace("*", "all"), new TreeMap<>());
    }
    results.forEach((id, r) -> bySection.computeIfAbsent(section(id), s -> new TreeMap<>()).merge(r.getString("behavior"), 1, Integer::sum));
    StringBuilder s = new StringBuilder();
    s.append("Autobahn|Testsuite fuzzing client, cases ").append(String.join(",", patterns))
      .append(", node configuration ").append(conf.getFileName())
      .append(", ").append(results.size()).append(" cases in ").append(took.toSeconds()).append(" s\n\n")
      .append("| section | cases | outcome |\n|---|---|---|\n");
    bySection.forEach((section, counts) -> {
      int total = counts.values().stream().mapToInt(Integer::intValue).sum();
      String outcome = total == 0 ? "no such cases in this version of the suite"
        : counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
      s.append("| ").append(section).append(" | ").append(total).append(" | ").append(outcome).append(" |\n");
    });
    return s.toString();
  }

  private static String describe(String id, JsonObject r) {
    String line = "  " + id + ": " + r.getString("behavior") + " (close: " + r.getString("behaviorClose")
      + ", remote close code " + r.getValue("remoteCloseCode") + ")";
    try {
      JsonObject report = new JsonObject(Files.readString(REPORTS.resolve(r.getString("reportfile"))));
      return line + "\n    " + report.getString("description") + "\n    expected: " + report.getValue("expected")
        + "\n    result: " + report.getString("result");
    } catch (IOException | RuntimeException e) {
      return line;
    }
  }

  private static String section(String caseId) {
    return caseId.substring(0, caseId.indexOf('.'));
  }

  /** Orders "9.2.1" before "10.1.1" and "7.7.2" before "7.13.1". */
  private static int compareCaseIds(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = x[i].matches("\\d+") && y[i].matches("\\d+") ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i])) : x[i].compareTo(y[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  private static Path resource(String name) throws URISyntaxException {
    URL url = AutobahnIT.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new AssertionError("no test resource " + name);
    }
    return Path.of(url.toURI());
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    }
  }
}
