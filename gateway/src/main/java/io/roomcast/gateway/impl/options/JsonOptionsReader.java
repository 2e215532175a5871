package io.roomcast.gateway.impl.options;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
    this(json, where, known, Map.of());
  }

  /**
   * @param json the object to read
   * @param where what it is, for messages, e.g. {@code hubs[0]}
   * @param known the keys it may have
   * @param moved keys that moved elsewhere, and where to: refused with their new place rather
   *     than as unknown, so that a file written for an older version says how to fix it
   */
  public JsonOptionsReader(JsonObject json, String where, Set<String> known, Map<String, String> moved) {
    this.json = json;
    this.where = where;
    for (String key : json.fieldNames()) {
      Checks.require(!moved.containsKey(key), "option \"" + path(key) + "\" has moved: " + moved.get(key));
      Checks.require(known.contains(key), "unknown option \"" + path(key) + "\"; known options: " + new TreeSet<>(known));
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

  /**
   * @return the objects of the array at {@code key}, or {@code null} when absent
   * @throws IllegalArgumentException naming the item, e.g. {@code hubs[1]}, that is not an object
   */
  public List<JsonObject> objects(String key) {
    JsonArray array = array(key);
    if (array == null) {
      return null;
    }
    List<JsonObject> list = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object v = array.getValue(i);
      Checks.require(v instanceof JsonObject, "option \"" + path(key + "[" + i + "]") + "\" must be an object");
      list.add((JsonObject) v);
    }
    return list;
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
      Checks.require(v instanceof String, "option \"" + path(key) + "\" must be an array of strings; item " + i + " is not");
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
      throw new IllegalArgumentException("option \"" + path(key) + "\": " + e.getMessage(), e);
    }
  }

  /**
   * @param key a key of this object, or an item of one of its arrays ({@code hubs[0]})
   * @return its full path, as messages name it: {@code hubs[0].auth}
   */
  public String path(String key) {
    return where == null ? key : where + "." + key;
  }

  private IllegalArgumentException wrongType(String key, String expected) {
    return new IllegalArgumentException("option \"" + path(key) + "\" must be " + expected);
  }
}
