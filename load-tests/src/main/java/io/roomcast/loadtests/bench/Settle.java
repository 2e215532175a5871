package io.roomcast.loadtests.bench;

/**
 * Waits for freshly started nodes to go quiet before a measurement: N new JVMs sharing a core
 * compile for minutes what start-up and warm-up made hot, and that CPU would be counted against
 * (and compete with) what is measured.
 */
final class Settle {

  private static final double WINDOW_SECONDS = 5;

  private final double coresPerNode;
  private final double timeoutSeconds;

  /**
   * @param coresPerNode the bound each idle node must stay under over a window; 0 for no wait
   * @param timeoutSeconds how long to wait at most
   */
  Settle(double coresPerNode, double timeoutSeconds) {
    this.coresPerNode = coresPerNode;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** @return from the flags {@code --settle-cores-per-node} (default 0: no wait) and {@code --settle-timeout-seconds} (300) */
  static Settle fromOptions(Options options) {
    return new Settle(options.decimal("settle-cores-per-node", 0), options.decimal("settle-timeout-seconds", 300));
  }

  boolean enabled() {
    return coresPerNode > 0;
  }

  double coresPerNode() {
    return coresPerNode;
  }

  /**
   * Waits, in windows of 5 s, until the nodes burn less than the bound each, or the timeout passes.
   *
   * @return seconds waited, or -1 when not asked to
   */
  double await(Target target, int nodes) {
    if (!enabled()) {
      return -1;
    }
    long start = System.nanoTime();
    while ((System.nanoTime() - start) / 1e9 < timeoutSeconds) {
      double cpu = target.cpuSeconds();
      long t = System.nanoTime();
      Pause.seconds(WINDOW_SECONDS);
      double perNode = (target.cpuSeconds() - cpu) / ((System.nanoTime() - t) / 1e9) / nodes;
      if (perNode < coresPerNode) {
        break;
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
