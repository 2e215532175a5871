package io.roomcast.loadtests.smoke;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway node started from the built jar, as the benchmarks start it: bound to 127.0.0.1 on
 * free ports, on the benchmark configuration, its output in a log file.
 */
final class NodeProcess implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("roomcast ready ws=(\\d+) management=(\\d+) node=(\\S+)");

  private final Process process;
  private final Path log;
  private int port = -1;

  private NodeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts a node; {@link #awaitReady} waits for it.
   *
   * @param clusterConfig a Hazelcast file to cluster with, or {@code null} to run alone
   */
  static NodeProcess start(String name, Path dir, Path clusterConfig) throws IOException {
    Path jar = Path.of(System.getProperty("roomcast.jar", "../gateway/target/roomcast-gateway.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no node jar at " + jar + ": build the gateway module first (./mvnw -B verify builds both)");
    }
    Files.createDirectories(dir);
    Path log = dir.resolve(name + ".log");
    List<String> command = new ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString(),
      "--host", "127.0.0.1", "--port", "0", "--management-port", "0",
      "--conf", Path.of("conf", "bench-gateway.json").toAbsolutePath().toString()));
    if (clusterConfig != null) {
      command.addAll(List.of("--cluster", "--cluster-config", clusterConfig.toString()));
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new NodeProcess(p, log);
  }

  /** Waits for the ready line. */
  NodeProcess awaitReady(long timeoutMs) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      Matcher m = READY.matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
        return this;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the node exited (" + process.exitValue() + "); its log: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the node was not ready in " + timeoutMs + " ms; its log: " + Files.readString(log));
  }

  String url() {
    return "ws://127.0.0.1:" + port + "/ws";
  }

  long pid() {
    return process.pid();
  }

  /** SIGTERM (the node drains), then SIGKILL if it has not exited in 15 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
