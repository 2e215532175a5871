package io.roomcast.gateway;

import io.roomcast.gateway.impl.options.Checks;
import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A service that decides joins and publishes in some rooms (docs/SERVICES.md), after the hub's
 * own permission rules: each such join or publish is a request to {@code address}, allowed only
 * when the service answers {@code {"allow":true}} within the timeout; any other answer, a
 * failure, no service or no answer in time is a denial ({@code forbidden}). JSON form:
 * {@code {"rooms":"vip-*","address":"app.authorize","timeout":1000,"claims":["sub"]}}.
 */
public class AuthorizerOptions {

  /** How long the service has to decide by default, in ms: {@value}. */
  public static final long DEFAULT_TIMEOUT = 1_000;

  private static final Set<String> KEYS = Set.of("rooms", "address", "timeout", "claims");

  private String rooms;
  private String address;
  private long timeout = DEFAULT_TIMEOUT;
  private List<String> claims = new ArrayList<>();

  /**
   * @param rooms the room pattern ({@code *} = any run of characters)
   * @param address the event-bus address of the deciding service
   */
  public AuthorizerOptions(String rooms, String address) {
    setRooms(rooms);
    setAddress(address);
  }

  /** @param other options to copy */
  public AuthorizerOptions(AuthorizerOptions other) {
    this.rooms = other.rooms;
    this.address = other.address;
    this.timeout = other.timeout;
    this.claims = new ArrayList<>(other.claims);
  }

  /**
   * @param json options as JSON; unknown keys and wrong types are refused
   * @throws IllegalArgumentException naming the bad key
   */
  public AuthorizerOptions(JsonObject json) {
    this(json, null);
  }

  AuthorizerOptions(JsonObject json, String where) {
    JsonOptionsReader r = new JsonOptionsReader(json, where, KEYS);
    String pattern = r.string("rooms", null);
    String to = r.string("address", null);
    Checks.require(pattern != null, "option \"" + r.path("rooms") + "\" is required");
    Checks.require(to != null, "option \"" + r.path("address") + "\" is required");
    r.set("rooms", () -> setRooms(pattern));
    r.set("address", () -> setAddress(to));
    r.set("timeout", () -> setTimeout(r.integer("timeout", DEFAULT_TIMEOUT)));
    r.set("claims", () -> setClaims(r.strings("claims", List.of())));
  }

  /** @return these options as JSON */
  public JsonObject toJson() {
    return new JsonObject().put("rooms", rooms).put("address", address).put("timeout", timeout)
      .put("claims", new JsonArray(new ArrayList<>(claims)));
  }

  /** @return the room pattern */
  public String getRooms() {
    return rooms;
  }

  /**
   * @param rooms the pattern of the rooms whose joins and publishes the service decides; the
   *     first rule whose pattern matches a room applies
   * @return this
   */
  public AuthorizerOptions setRooms(String rooms) {
    Objects.requireNonNull(rooms, "rooms");
    Checks.require(!rooms.isEmpty(), "an authorizer's room pattern must not be empty");
    this.rooms = rooms;
    return this;
  }

  /** @return the deciding service's address */
  public String getAddress() {
    return address;
  }

  /**
   * @param address the event-bus address of the service; not one of Roomcast's or Vert.x's
   * @return this
   */
  public AuthorizerOptions setAddress(String address) {
    Objects.requireNonNull(address, "address");
    Checks.require(!address.isEmpty() && !address.startsWith("roomcast.") && !address.startsWith("__vertx."),
      "an authorizer's address must be an address of the application's, got " + address);
    this.address = address;
    return this;
  }

  /** @return ms the service has to decide */
  public long getTimeout() {
    return timeout;
  }

  /**
   * @param timeout ms the service has to decide; no answer in time is a denial
   * @return this
   */
  public AuthorizerOptions setTimeout(long timeout) {
    this.timeout = Checks.atLeast("timeout", timeout, 1);
    return this;
  }

  /** @return the claims of the client passed on to the service */
  public List<String> getClaims() {
    return new ArrayList<>(claims);
  }

  /**
   * @param claims the names of the client's claims passed on to the service (none by default)
   * @return this
   */
  public AuthorizerOptions setClaims(List<String> claims) {
    Objects.requireNonNull(claims, "claims");
    this.claims = new ArrayList<>(claims);
    return this;
  }
}
