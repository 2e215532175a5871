package io.roomcast.loadtests.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A mode's flags ({@code --name value}), with typed reads and defaults; unknown flags are errors. */
public final class Options {

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Set<String> read = new HashSet<>();

  /**
   * @param args the arguments after the mode
   * @throws IllegalArgumentException on a flag without a value or a value without a flag
   */
  public Options(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!name.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --flag value, got '" + name + "'");
      }
      values.put(name.substring(2), args[++i]);
    }
  }

  public String string(String name, String defaultValue) {
    read.add(name);
    return values.getOrDefault(name, defaultValue);
  }

  public String required(String name) {
    String value = string(name, null);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  public int integer(String name, int defaultValue) {
    String value = string(name, null);
    return value == null ? defaultValue : Integer.parseInt(value.replace("_", ""));
  }

  public double decimal(String name, double defaultValue) {
    String value = string(name, null);
    return value == null ? defaultValue : Double.parseDouble(value);
  }

  public List<String> list(String name, String defaultValue) {
    String value = string(name, defaultValue);
    List<String> items = new ArrayList<>();
    if (value != null) {
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
    }
    return items;
  }

  public List<Integer> integers(String name, String defaultValue) {
    List<Integer> numbers = new ArrayList<>();
    for (String item : list(name, defaultValue)) {
      numbers.add(Integer.parseInt(item.replace("_", "")));
    }
    return numbers;
  }

  /** @throws IllegalArgumentException when a flag was given that the mode never read */
  public void checkAllRead() {
    for (String name : values.keySet()) {
      if (!read.contains(name)) {
        throw new IllegalArgumentException("unknown flag --" + name);
      }
    }
  }

  /** @return every flag given, for the results file */
  public Map<String, String> given() {
    return values;
  }
}
