package io.roomcast.loadtests.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The server under test: its kind, its WebSocket URLs (one per node) and its process ids (whose
 * memory and CPU are summed; none when the harness is not told them).
 */
public record Target(ServerKind kind, List<URI> urls, List<Long> pids) {

  static Target from(Options options) {
    ServerKind kind = ServerKind.of(options.required("server"));
    List<URI> urls = new ArrayList<>();
    for (String url : options.list("url", null)) {
      urls.add(URI.create(url));
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("--url is required (a comma-separated list for several nodes)");
    }
    List<Long> pids = new ArrayList<>();
    for (String pid : options.list("pid", "")) {
      pids.add(Long.parseLong(pid));
    }
    return new Target(kind, List.copyOf(urls), List.copyOf(pids));
  }

  /** @return the servers' summed RSS in bytes, or -1 when no pid is known */
  public long rssBytes() {
    if (pids.isEmpty()) {
      return -1;
    }
    long sum = 0;
    for (long pid : pids) {
      sum += Math.max(0, ProcStats.rssBytes(pid));
    }
    return sum;
  }

  /** @return the servers' summed CPU seconds, or -1 when no pid is known */
  public double cpuSeconds() {
    if (pids.isEmpty()) {
      return -1;
    }
    double sum = 0;
    for (long pid : pids) {
      sum += Math.max(0, ProcStats.cpuSeconds(pid));
    }
    return sum;
  }

  /** Asks every server process for a full collection. */
  public void collectGarbage() {
    pids.forEach(kind::collectGarbage);
  }

  /** @return whether every server process still runs */
  public boolean alive() {
    return pids.stream().allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }
}
