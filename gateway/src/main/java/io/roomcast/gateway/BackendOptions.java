package io.roomcast.gateway;

import io.roomcast.gateway.impl.options.Checks;
import io.roomcast.gateway.impl.options.HttpTargets;
import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where a hub sends what an application decides or answers (docs/SERVICES.md): an event-bus
 * {@code address}, or the {@code url} of an HTTP backend with its {@code headers} and its
 * {@code maxInFlight}, and how long it has. What {@link ServiceOptions}, {@link AuthorizerOptions}
 * and {@link AuthServiceOptions} have in common.
 *
 * @param <T> the options' own type, which the setters return
 */
public abstract class BackendOptions<T extends BackendOptions<T>> {

  /** How many requests to an HTTP backend one node has in flight at most, by default: {@value}. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;

  private static final Set<String> KEYS = Set.of("address", "url", "headers", "maxInFlight", "timeout");

  /** What the options are, in messages: "a service rule", "an authorizer". */
  private final String kind;
  private String address;
  private String url;
  private Map<String, String> headers = new LinkedHashMap<>();
  private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
  private long timeout;

  BackendOptions(String kind, long timeout) {
    this.kind = kind;
    this.timeout = timeout;
  }

  BackendOptions(BackendOptions<T> other) {
    this.kind = other.kind;
    this.address = other.address;
    this.url = other.url;
    this.headers = new LinkedHashMap<>(other.headers);
    this.maxInFlight = other.maxInFlight;
    this.timeout = other.timeout;
  }

  /** @return the JSON keys of this part and the subclass's {@code own} */
  static Set<String> keysWith(String... own) {
    Set<String> keys = new HashSet<>(KEYS);
    keys.addAll(List.of(own));
    return Set.copyOf(keys);
  }

  /** Reads this part's keys: one of address and url, the url's headers and maxInFlight, timeout. */
  void read(JsonOptionsReader r, JsonObject json) {
    String to = r.string("address", null);
    String backend = r.string("url", null);
    Checks.require(to != null || backend != null, "option \"" + r.path("address") + "\" or \"" + r.path("url") + "\" is required");
    Checks.require(to == null || backend == null, kind + " has an \"address\" or a \"url\", not both (" + r.path("url") + ")");
    if (to != null) {
      r.set("address", () -> setAddress(to));
      Checks.require(!json.containsKey("headers") && !json.containsKey("maxInFlight"),
        "\"headers\" and \"maxInFlight\" are for " + kind + " with a \"url\" (" + r.path("address") + ")");
    } else {
      r.set("url", () -> setUrl(backend));
      r.set("headers", () -> setHeaders(HttpTargets.headers(r.object("headers"))));
      r.set("maxInFlight", () -> setMaxInFlight(Checks.toInt(r.integer("maxInFlight", DEFAULT_MAX_IN_FLIGHT))));
    }
    r.set("timeout", () -> setTimeout(r.integer("timeout", timeout)));
  }

  /** @return {@code json} with this part added (the headers included: they are configuration) */
  JsonObject write(JsonObject json) {
    if (url == null) {
      json.put("address", address);
    } else {
      json.put("url", url).put("headers", new JsonObject(new LinkedHashMap<>(headers))).put("maxInFlight", maxInFlight);
    }
    return json.put("timeout", timeout);
  }

  @SuppressWarnings("unchecked")
  T self() {
    return (T) this;
  }

  /** @return the event-bus address, or {@code null} when the requests go to a URL */
  public String getAddress() {
    return address;
  }

  /**
   * @param address the event-bus address the application consumes; not one of Roomcast's own
   *     ({@code roomcast.*}) nor Vert.x's ({@code __vertx.*}). Requests go to an address or to a
   *     URL: this clears the URL.
   * @return this
   */
  public T setAddress(String address) {
    Objects.requireNonNull(address, "address");
    Checks.require(!address.isEmpty(), kind + "'s address must not be empty");
    Checks.require(!address.startsWith("roomcast.") && !address.startsWith("__vertx."),
      kind + "'s address must not be one of Roomcast's (roomcast.*) or Vert.x's (__vertx.*), got " + address);
    this.address = address;
    this.url = null;
    return self();
  }

  /** @return the HTTP backend's URL, or {@code null} when the requests go to an event-bus address */
  public String getUrl() {
    return url;
  }

  /**
   * @param url the HTTP backend the requests are POSTed to: an absolute {@code http://} or
   *     {@code https://} URL with a host and no credentials. This clears the address.
   * @return this
   */
  public T setUrl(String url) {
    this.url = HttpTargets.url(kind + "'s url", url);
    this.address = null;
    return self();
  }

  /** @return the headers sent with every request to the HTTP backend */
  public Map<String, String> getHeaders() {
    return new LinkedHashMap<>(headers);
  }

  /**
   * @param headers headers sent with every request to the HTTP backend, e.g. an API key: names are
   *     HTTP tokens, values have no line breaks, and {@code content-type}, {@code content-length}
   *     and {@code host} are Roomcast's
   * @return this
   */
  public T setHeaders(Map<String, String> headers) {
    this.headers = HttpTargets.headers(headers);
    return self();
  }

  /** @return how many requests to the HTTP backend one node has in flight at most */
  public int getMaxInFlight() {
    return maxInFlight;
  }

  /**
   * @param maxInFlight how many requests to the HTTP backend one node has in flight at most; one
   *     more fails at once, as a timeout would (default {@value #DEFAULT_MAX_IN_FLIGHT})
   * @return this
   */
  public T setMaxInFlight(int maxInFlight) {
    this.maxInFlight = Checks.between("maxInFlight", maxInFlight, 1, 1_000_000);
    return self();
  }

  /** @return ms the application has to answer a request */
  public long getTimeout() {
    return timeout;
  }

  /**
   * @param timeout ms the application has to answer a request (never the event bus's 30 s default)
   * @return this
   */
  public T setTimeout(long timeout) {
    this.timeout = Checks.atLeast("timeout", timeout, 1);
    return self();
  }
}
