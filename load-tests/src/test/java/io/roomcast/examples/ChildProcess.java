package io.roomcast.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process of the test's own (a gateway node or an order service from their jars, the Node.js
 * example backend), as the gateway's NodeProcess runs nodes: its standard error goes to a log file
 * under target/process-logs/, its standard output is read for the line that says it serves. Every process still running when the test JVM
 * exits is killed, even when a test could not clean up.
 */
final class ChildProcess implements AutoCloseable {

  static final Path LOGS = Path.of("target", "process-logs");

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "jar-process-reaper"));
  }

  private final String name;
  private final Process process;
  private final Path log;
  private final Pattern readyLine;
  private final CompletableFuture<Matcher> ready = new CompletableFuture<>();
  private final List<String> stdout = new ArrayList<>();

  private ChildProcess(String name, Process process, Path log, Pattern readyLine) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.readyLine = readyLine;
    Thread reader = new Thread(this::readStdout, "stdout-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** @return the jar a system property names (the failsafe configuration sets it), which must exist */
  static Path jar(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new AssertionError("the system property " + property + " names no jar: run the test through failsafe (verify)");
    }
    Path path = Path.of(value);
    if (!Files.isRegularFile(path)) {
      throw new AssertionError("no jar at " + path.toAbsolutePath() + " (" + property + "): build it first (package)");
    }
    return path;
  }

  /**
   * Starts {@code java -jar JAR ARGS...} without waiting for it.
   *
   * @param name a name for messages and the log file
   * @param readyLine the standard output line that says the process serves
   */
  static ChildProcess start(String name, Path jar, Pattern readyLine, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // As the gateway's NodeProcess: short-lived JVMs on two shared cores start faster with C1 alone
    // and one collector thread.
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    return start(name, command, readyLine);
  }

  /** Starts a command (found on the PATH) without waiting for it. */
  static ChildProcess start(String name, List<String> command, Pattern readyLine) {
    try {
      Files.createDirectories(LOGS);
      Path log = Files.createTempFile(LOGS, name + "-", ".log");
      Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
      LIVE.add(process);
      return new ChildProcess(name, process, log, readyLine);
    } catch (IOException e) {
      throw new AssertionError("could not start " + command, e);
    }
  }

  private void readStdout() {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (stdout) {
          stdout.add(line);
        }
        Matcher m = readyLine.matcher(line);
        if (m.find()) {
          ready.complete(m);
        }
      }
    } catch (IOException ignored) {
      // The process is gone.
    }
    ready.completeExceptionally(new AssertionError(name + " ended before it was ready"));
  }

  /** Waits for the ready line; @return its match */
  Matcher awaitReady(Duration timeout) {
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + this, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError(this + " not ready in " + timeout.toSeconds() + " s (" + e + ")\nstdout: " + stdout()
        + "\nlog (tail): " + logTail(), e);
    }
  }

  /** Kills the process at once (SIGKILL, as kill -9) and waits for it to be gone. */
  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new AssertionError(this + " still runs 10 s after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      if (!process.isAlive()) {
        LIVE.remove(process);
      }
    }
  }

  /** Waits for the process to end by itself; @return its exit code */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(this + " still runs after " + timeout.toSeconds() + " s\nstdout: " + stdout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    LIVE.remove(process);
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  List<String> stdout() {
    synchronized (stdout) {
      return new ArrayList<>(stdout);
    }
  }

  /** @return the last few thousand characters of the process's standard error */
  String logTail() {
    try {
      String text = Files.readString(log);
      return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + log + ")";
  }
}
