package io.roomcast.loadtests.bench.report;

import java.util.Locale;

/** How a measured figure stands against its goal, said plainly. */
final class Goals {

  private Goals() {
  }

  /**
   * A "Roomcast at least {@code goal} times the peer" judgment. When Roomcast's figure is a lower
   * bound the ratio is one too; when the peer's is, the ratio is an upper bound.
   *
   * @return the ratio cell and the status
   */
  static String[] ratioAtLeast(Figure roomcast, Figure peer, double goal) {
    if (!roomcast.present() || !peer.present()) {
      return new String[] {"–", "not measured"};
    }
    if (peer.value() <= 0) {
      return new String[] {"–", roomcast.value() > 0 ? "**met** (no step passed for the peer)" : "undefined: no step passed for either"};
    }
    double ratio = roomcast.value() / peer.value();
    String prefix = roomcast.lowerBound() && !peer.lowerBound() ? "≥ " : !roomcast.lowerBound() && peer.lowerBound() ? "≤ " : "";
    String cell = prefix + String.format(Locale.ROOT, "%.2f×", ratio);
    String status;
    if (ratio >= goal && !peer.lowerBound()) {
      status = "**met**";
    } else if (ratio < goal && !roomcast.lowerBound()) {
      status = "**not met**";
    } else {
      status = "inconclusive (generator-bound)";
    }
    return new String[] {cell, status};
  }

  /** @return the status of "value at most {@code goal}" */
  static String atMost(Figure value, double goal) {
    if (!value.present()) {
      return "not measured";
    }
    return value.value() <= goal ? "**met**" : "**not met**";
  }

  /** @return the status of "value at least {@code goal}" */
  static String atLeast(Figure value, double goal) {
    if (!value.present()) {
      return "not measured";
    }
    return value.value() >= goal ? "**met**" : value.lowerBound() ? "inconclusive (generator-bound)" : "**not met**";
  }
}
