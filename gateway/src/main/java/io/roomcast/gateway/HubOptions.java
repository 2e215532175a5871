package io.roomcast.gateway;

import io.roomcast.gateway.impl.codec.Names;
import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Options of one hub: its name and path, and the limits its connections live under. Setters
 * validate and throw {@code IllegalArgumentException}.
 */
public class HubOptions {

  /** The default hub name: {@value}. */
  public static final String DEFAULT_NAME = "default";
  /** The default path: {@value}. */
  public static final String DEFAULT_PATH = "/ws";
  /** The default largest client message, in bytes: {@value}. A larger one closes with 1009. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 65536;

  private static final Set<String> KEYS = Set.of("name", "path", "maxMessageSize", "presence");

  private String name = DEFAULT_NAME;
  private String path = DEFAULT_PATH;
  private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  private List<String> presence = new ArrayList<>();

  /** Options with every default. */
  public HubOptions() {
  }

  /** @param other options to copy */
  public HubOptions(HubOptions other) {
    this.name = other.name;
    this.path = other.path;
    this.maxMessageSize = other.maxMessageSize;
    this.presence = new ArrayList<>(other.presence);
  }

  /**
   * @param json options as JSON; unknown keys and wrong types are refused
   * @throws IllegalArgumentException naming the bad key
   */
  public HubOptions(JsonObject json) {
    this(json, null);
  }

  HubOptions(JsonObject json, String where) {
    JsonOptionsReader r = new JsonOptionsReader(json, where, KEYS);
    r.set("name", () -> setName(r.string("name", DEFAULT_NAME)));
    r.set("path", () -> setPath(r.string("path", DEFAULT_PATH)));
    r.set("maxMessageSize", () -> setMaxMessageSize(toInt(r.integer("maxMessageSize", DEFAULT_MAX_MESSAGE_SIZE))));
    r.set("presence", () -> setPresence(r.strings("presence", List.of())));
  }

  /** @return these options as JSON */
  public JsonObject toJson() {
    return new JsonObject()
      .put("name", name)
      .put("path", path)
      .put("maxMessageSize", maxMessageSize)
      .put("presence", new JsonArray(new ArrayList<>(presence)));
  }

  /** @return the hub's name */
  public String getName() {
    return name;
  }

  /**
   * @param name 1–64 characters of {@code [A-Za-z0-9_-]}; part of the hub's event-bus addresses
   * @return this
   */
  public HubOptions setName(String name) {
    this.name = Names.requireHub(name);
    return this;
  }

  /** @return the path the hub is mounted on */
  public String getPath() {
    return path;
  }

  /**
   * @param path a route path starting with {@code /}; a {@code :room} parameter makes the
   *     connection join that room
   * @return this
   */
  public HubOptions setPath(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/', got " + path);
    }
    this.path = path;
    return this;
  }

  /** @return the largest client message in bytes */
  public int getMaxMessageSize() {
    return maxMessageSize;
  }

  /**
   * @param maxMessageSize the largest client message in bytes (whole message, all fragments), at least 1024
   * @return this
   */
  public HubOptions setMaxMessageSize(int maxMessageSize) {
    if (maxMessageSize < 1024) {
      throw new IllegalArgumentException("maxMessageSize must be at least 1024, got " + maxMessageSize);
    }
    this.maxMessageSize = maxMessageSize;
    return this;
  }

  /** @return the room patterns where presence events are sent */
  public List<String> getPresence() {
    return new ArrayList<>(presence);
  }

  /**
   * @param presence room patterns ({@code *} = any run of characters) where members get a
   *     {@code presence} event when another member joins or leaves
   * @return this
   */
  public HubOptions setPresence(List<String> presence) {
    Objects.requireNonNull(presence, "presence");
    for (String pattern : presence) {
      if (pattern == null || pattern.isEmpty()) {
        throw new IllegalArgumentException("presence patterns must not be empty");
      }
    }
    this.presence = new ArrayList<>(presence);
    return this;
  }

  static int toInt(long value) {
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("out of range: " + value);
    }
    return (int) value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HubOptions && toJson().equals(((HubOptions) o).toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return "HubOptions" + toJson().encode();
  }
}
