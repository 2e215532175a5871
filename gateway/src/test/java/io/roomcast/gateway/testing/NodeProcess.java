package io.roomcast.gateway.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway node run from the built jar in its own process, for tests of the node itself:
 * flags, configuration, signals, crashes. Its standard error goes to a file under target/.
 */
public final class NodeProcess implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("roomcast ready ws=(\\d+) management=(\\d+) node=(\\S+)");

  private final Process process;
  private final Path log;
  private final CompletableFuture<Matcher> ready = new CompletableFuture<>();
  private final List<String> stdout = new ArrayList<>();

  private NodeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    Thread reader = new Thread(this::readStdout, "node-stdout-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** @return the jar under test, built by the package phase */
  public static Path jar() {
    String jar = System.getProperty("roomcast.jar");
    Path path = jar != null ? Path.of(jar) : Path.of("target", "roomcast-gateway.jar");
    if (!Files.isRegularFile(path)) {
      throw new AssertionError("no jar at " + path.toAbsolutePath() + ": run the package phase first");
    }
    return path;
  }

  /** Starts a node with these arguments and environment additions, without waiting. */
  public static NodeProcess launch(List<String> args, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    // Test nodes live for seconds on a machine of two cores shared with the suite: C1 alone and one
    // collector thread start them faster and leave the cores to the tests.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(args);
    try {
      Path logs = Files.createDirectories(Path.of("target", "node-logs"));
      Path log = Files.createTempFile(logs, "node-", ".log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
      builder.environment().putAll(env);
      return new NodeProcess(builder.start(), log);
    } catch (IOException e) {
      throw new AssertionError("could not start " + command, e);
    }
  }

  /** Starts a node on free ports and waits for its ready line. */
  public static NodeProcess start(String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("--port", "0", "--management-port", "0", "--host", "127.0.0.1"));
    args.addAll(List.of(extraArgs));
    NodeProcess node = launch(args, Map.of());
    node.awaitReady(Duration.ofSeconds(60));
    return node;
  }

  private void readStdout() {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (stdout) {
          stdout.add(line);
        }
        Matcher m = READY.matcher(line);
        if (m.find()) {
          ready.complete(m);
        }
      }
    } catch (IOException ignored) {
      // The process is gone.
    }
    ready.completeExceptionally(new AssertionError("the node exited before it was ready; its log: " + logText()));
  }

  /** Waits for the ready line. */
  public NodeProcess awaitReady(Duration timeout) {
    try {
      ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return this;
    } catch (Exception e) {
      throw new AssertionError("node not ready in " + timeout + ": " + e.getMessage() + "\nlog: " + logText(), e);
    }
  }

  private Matcher readyLine() {
    return ready.join();
  }

  public int port() {
    return Integer.parseInt(readyLine().group(1));
  }

  public int managementPort() {
    return Integer.parseInt(readyLine().group(2));
  }

  public String nodeId() {
    return readyLine().group(3);
  }

  public long pid() {
    return process.pid();
  }

  /** @return the exit code, waiting for the process to end */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("node " + pid() + " did not exit in " + timeout + "; log: " + logText());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Sends a signal: TERM, KILL, STOP, CONT. */
  public void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + name + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** @return what the node printed on standard output so far */
  public List<String> stdout() {
    synchronized (stdout) {
      return new ArrayList<>(stdout);
    }
  }

  /** @return what the node logged on standard error so far */
  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "node " + pid() + " (" + log + ")";
  }

  /** @return the path of the node's log file */
  public File logFile() {
    return log.toFile();
  }
}
