package io.roomcast.loadtests.bench;

/**
 * CPU used over an interval by the generator (this process) and by the server, as a fraction of
 * one core. The generator is pinned to one core: above {@link #GENERATOR_LIMIT} of it, what it
 * measures is partly itself, and the data point is discarded.
 */
public final class CpuMeter {

  /** Above this share of its core, the generator's figures are not trusted. */
  public static final double GENERATOR_LIMIT = 0.80;

  private final Target target;
  private final long startNanos = System.nanoTime();
  private final double selfStart = ProcStats.cpuSeconds(ProcStats.self());
  private final double serverStart;

  public CpuMeter(Target target) {
    this.target = target;
    this.serverStart = target.cpuSeconds();
  }

  /** @return the interval so far, in seconds */
  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** @return the generator's CPU use so far, in cores */
  public double generator() {
    return (ProcStats.cpuSeconds(ProcStats.self()) - selfStart) / elapsedSeconds();
  }

  /** @return the server's CPU use so far, in cores, or -1 when its pid is unknown */
  public double server() {
    if (serverStart < 0) {
      return -1;
    }
    return (target.cpuSeconds() - serverStart) / elapsedSeconds();
  }
}
