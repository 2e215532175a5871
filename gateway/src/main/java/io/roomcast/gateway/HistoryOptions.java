package io.roomcast.gateway;

import io.roomcast.gateway.impl.options.Checks;
import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.Set;

/**
 * Which rooms of a hub keep a history, and how much (PROTOCOL.md, section 6). In a cluster the
 * history lives in the cluster's own Hazelcast, with one backup, so that it survives the loss of
 * any one node. JSON form: {@code {"room":"chat.*","size":100,"ttl":300000}}.
 */
public class HistoryOptions {

  /** The messages kept per room by default: {@value}. */
  public static final int DEFAULT_SIZE = 100;
  /** The most messages a room may keep: {@value}. */
  public static final int MAX_SIZE = 10_000;
  /** How long a message is kept by default, in ms: {@value}. */
  public static final long DEFAULT_TTL = 300_000;

  private static final Set<String> KEYS = Set.of("room", "size", "ttl");

  private String room;
  private int size = DEFAULT_SIZE;
  private long ttl = DEFAULT_TTL;

  /** @param room the room pattern ({@code *} = any run of characters) */
  public HistoryOptions(String room) {
    setRoom(room);
  }

  /** @param other options to copy */
  public HistoryOptions(HistoryOptions other) {
    this.room = other.room;
    this.size = other.size;
    this.ttl = other.ttl;
  }

  /**
   * @param json options as JSON; unknown keys and wrong types are refused
   * @throws IllegalArgumentException naming the bad key
   */
  public HistoryOptions(JsonObject json) {
    this(json, null);
  }

  HistoryOptions(JsonObject json, String where) {
    JsonOptionsReader r = new JsonOptionsReader(json, where, KEYS);
    String pattern = r.string("room", null);
    Checks.require(pattern != null, "option \"" + r.path("room") + "\" is required");
    r.set("room", () -> setRoom(pattern));
    r.set("size", () -> setSize(Checks.toInt(r.integer("size", DEFAULT_SIZE))));
    r.set("ttl", () -> setTtl(r.integer("ttl", DEFAULT_TTL)));
  }

  /** @return these options as JSON */
  public JsonObject toJson() {
    return new JsonObject().put("room", room).put("size", size).put("ttl", ttl);
  }

  /** @return the room pattern */
  public String getRoom() {
    return room;
  }

  /**
   * @param room the room pattern ({@code *} = any run of characters); first match wins among a hub's rules
   * @return this
   */
  public HistoryOptions setRoom(String room) {
    Objects.requireNonNull(room, "room");
    Checks.require(!room.isEmpty(), "a history room pattern must not be empty");
    this.room = room;
    return this;
  }

  /** @return how many messages a room keeps */
  public int getSize() {
    return size;
  }

  /**
   * @param size how many messages a room keeps, 1 to {@value #MAX_SIZE}
   * @return this
   */
  public HistoryOptions setSize(int size) {
    this.size = Checks.between("size", size, 1, MAX_SIZE);
    return this;
  }

  /** @return how long a message is kept, in ms */
  public long getTtl() {
    return ttl;
  }

  /**
   * @param ttl how long a message is kept, in ms (at least 1000); a room with no message for
   *     this long starts a new epoch
   * @return this
   */
  public HistoryOptions setTtl(long ttl) {
    this.ttl = Checks.atLeast("ttl", ttl, 1000, "ms");
    return this;
  }
}
