package io.roomcast.loadtests.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Mode fresh: fan-out at one rate through a server's first minute. The harness first warms itself
 * up with the same fan-out against a `ws` peer of its own (a cold generator would be the limit
 * otherwise); only then is the server under test started, by whoever runs the harness, which
 * learns its URL and pid from a file it waits for. Then a series of steps at the one rate, from
 * the first connection on: the set-up (connects and joins) and each step are what a node that has
 * just started goes through when a dead node's clients arrive.
 */
final class FreshServerMode {

  private final Options options;
  private final Fleet fleet;
  private final ServerKind kind;
  private final URI warmupUrl;
  private final List<Long> warmupPids;
  private final int warmupSteps;
  private final Path urlFile;
  private final int steps;

  FreshServerMode(ServerKind kind, Fleet fleet, Options options) {
    this.options = options;
    this.fleet = fleet;
    this.kind = kind;
    this.warmupUrl = URI.create(options.required("generator-warmup-url"));
    this.warmupPids = options.list("generator-warmup-pid", "").stream().map(Long::parseLong).toList();
    this.warmupSteps = options.integer("generator-warmup-steps", 4);
    this.urlFile = Path.of(options.required("url-file"));
    this.steps = options.integer("steps", 12);
  }

  /** @param result where the warm-up's series and the server's go */
  void run(ObjectNode result) throws IOException, InterruptedException {
    // Both series read the same fan-out flags (all read here, so that a wrong one fails at once).
    FanoutMode warm = new FanoutMode(new Target(ServerKind.WS, List.of(warmupUrl), warmupPids), fleet, options);
    options.checkAllRead();
    System.out.println("fresh: warming the generator up on " + warmupUrl);
    result.set("generatorWarmup", warm.series(Results.object(), warmupSteps));
    Pause.seconds(2);
    System.out.println("fresh: generator warm; waiting for the server in " + urlFile);
    Target target = awaitTarget();
    result.put("nodes", target.urls().size());
    new FanoutMode(target, fleet, options).series(result, steps);
    System.out.printf("fresh %-9s p99 per step (ms): %s%n", kind.id(), result.get("summary").get("p99Ms"));
  }

  /** @return the server under test, from a file of two lines (URL, pid) written once it is ready */
  private Target awaitTarget() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Files.exists(urlFile)) {
        List<String> lines = Files.readAllLines(urlFile, StandardCharsets.UTF_8);
        if (lines.size() >= 2 && !lines.get(1).isBlank()) {
          return new Target(kind, List.of(URI.create(lines.get(0).trim())), List.of(Long.parseLong(lines.get(1).trim())));
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no server URL in " + urlFile + " within 180 s");
  }
}
