package io.roomcast.loadtests.bench.report;

/**
 * One measured figure: its value, and whether it is only a bound (the generator's core was the
 * limit, so the true figure is at least this).
 *
 * @param value the value, or NaN when not measured
 * @param lowerBound whether the value is a lower bound
 */
record Figure(double value, boolean lowerBound) {

  static final Figure MISSING = new Figure(Double.NaN, false);

  boolean present() {
    return !Double.isNaN(value);
  }

  /** @return the figure for a table cell, e.g. {@code 412,000} or {@code ≥ 412,000} */
  String format(String pattern) {
    if (!present()) {
      return "–";
    }
    return (lowerBound ? "≥ " : "") + String.format(java.util.Locale.ROOT, pattern, value);
  }
}
