package io.roomcast.gateway;

import io.roomcast.gateway.impl.options.Checks;
import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.Set;

/**
 * Which custom events of a hub's clients go to a service (docs/SERVICES.md): a matching event
 * becomes a request to {@code address} on the event bus, served by whichever consumer the cluster
 * picks, in this process or any other; or, with {@code url} instead, a POST to an HTTP backend in
 * any language. The service's answer becomes the client's reply; no answer in time, or one
 * request over {@code maxInFlight}, is {@code unavailable}. Nothing is forwarded that no rule
 * names. JSON form:
 * {@code {"events":"order.*","address":"app.orders","timeout":5000,"claims":["sub"]}}, or
 * {@code {"events":"order.*","url":"http://127.0.0.1:8000/orders","headers":{"x-api-key":"..."},"maxInFlight":256}}.
 */
public class ServiceOptions extends BackendRuleOptions<ServiceOptions> {

  /** How long a service has to answer by default, in ms: {@value}. */
  public static final long DEFAULT_TIMEOUT = 5_000;

  private static final Set<String> KEYS = keysWith("events", "claims");

  private String events;

  /**
   * @param events the event pattern ({@code *} = any run of characters)
   * @param address the event-bus address of the service
   */
  public ServiceOptions(String events, String address) {
    this();
    setEvents(events);
    setAddress(address);
  }

  /**
   * @param events the event pattern ({@code *} = any run of characters)
   * @param url the HTTP backend's URL, {@code http://} or {@code https://}
   * @return a rule that POSTs the matching events to {@code url}
   */
  public static ServiceOptions http(String events, String url) {
    return new ServiceOptions().setEvents(events).setUrl(url);
  }

  private ServiceOptions() {
    super("a service rule", DEFAULT_TIMEOUT);
  }

  /** @param other options to copy */
  public ServiceOptions(ServiceOptions other) {
    super(other);
    this.events = other.events;
  }

  /**
   * @param json options as JSON; unknown keys and wrong types are refused
   * @throws IllegalArgumentException naming the bad key
   */
  public ServiceOptions(JsonObject json) {
    this(json, null);
  }

  ServiceOptions(JsonObject json, String where) {
    this();
    JsonOptionsReader r = new JsonOptionsReader(json, where, KEYS);
    String pattern = r.string("events", null);
    Checks.require(pattern != null, "option \"" + r.path("events") + "\" is required");
    r.set("events", () -> setEvents(pattern));
    read(r, json);
  }

  /** @return these options as JSON (the headers included: they are configuration) */
  public JsonObject toJson() {
    return write(new JsonObject().put("events", events));
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
}
