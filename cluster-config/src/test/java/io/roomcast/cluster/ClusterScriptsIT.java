package io.roomcast.cluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/start-cluster.sh} and {@code bin/stop-cluster.sh} with {@link StubNode} in place of the gateway jar:
 * the same flags and ready line, a real clustered Vert.x behind them.
 *
 * <p>The nodes get a copy of the loopback configuration under a random cluster name through
 * {@code -Droomcast.cluster.config}, so that a cluster someone else runs on this machine is never joined.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
@Timeout(300)
class ClusterScriptsIT {

  private static final Pattern NODE_LINE =
      Pattern.compile("^node (\\d+): pid (\\d+), ws=(\\d+) management=(\\d+) node=(\\S+), log .*$", Pattern.MULTILINE);

  private static Path bin;
  private static Path work;
  private static Path stubJar;
  private static Path clusterXml;

  @BeforeAll
  static void buildStub() throws IOException {
    bin = Path.of(System.getProperty("roomcast.bin", "bin")).toAbsolutePath();
    work = Path.of(System.getProperty("roomcast.target", "target"), "cluster-scripts-it").toAbsolutePath();
    Files.createDirectories(work);
    stubJar = stubJar(work.resolve("stub-node.jar"));
    String loopback;
    try (InputStream in = ClusterConfigs.class.getClassLoader().getResourceAsStream("roomcast/cluster/loopback.xml")) {
      loopback = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    clusterXml = Files.writeString(work.resolve("cluster.xml"), loopback.replace(
        "<cluster-name>roomcast</cluster-name>", "<cluster-name>" + Members.randomClusterName() + "</cluster-name>"));
  }

  @AfterAll
  static void stopLeftovers() throws Exception {
    if (work != null) {
      run(Map.of("ROOMCAST_RUN_DIR", work.resolve("run").toString(), "ROOMCAST_STOP_TIMEOUT", "5"),
          bin.resolve("stop-cluster.sh").toString(), "--force");
    }
  }

  @Test
  void startsThreeNodesAsOneClusterAndStopsThemWithSigterm() throws Exception {
    int base = freeBase(3);
    Map<String, String> env = env("run");
    long start = System.nanoTime();
    Result started = run(env, bin.resolve("start-cluster.sh").toString(), "3", Integer.toString(base));
    System.out.printf("start-cluster.sh 3: %d ms%n%s", (System.nanoTime() - start) / 1_000_000, started.output);
    assertEquals(0, started.status, started.output);

    Matcher m = NODE_LINE.matcher(started.output);
    List<Long> pids = new ArrayList<>();
    List<Integer> managementPorts = new ArrayList<>();
    while (m.find()) {
      int i = Integer.parseInt(m.group(1));
      assertEquals(base + i - 1, Integer.parseInt(m.group(3)), "ws port of node " + i);
      assertEquals(base + 1000 + i - 1, Integer.parseInt(m.group(4)), "management port of node " + i);
      pids.add(Long.parseLong(m.group(2)));
      managementPorts.add(Integer.parseInt(m.group(4)));
    }
    assertEquals(3, pids.size(), started.output);
    for (int i = 1; i <= 3; i++) {
      assertTrue(Files.exists(work.resolve("run").resolve("node-" + i + ".pid")), "pid file of node " + i);
      assertTrue(Files.readString(work.resolve("run").resolve("node-" + i + ".log")).contains("roomcast ready "));
    }

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (int port : managementPorts) {
      Deadline.await(Duration.ofSeconds(20), () -> nodeCount(http, port) == 3,
          () -> "node on management port " + port + " sees " + nodeCount(http, port) + " nodes");
    }

    Result again = run(env, bin.resolve("start-cluster.sh").toString(), "3", Integer.toString(base));
    assertEquals(1, again.status, again.output);
    assertTrue(again.output.contains("still runs"), again.output);

    Result stopped = run(env, bin.resolve("stop-cluster.sh").toString());
    System.out.print(stopped.output);
    assertEquals(0, stopped.status, stopped.output);
    for (long pid : pids) {
      // The nodes were children of the script, now of whichever process adopts orphans; it reaps them in its time.
      Deadline.await(Duration.ofSeconds(10), () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          () -> "pid " + pid + " still alive");
    }
    for (int i = 1; i <= 3; i++) {
      assertFalse(Files.exists(work.resolve("run").resolve("node-" + i + ".pid")), "pid file of node " + i);
      assertTrue(Files.readString(work.resolve("run").resolve("node-" + i + ".log")).contains("stub node: stopped"),
          "node " + i + " ran its SIGTERM hook");
    }
    Result nothing = run(env, bin.resolve("stop-cluster.sh").toString());
    assertEquals(0, nothing.status, nothing.output);
    assertTrue(nothing.output.contains("nothing to stop"), nothing.output);
  }

  @Test
  void aNodeThatFailsBeforeItIsReadyIsReportedWithItsLogAndTheOthersAreStopped() throws Exception {
    int base = freeBase(2);
    Result result = run(env("failing"), bin.resolve("start-cluster.sh").toString(), "2", Integer.toString(base),
        "--", "--unknown-flag");
    assertEquals(1, result.status, result.output);
    assertTrue(result.output.contains("node 1 (pid "), result.output);
    assertTrue(result.output.contains("exited before it was ready"), result.output);
    assertTrue(result.output.contains("unknown flag --unknown-flag"), "the log's tail is shown: " + result.output);
  }

  @Test
  void badArgumentsAndAMissingJarAreRefusedWithAClearMessage() throws Exception {
    Result noArgs = run(env("args"), bin.resolve("start-cluster.sh").toString());
    assertEquals(2, noArgs.status, noArgs.output);
    assertTrue(noArgs.output.contains("usage:"), noArgs.output);

    Result tooMany = run(env("args"), bin.resolve("start-cluster.sh").toString(), "21");
    assertEquals(1, tooMany.status, tooMany.output);
    assertTrue(tooMany.output.contains("between 1 and 20"), tooMany.output);

    Map<String, String> noJar = new HashMap<>(env("args"));
    noJar.put("ROOMCAST_JAR", work.resolve("absent.jar").toString());
    Result missing = run(noJar, bin.resolve("start-cluster.sh").toString(), "1", Integer.toString(freeBase(1)));
    assertEquals(1, missing.status, missing.output);
    assertTrue(missing.output.contains("no node jar at " + work.resolve("absent.jar")), missing.output);
  }

  private static Map<String, String> env(String runDir) {
    Map<String, String> env = new HashMap<>();
    env.put("ROOMCAST_JAR", stubJar.toString());
    env.put("ROOMCAST_RUN_DIR", work.resolve(runDir).toString());
    env.put("ROOMCAST_READY_TIMEOUT", "90");
    env.put("ROOMCAST_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1 -Droomcast.cluster.config=" + clusterXml
        + " -Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    return env;
  }

  private static int nodeCount(HttpClient http, int managementPort) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + managementPort + "/admin/nodes")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new io.vertx.core.json.JsonArray(response.body()).size();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** A base port whose {@code count} WebSocket ports and {@code count} management ports (base+1000...) are free. */
  private static int freeBase(int count) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      boolean free = true;
      for (int i = 0; i < count && free; i++) {
        free = isFree(base + i) && isFree(base + 1000 + i);
      }
      if (free) {
        return base;
      }
    }
    throw new AssertionError("no free port range found");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A jar whose manifest runs {@link StubNode} on this test's class path, so that {@code java -jar} works. */
  private static Path stubJar(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, StubNode.class.getName());
    String classPath = List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)).stream()
        .map(entry -> Path.of(entry).toAbsolutePath().toUri().toString())
        .collect(Collectors.joining(" "));
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
      // The manifest is the whole jar.
    }
    return jar;
  }

  private record Result(int status, String output) {
  }

  private static Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
    List<String> bash = new ArrayList<>();
    bash.add("bash");
    bash.addAll(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(bash).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("script did not finish: " + String.join(" ", command) + "\n" + output);
    }
    return new Result(process.exitValue(), output);
  }
}
