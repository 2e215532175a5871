package io.roomcast.gateway;

import io.roomcast.gateway.impl.options.Checks;
import io.roomcast.gateway.impl.options.HttpTargets;
import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A service that decides joins and publishes in some rooms (docs/SERVICES.md), after the hub's
 * own permission rules: each such join or publish is a request to {@code address}, allowed only
 * when the service answers {@code {"allow":true}} within the timeout; any other answer, a
 * failure, no service or no answer in time is a denial ({@code forbidden}). With {@code url}
 * instead of {@code address}, the request is a POST to an HTTP backend, and only a 2xx answer
 * {@code {"allow":true}} allows. JSON form:
 * {@code {"rooms":"vip-*","address":"app.authorize","timeout":1000,"claims":["sub"]}}, or
 * {@code {"rooms":"vip-*","url":"http://127.0.0.1:8000/authorize","headers":{"x-api-key":"..."}}}.
 */
public class AuthorizerOptions {

  /** How long the service has to decide by default, in ms: {@value}. */
  public static final long DEFAULT_TIMEOUT = 1_000;

  private static final Set<String> KEYS = Set.of("rooms", "address", "url", "headers", "maxInFlight", "timeout", "claims");

  private String rooms;
  private String address;
  private String url;
  private Map<String, String> headers = new LinkedHashMap<>();
  private int maxInFlight = ServiceOptions.DEFAULT_MAX_IN_FLIGHT;
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

  /**
   * @param rooms the room pattern ({@code *} = any run of characters)
   * @param url the deciding HTTP backend's URL, {@code http://} or {@code https://}
   * @return an authorizer that POSTs each decision to {@code url}
   */
  public static AuthorizerOptions http(String rooms, String url) {
    AuthorizerOptions options = new AuthorizerOptions();
    options.setRooms(rooms);
    return options.setUrl(url);
  }

  private AuthorizerOptions() {
  }

  /** @param other options to copy */
  public AuthorizerOptions(AuthorizerOptions other) {
    this.rooms = other.rooms;
    this.address = other.address;
    this.url = other.url;
    this.headers = new LinkedHashMap<>(other.headers);
    this.maxInFlight = other.maxInFlight;
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
    String backend = r.string("url", null);
    Checks.require(pattern != null, "option \"" + r.path("rooms") + "\" is required");
    Checks.require(to != null || backend != null, "option \"" + r.path("address") + "\" or \"" + r.path("url") + "\" is required");
    Checks.require(to == null || backend == null, "an authorizer has an \"address\" or a \"url\", not both (" + r.path("url") + ")");
    r.set("rooms", () -> setRooms(pattern));
    if (to != null) {
      r.set("address", () -> setAddress(to));
      Checks.require(!json.containsKey("headers") && !json.containsKey("maxInFlight"),
        "\"headers\" and \"maxInFlight\" are for an authorizer with a \"url\" (" + r.path("address") + ")");
    } else {
      r.set("url", () -> setUrl(backend));
      r.set("headers", () -> setHeaders(HttpTargets.headers(r.object("headers"))));
      r.set("maxInFlight", () -> setMaxInFlight(Checks.toInt(r.integer("maxInFlight", ServiceOptions.DEFAULT_MAX_IN_FLIGHT))));
    }
    r.set("timeout", () -> setTimeout(r.integer("timeout", DEFAULT_TIMEOUT)));
    r.set("claims", () -> setClaims(r.strings("claims", List.of())));
  }

  /** @return these options as JSON (the headers included: they are configuration) */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("rooms", rooms);
    if (url == null) {
      json.put("address", address);
    } else {
      json.put("url", url).put("headers", new JsonObject(new LinkedHashMap<>(headers))).put("maxInFlight", maxInFlight);
    }
    return json.put("timeout", timeout).put("claims", new JsonArray(new ArrayList<>(claims)));
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

  /** @return the deciding service's address, or {@code null} when it is an HTTP backend */
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
    this.url = null;
    return this;
  }

  /** @return the deciding HTTP backend's URL, or {@code null} when it is an event-bus address */
  public String getUrl() {
    return url;
  }

  /**
   * @param url the HTTP backend each decision is POSTed to: absolute, {@code http://} or
   *     {@code https://}, with a host and no credentials. This clears the address.
   * @return this
   */
  public AuthorizerOptions setUrl(String url) {
    this.url = HttpTargets.url("an authorizer's url", url);
    this.address = null;
    return this;
  }

  /** @return the headers sent with every request to the HTTP backend */
  public Map<String, String> getHeaders() {
    return new LinkedHashMap<>(headers);
  }

  /**
   * @param headers headers sent with every request to the HTTP backend, e.g. an API key (names
   *     HTTP tokens, values without line breaks; {@code content-type}, {@code content-length} and
   *     {@code host} are Roomcast's)
   * @return this
   */
  public AuthorizerOptions setHeaders(Map<String, String> headers) {
    this.headers = HttpTargets.headers(headers);
    return this;
  }

  /** @return how many decisions one node has in flight at most to the HTTP backend */
  public int getMaxInFlight() {
    return maxInFlight;
  }

  /**
   * @param maxInFlight how many decisions one node has in flight at most to the HTTP backend; one
   *     more is denied at once (default {@value ServiceOptions#DEFAULT_MAX_IN_FLIGHT})
   * @return this
   */
  public AuthorizerOptions setMaxInFlight(int maxInFlight) {
    this.maxInFlight = Checks.between("maxInFlight", maxInFlight, 1, 1_000_000);
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
