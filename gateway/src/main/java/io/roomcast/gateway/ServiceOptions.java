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
 * Which custom events of a hub's clients go to a service on the event bus (docs/SERVICES.md): a
 * matching event becomes a request to {@code address}, served by whichever consumer the cluster
 * picks, in this process or any other, and the service's answer becomes the client's reply.
 * Nothing is forwarded that no rule names. JSON form:
 * {@code {"events":"order.*","address":"app.orders","timeout":5000,"claims":["sub"]}}.
 */
public class ServiceOptions {

  /** How long a service has to answer by default, in ms: {@value}. */
  public static final long DEFAULT_TIMEOUT = 5_000;

  private static final Set<String> KEYS = Set.of("events", "address", "timeout", "claims");

  private String events;
  private String address;
  private long timeout = DEFAULT_TIMEOUT;
  private List<String> claims = new ArrayList<>();

  /**
   * @param events the event pattern ({@code *} = any run of characters)
   * @param address the event-bus address of the service
   */
  public ServiceOptions(String events, String address) {
    setEvents(events);
    setAddress(address);
  }

  /** @param other options to copy */
  public ServiceOptions(ServiceOptions other) {
    this.events = other.events;
    this.address = other.address;
    this.timeout = other.timeout;
    this.claims = new ArrayList<>(other.claims);
  }

  /**
   * @param json options as JSON; unknown keys and wrong types are refused
   * @throws IllegalArgumentException naming the bad key
   */
  public ServiceOptions(JsonObject json) {
    this(json, null);
  }

  ServiceOptions(JsonObject json, String where) {
    JsonOptionsReader r = new JsonOptionsReader(json, where, KEYS);
    String pattern = r.string("events", null);
    String to = r.string("address", null);
    Checks.require(pattern != null, "option \"" + r.path("events") + "\" is required");
    Checks.require(to != null, "option \"" + r.path("address") + "\" is required");
    r.set("events", () -> setEvents(pattern));
    r.set("address", () -> setAddress(to));
    r.set("timeout", () -> setTimeout(r.integer("timeout", DEFAULT_TIMEOUT)));
    r.set("claims", () -> setClaims(r.strings("claims", List.of())));
  }

  /** @return these options as JSON */
  public JsonObject toJson() {
    return new JsonObject().put("events", events).put("address", address).put("timeout", timeout)
      .put("claims", new JsonArray(new ArrayList<>(claims)));
  }

  /** @return the event pattern */
  public String getEvents() {
    return events;
  }

  /**
   * @param events the pattern of the client events forwarded ({@code *} = any run of characters);
   *     the first rule whose pattern matches an event applies, and a server-side handler of the
   *     same event ({@code hub.on}) still wins
   * @return this
   */
  public ServiceOptions setEvents(String events) {
    Objects.requireNonNull(events, "events");
    Checks.require(!events.isEmpty(), "a service's event pattern must not be empty");
    this.events = events;
    return this;
  }

  /** @return the service's event-bus address */
  public String getAddress() {
    return address;
  }

  /**
   * @param address the event-bus address the service consumes; not one of Roomcast's own
   *     ({@code roomcast.*}) nor Vert.x's ({@code __vertx.*})
   * @return this
   */
  public ServiceOptions setAddress(String address) {
    Objects.requireNonNull(address, "address");
    Checks.require(!address.isEmpty(), "a service's address must not be empty");
    Checks.require(!address.startsWith("roomcast.") && !address.startsWith("__vertx."),
      "a service's address must not be one of Roomcast's (roomcast.*) or Vert.x's (__vertx.*), got " + address);
    this.address = address;
    return this;
  }

  /** @return ms the service has to answer */
  public long getTimeout() {
    return timeout;
  }

  /**
   * @param timeout ms the service has to answer a request before the client is answered
   *     {@code unavailable} (never the event bus's 30 s default)
   * @return this
   */
  public ServiceOptions setTimeout(long timeout) {
    this.timeout = Checks.atLeast("timeout", timeout, 1);
    return this;
  }

  /** @return the claims of the client passed on to the service */
  public List<String> getClaims() {
    return new ArrayList<>(claims);
  }

  /**
   * @param claims the names of the client's claims passed on to the service (none by default:
   *     a token's claims are the application's to share)
   * @return this
   */
  public ServiceOptions setClaims(List<String> claims) {
    Objects.requireNonNull(claims, "claims");
    this.claims = new ArrayList<>(claims);
    return this;
  }
}
