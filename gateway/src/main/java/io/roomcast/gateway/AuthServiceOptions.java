package io.roomcast.gateway;

import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * A service that decides who a connection is (docs/SERVICES.md, "A service that authenticates
 * connections"), instead of a JWT: each handshake is a request to {@code address} on the event
 * bus, or with {@code url} instead a POST to an HTTP backend, with what the browser sent (path,
 * query, headers and their cookies, token); the answer {@code {"claims": {...}}} within the
 * timeout admits the connection with those claims, anything else refuses it with 401. JSON form
 * (the hub's {@code auth.service}):
 * {@code {"address":"app.authenticate","timeout":1000}}, or
 * {@code {"url":"http://127.0.0.1:8000/authenticate","headers":{"x-api-key":"..."},"maxInFlight":256}}.
 */
public class AuthServiceOptions extends BackendOptions<AuthServiceOptions> {

  /** How long the service has to answer by default, in ms: {@value}. */
  public static final long DEFAULT_TIMEOUT = 1_000;

  private static final Set<String> KEYS = keysWith();

  /** @param address the event-bus address of the service that authenticates */
  public AuthServiceOptions(String address) {
    this();
    setAddress(address);
  }

  /**
   * @param url the authenticating HTTP backend's URL, {@code http://} or {@code https://}
   * @return options that POST each handshake to {@code url}
   */
  public static AuthServiceOptions http(String url) {
    return new AuthServiceOptions().setUrl(url);
  }

  private AuthServiceOptions() {
    super("an authentication service", DEFAULT_TIMEOUT);
  }

  /** @param other options to copy */
  public AuthServiceOptions(AuthServiceOptions other) {
    super(other);
  }

  /**
   * @param json options as JSON; unknown keys and wrong types are refused
   * @throws IllegalArgumentException naming the bad key
   */
  public AuthServiceOptions(JsonObject json) {
    this(json, null);
  }

  AuthServiceOptions(JsonObject json, String where) {
    this();
    read(new JsonOptionsReader(json, where, KEYS), json);
  }

  /** @return these options as JSON (the headers included: they are configuration) */
  public JsonObject toJson() {
    return write(new JsonObject());
  }
}
