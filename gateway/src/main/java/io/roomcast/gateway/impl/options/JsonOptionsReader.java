package io.roomcast.gateway.impl.options;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads an options object from JSON strictly: an unknown key or a value of the wrong type is an
 * {@code IllegalArgumentException} that names the key, so a typo in a configuration file stops
 * the start instead of being ignored.
 */
public final class JsonOptionsReader {

  private final JsonObject json;
  private final String where;

  /**
   * @param json the object to read
   * @param where what it is, for messages, e.g. {@code hubs[0]}
   * @param known the keys it may have
   */
  public JsonOptionsReader(JsonObject json, String where, Set<String> known) {
    this.json = json;
    this.where = where;
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown option \"" + key(key) + "\"; known options: " + new java.util.TreeSet<>(known));
      }
    }
  }

  /** @return {@code true} when the key is present and not null */
  public boolean has(String key) {
    return json.getValue(key) != null;
  }

  /** @return the string at {@code key}, or {@code fallback} when absent */
  public String string(String key, String fallback) {
    Object v = json.getValue(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof String)) {
      throw wrongType(key, "a string");
    }
    return (String) v;
  }

  /** @return the integer at {@code key}, or {@code fallback} when absent */
  public long integer(String key, long fallback) {
    Object v = json.getValue(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) {
      throw wrongType(key, "an integer");
    }
    return ((Number) v).longValue();
  }

  /** @return the boolean at {@code key}, or {@code fallback} when absent */
  public boolean bool(String key, boolean fallback) {
    Object v = json.getValue(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean)) {
      throw wrongType(key, "true or false");
    }
    return (Boolean) v;
  }

  /** @return the object at {@code key}, or {@code null} when absent */
  public JsonObject object(String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject)) {
      throw wrongType(key, "an object");
    }
    return (JsonObject) v;
  }

  /** @return the array at {@code key}, or {@code null} when absent */
  public JsonArray array(String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray)) {
      throw wrongType(key, "an array");
    }
    return (JsonArray) v;
  }

  /** @return the strings of the array at {@code key}, or {@code fallback} when absent */
  public List<String> strings(String key, List<String> fallback) {
    JsonArray array = array(key);
    if (array == null) {
      return fallback;
    }
    List<String> list = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object v = array.getValue(i);
      if (!(v instanceof String)) {
        throw new IllegalArgumentException("option \"" + key(key) + "\" must be an array of strings; item " + i + " is not");
      }
      list.add((String) v);
    }
    return list;
  }

  /**
   * Runs a setter and names the key in the message of the {@code IllegalArgumentException} it throws.
   *
   * @param key the key being set
   * @param setter the setter call
   */
  public void set(String key, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("option \"" + key(key) + "\": " + e.getMessage(), e);
    }
  }

  private IllegalArgumentException wrongType(String key, String expected) {
    return new IllegalArgumentException("option \"" + key(key) + "\" must be " + expected);
  }

  private String key(String key) {
    return where == null ? key : where + "." + key;
  }
}
