package io.roomcast.loadtests.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * A gateway jar under test and how its nodes are started: the flags that the modes which start
 * their own nodes ({@code churn}, {@code storm}, {@code presence}, {@code joinflood},
 * {@code services}) share. Several jars are measured in one run, one after the other under the
 * same load, so that two builds compare side by side.
 *
 * <pre>
 * --jar A[,B]          the gateway jars (required)
 * --labels X[,Y]       their names in the tables (default: each jar's file name)
 * --cpus LIST          taskset -c LIST for every node (default: every online core, even when the
 *                      harness itself is pinned to fewer: a child inherits its parent's affinity)
 * --node-java-opts S   the nodes' JVM options, space-separated (default "-Xms64m -Xmx512m")
 * --conf FILE          the gateway configuration (--conf of the node; default: none;
 *                      joinflood takes several, comma-separated, and measures each in turn)
 * --cluster-config F   a Hazelcast file to give each cluster its own name and ports in
 *                      (default: the jar's own loopback configuration)
 * --logs DIR           node logs and configurations (default: OUT without .json, plus -nodes)
 * </pre>
 */
record GatewayBuild(String label, NodeCluster.Settings settings) {

  static final String DEFAULT_NODE_JAVA_OPTS = "-Xms64m -Xmx512m";

  /** Reads the shared flags; {@code out} is the results file, next to which the logs go by default. */
  static List<GatewayBuild> fromOptions(Options options, Path out) {
    return fromOptions(options, out, path(options.string("conf", null)));
  }

  /**
   * Reads the shared flags but {@code --conf}, for a mode that reads that one itself (several
   * configurations in turn: {@link #withConf}), and starts the nodes with {@code conf} (or none).
   */
  static List<GatewayBuild> fromOptions(Options options, Path out, Path conf) {
    List<String> jars = options.list("jar", null);
    if (jars.isEmpty()) {
      throw new IllegalArgumentException("--jar is required (a gateway jar, or two separated by a comma to compare)");
    }
    List<String> labels = options.list("labels", null);
    if (!labels.isEmpty() && labels.size() != jars.size()) {
      throw new IllegalArgumentException("--labels needs one label per jar (" + jars.size() + ")");
    }
    String cpus = options.string("cpus", onlineCpus());
    List<String> javaOptions = Arrays.stream(options.string("node-java-opts", DEFAULT_NODE_JAVA_OPTS).trim().split("\\s+"))
      .filter(s -> !s.isEmpty()).toList();
    Path clusterConfig = path(options.string("cluster-config", null));
    String outName = out.getFileName().toString().replaceFirst("\\.json$", "");
    Path logs = Path.of(options.string("logs", out.toAbsolutePath().resolveSibling(outName + "-nodes").toString()));
    List<GatewayBuild> builds = new ArrayList<>();
    for (int i = 0; i < jars.size(); i++) {
      Path jar = Path.of(jars.get(i));
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException("no gateway jar at " + jar);
      }
      String label = labels.isEmpty() ? jar.getFileName().toString().replaceFirst("\\.jar$", "") : labels.get(i);
      if (!label.matches("[A-Za-z0-9._-]{1,64}")) {
        throw new IllegalArgumentException("a label is 1-64 characters of [A-Za-z0-9._-], not '" + label + "'");
      }
      builds.add(new GatewayBuild(label, new NodeCluster.Settings(jar.toAbsolutePath(), clusterConfig, conf, javaOptions,
        cpus, logs.resolve(label))));
    }
    if (new HashSet<>(builds.stream().map(GatewayBuild::label).toList()).size() != builds.size()) {
      throw new IllegalArgumentException("two jars have the same label: give --labels");
    }
    for (Path file : new Path[] {conf, clusterConfig}) {
      if (file != null && !Files.isRegularFile(file)) {
        throw new IllegalArgumentException("no file " + file);
      }
    }
    return builds;
  }

  /** @return the same jar and flags, the nodes started with another gateway configuration (or none) */
  GatewayBuild withConf(Path conf) {
    NodeCluster.Settings s = settings;
    return new GatewayBuild(label, new NodeCluster.Settings(s.jar(), s.clusterConfig(), conf, s.javaOptions(), s.cpus(), s.logs()));
  }

  /** @return the build as the results file records it */
  ObjectNode toJson() {
    ObjectNode json = Results.object();
    json.put("label", label);
    json.put("jar", settings.jar().toString());
    json.put("cpus", settings.cpus() == null ? "not pinned" : settings.cpus());
    json.put("nodeJavaOptions", String.join(" ", settings.javaOptions()));
    return json;
  }

  /** @return the machine's online CPUs as taskset takes them ("0-1"), or null when unknown */
  static String onlineCpus() {
    try {
      return Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
    } catch (IOException e) {
      return null;
    }
  }

  private static Path path(String value) {
    return value == null || value.isBlank() ? null : Path.of(value).toAbsolutePath();
  }
}
