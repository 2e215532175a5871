package io.roomcast.gateway.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Once the node serves, its JIT compiler threads yield the CPU to everything else. What the
 * warm-up did not reach is compiled while clients are served, and a C2 compilation can take a
 * few hundred ms of CPU: at the same priority as the event loops it takes half of a busy core for
 * that long, which a fresh node's clients feel as a latency spike (on one core, single 5 s
 * steps at a p99 of 9 to 59 ms in its first minute: docs/BENCHMARKS.md, "The first minute, met").
 * At nice 10 the compilers run mostly in the cores' idle time and still get about a tenth of a
 * saturated core: at 19 (1.5%) code deoptimized on a saturated node stayed uncompiled, ten times
 * slower, for seconds (docs/BENCHMARKS.md, "Connects: the warm-up's handshakes, ...").
 * Compiler threads that the JVM adds later are started by one of these and inherit its nice value.
 *
 * <p>Linux only: the threads are found by name in {@code /proc/self/task} and reniced with
 * {@code renice(1)} (lowering a priority needs no privilege); elsewhere, or without
 * {@code renice}, they stay as they are and the caller logs why.
 */
final class JitPriority {

  // A thread's comm holds its first 15 characters: "C2 CompilerThread0" is "C2 CompilerThre".
  private static final List<String> COMPILER_THREAD_NAMES = List.of("C1 CompilerThre", "C2 CompilerThre");
  private static final Path TASKS = Path.of("/proc/self/task");
  private static final long RENICE_TIMEOUT_SECONDS = 5;

  private JitPriority() {
  }

  /**
   * Sets the nice value of the JVM's compiler threads. Blocks for as long as {@code renice} runs.
   *
   * @return what was done, for the log
   * @throws IllegalStateException when it could not be done, saying why
   */
  static String lower(int nice) {
    List<String> threads = compilerThreads();
    if (threads.isEmpty()) {
      throw new IllegalStateException("no JIT compiler threads found in " + TASKS);
    }
    List<String> command = new ArrayList<>(List.of("renice", "-n", Integer.toString(nice), "-p"));
    command.addAll(threads);
    try {
      // A line per thread: far less than a pipe holds, so it is read once renice has ended.
      Process renice = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!renice.waitFor(RENICE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        renice.destroyForcibly();
        throw new IllegalStateException("renice did not answer within " + RENICE_TIMEOUT_SECONDS + " s");
      }
      if (renice.exitValue() != 0) {
        String output = new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        throw new IllegalStateException("renice failed (" + renice.exitValue() + "): " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("renice could not run: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while renice ran", e);
    }
    return threads.size() + " JIT compiler threads at nice " + nice;
  }

  /** @return the thread ids of the JVM's compiler threads; none where there is no {@code /proc} */
  static List<String> compilerThreads() {
    if (!Files.isDirectory(TASKS)) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    try (Stream<Path> tasks = Files.list(TASKS)) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        if (COMPILER_THREAD_NAMES.contains(name(task))) {
          ids.add(task.getFileName().toString());
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return ids;
  }

  private static String name(Path task) {
    try {
      return Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      // The thread ended meanwhile.
      return "";
    }
  }
}
