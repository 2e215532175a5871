package io.roomcast.gateway;

import io.roomcast.gateway.impl.options.Checks;
import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.Set;

/**
 * A service that decides joins and publishes in some rooms (docs/SERVICES.md), after the hub's
 * own permission rules: each such join or publish is a request to {@code address}, allowed only
 * when the service answers {@code {"allow":true}} within the timeout; any other answer, a
 * failure, no service, no answer in time or one request over {@code maxInFlight} is a denial
 * ({@code forbidden}). With {@code url} instead of {@code address}, the request is a POST to an
 * HTTP backend, and only a 2xx answer {@code {"allow":true}} allows. JSON form:
 * {@code {"rooms":"vip-*","address":"app.authorize","timeout":1000,"claims":["sub"]}}, or
 * {@code {"rooms":"vip-*","url":"http://127.0.0.1:8000/authorize","headers":{"x-api-key":"..."}}}.
 */
public class AuthorizerOptions extends BackendRuleOptions<AuthorizerOptions> {

  /** How long the service has to decide by default, in ms: {@value}. */
  public static final long DEFAULT_TIMEOUT = 1_000;

  private static final Set<String> KEYS = keysWith("rooms", "claims");

  private String rooms;

  /**
   * @param rooms the room pattern ({@code *} = any run of characters)
   * @param address the event-bus address of the deciding service
   */
  public AuthorizerOptions(String rooms, String address) {
    this();
    setRooms(rooms);
    setAddress(address);
  }

  /**
   * @param rooms the room pattern ({@code *} = any run of characters)
   * @param url the deciding HTTP backend's URL, {@code http://} or {@code https://}
   * @return an authorizer that POSTs each decision to {@code url}
   */
  public static AuthorizerOptions http(String rooms, String url) {
    return new AuthorizerOptions().setRooms(rooms).setUrl(url);
  }

  private AuthorizerOptions() {
    super("an authorizer", DEFAULT_TIMEOUT);
  }

  /** @param other options to copy */
  public AuthorizerOptions(AuthorizerOptions other) {
    super(other);
    this.rooms = other.rooms;
  }

  /**
   * @param json options as JSON; unknown keys and wrong types are refused
   * @throws IllegalArgumentException naming the bad key
   */
  public AuthorizerOptions(JsonObject json) {
    this(json, null);
  }

  AuthorizerOptions(JsonObject json, String where) {
    this();
    JsonOptionsReader r = new JsonOptionsReader(json, where, KEYS);
    String pattern = r.string("rooms", null);
    Checks.require(pattern != null, "option \"" + r.path("rooms") + "\" is required");
    r.set("rooms", () -> setRooms(pattern));
    read(r, json);
  }

  /** @return these options as JSON (the headers included: they are configuration) */
  public JsonObject toJson() {
    return write(new JsonObject().put("rooms", rooms));
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
}
