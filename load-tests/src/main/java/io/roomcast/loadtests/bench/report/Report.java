package io.roomcast.loadtests.bench.report;

import io.roomcast.loadtests.bench.Options;

/** Placeholder until the report lands. */
public final class Report {
  private Report() {
  }

  public static void main(Options options) {
    options.checkAllRead();
  }
}
