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
 * Which custom events of a hub's clients go to a service (docs/SERVICES.md): a matching event
 * becomes a request to {@code address} on the event bus, served by whichever consumer the cluster
 * picks, in this process or any other; or, with {@code url} instead, a POST to an HTTP backend in
 * any language. The service's answer becomes the client's reply. Nothing is forwarded that no
 * rule names. JSON form:
 * {@code {"events":"order.*","address":"app.orders","timeout":5000,"claims":["sub"]}}, or
 * {@code {"events":"order.*","url":"http://127.0.0.1:8000/orders","headers":{"x-api-key":"..."},"maxInFlight":256}}.
 */
public class ServiceOptions {

  /** How long a service has to answer by default, in ms: {@value}. */
  public static final long DEFAULT_TIMEOUT = 5_000;

  /** How many requests to an HTTP backend one node has in flight at most, by default: {@value}. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;

  private static final Set<String> KEYS = Set.of("events", "address", "url", "headers", "maxInFlight", "timeout", "claims");

  private String events;
  private String address;
  private String url;
  private Map<String, String> headers = new LinkedHashMap<>();
  private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
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

  /**
   * @param events the event pattern ({@code *} = any run of characters)
   * @param url the HTTP backend's URL, {@code http://} or {@code https://}
   * @return a rule that POSTs the matching events to {@code url}
   */
  public static ServiceOptions http(String events, String url) {
    ServiceOptions options = new ServiceOptions();
    options.setEvents(events);
    return options.setUrl(url);
  }

  private ServiceOptions() {
  }

  /** @param other options to copy */
  public ServiceOptions(ServiceOptions other) {
    this.events = other.events;
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
  public ServiceOptions(JsonObject json) {
    this(json, null);
  }

  ServiceOptions(JsonObject json, String where) {
    JsonOptionsReader r = new JsonOptionsReader(json, where, KEYS);
    String pattern = r.string("events", null);
    String to = r.string("address", null);
    String backend = r.string("url", null);
    Checks.require(pattern != null, "option \"" + r.path("events") + "\" is required");
    Checks.require(to != null || backend != null, "option \"" + r.path("address") + "\" or \"" + r.path("url") + "\" is required");
    Checks.require(to == null || backend == null, "a service rule has an \"address\" or a \"url\", not both (" + r.path("url") + ")");
    r.set("events", () -> setEvents(pattern));
    if (to != null) {
      r.set("address", () -> setAddress(to));
      Checks.require(!json.containsKey("headers") && !json.containsKey("maxInFlight"),
        "\"headers\" and \"maxInFlight\" are for a rule with a \"url\" (" + r.path("address") + ")");
    } else {
      r.set("url", () -> setUrl(backend));
      r.set("headers", () -> setHeaders(HttpTargets.headers(r.object("headers"))));
      r.set("maxInFlight", () -> setMaxInFlight(Checks.toInt(r.integer("maxInFlight", DEFAULT_MAX_IN_FLIGHT))));
    }
    r.set("timeout", () -> setTimeout(r.integer("timeout", DEFAULT_TIMEOUT)));
    r.set("claims", () -> setClaims(r.strings("claims", List.of())));
  }

  /** @return these options as JSON (the headers included: they are configuration) */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("events", events);
    if (url == null) {
      json.put("address", address);
    } else {
      json.put("url", url).put("headers", new JsonObject(new LinkedHashMap<>(headers))).put("maxInFlight", maxInFlight);
    }
    return json.put("timeout", timeout).put("claims", new JsonArray(new ArrayList<>(claims)));
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

  /** @return the service's event-bus address, or {@code null} when the rule goes to a URL */
  public String getAddress() {
    return address;
  }

  /**
   * @param address the event-bus address the service consumes; not one of Roomcast's own
   *     ({@code roomcast.*}) nor Vert.x's ({@code __vertx.*}). A rule goes to an address or to a
   *     URL: this clears the URL.
   * @return this
   */
  public ServiceOptions setAddress(String address) {
    Objects.requireNonNull(address, "address");
    Checks.require(!address.isEmpty(), "a service's address must not be empty");
    Checks.require(!address.startsWith("roomcast.") && !address.startsWith("__vertx."),
      "a service's address must not be one of Roomcast's (roomcast.*) or Vert.x's (__vertx.*), got " + address);
    this.address = address;
    this.url = null;
    return this;
  }

  /** @return the HTTP backend's URL, or {@code null} when the rule goes to an event-bus address */
  public String getUrl() {
    return url;
  }

  /**
   * @param url the HTTP backend the matching events are POSTed to: an absolute {@code http://} or
   *     {@code https://} URL with a host. A rule goes to an address or to a URL: this clears the address.
   * @return this
   */
  public ServiceOptions setUrl(String url) {
    this.url = HttpTargets.url("a service's url", url);
    this.address = null;
    return this;
  }

  /** @return the headers sent with every request to the HTTP backend */
  public Map<String, String> getHeaders() {
    return new LinkedHashMap<>(headers);
  }

  /**
   * @param headers headers sent with every request to the HTTP backend, e.g. an API key; names are
   *     HTTP tokens, values have no line breaks, and {@code content-type} and {@code content-length}
   *     are Roomcast's
   * @return this
   */
  public ServiceOptions setHeaders(Map<String, String> headers) {
    this.headers = HttpTargets.headers(headers);
    return this;
  }

  /** @return how many requests to the HTTP backend one node has in flight at most */
  public int getMaxInFlight() {
    return maxInFlight;
  }

  /**
   * @param maxInFlight how many requests to the HTTP backend one node has in flight at most; one
   *     more is answered {@code unavailable} at once (default {@value #DEFAULT_MAX_IN_FLIGHT})
   * @return this
   */
  public ServiceOptions setMaxInFlight(int maxInFlight) {
    this.maxInFlight = Checks.between("maxInFlight", maxInFlight, 1, 1_000_000);
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
