package io.roomcast.loadtests.simulations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulation's parameters, from system properties (the Gatling Maven plugin passes
 * {@code -Dname=value} through to the simulation's JVM).
 */
final class Settings {

  private Settings() {
  }

  /** @return {@code -Dtarget}: one node's WebSocket URL */
  static String target() {
    return System.getProperty("target", "ws://127.0.0.1:8080/ws");
  }

  /** @return {@code -Dtargets}: the nodes' URLs, comma-separated (default: {@link #target()}) */
  static List<String> targets() {
    List<String> urls = new ArrayList<>();
    for (String url : System.getProperty("targets", target()).split(",")) {
      if (!url.isBlank()) {
        urls.add(url.trim());
      }
    }
    return urls;
  }

  static int integer(String name, int defaultValue) {
    return Integer.parseInt(System.getProperty(name, Integer.toString(defaultValue)));
  }

  static double decimal(String name, double defaultValue) {
    return Double.parseDouble(System.getProperty(name, Double.toString(defaultValue)));
  }

  static Duration seconds(String name, double defaultValue) {
    return Duration.ofMillis((long) (decimal(name, defaultValue) * 1000));
  }
}
