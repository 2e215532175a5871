package io.roomcast.gateway.node;

import io.roomcast.gateway.impl.options.Checks;
import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A scoped key for the management API (docs/OPERATIONS.md, "API keys"): given as
 * {@code Authorization: Bearer <key>}, it allows what its scopes name and nothing else (403).
 * JSON form: {@code {"name":"billing","key":"...","scopes":["publish","read"]}}. The name is
 * what answers and logs say; the key is never said.
 */
public final class ApiKeyOptions {

  /** What a key may do on the management API. */
  public static final List<String> SCOPES = List.of(
    "read",     // GET /admin/...: nodes, rooms, members, history, presence, users, stats
    "publish",  // POST /admin/rooms/{room}/publish
    "send",     // POST /admin/clients/{id}/send, /admin/users/{user}/send
    "kick",     // POST /admin/clients/{id}/kick, /admin/users/{user}/kick
    "metrics",  // GET /metrics
    "admin");   // all of the above, as the management token
  /** The shortest key taken: a key is a secret, not a password to remember. */
  public static final int MIN_KEY_LENGTH = 16;

  private static final Set<String> KEYS = Set.of("name", "key", "scopes");

  private final String name;
  private final String key;
  private final Set<String> scopes;

  /**
   * @param name what answers and logs call the key (letters, digits, {@code . _ -})
   * @param key the secret, at least {@value #MIN_KEY_LENGTH} characters
   * @param scopes some of {@link #SCOPES}, at least one
   */
  public ApiKeyOptions(String name, String key, List<String> scopes) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(scopes, "scopes");
    Checks.require(name.matches("[A-Za-z0-9._-]{1,64}"), "an API key's name is 1 to 64 letters, digits, '.', '_' or '-', got \""
      + name + "\"");
    Checks.require(key.length() >= MIN_KEY_LENGTH && key.chars().allMatch(c -> c > ' ' && c < 127),
      "the API key \"" + name + "\" must be at least " + MIN_KEY_LENGTH + " printable characters without spaces");
    Checks.require(!scopes.isEmpty(), "the API key \"" + name + "\" needs at least one scope of " + SCOPES);
    for (String scope : scopes) {
      Checks.require(SCOPES.contains(scope), "the API key \"" + name + "\" has an unknown scope \"" + scope + "\"; scopes: " + SCOPES);
    }
    this.name = name;
    this.key = key;
    this.scopes = new LinkedHashSet<>(scopes);
  }

  /**
   * @param json the key as JSON; unknown keys and wrong types are refused
   * @param where where it is in the configuration, for messages
   */
  static ApiKeyOptions fromJson(JsonObject json, String where) {
    JsonOptionsReader r = new JsonOptionsReader(json, where, KEYS);
    String name = r.string("name", null);
    String key = r.string("key", null);
    Checks.require(name != null, "option \"" + r.path("name") + "\" is required");
    Checks.require(key != null, "option \"" + r.path("key") + "\" is required");
    return new ApiKeyOptions(name, key, r.strings("scopes", List.of()));
  }

  public String getName() {
    return name;
  }

  public String getKey() {
    return key;
  }

  /** @return the scopes, in the order given */
  public Set<String> getScopes() {
    return new LinkedHashSet<>(scopes);
  }

  /** @return these options as JSON (the key included: it is configuration) */
  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("key", key).put("scopes", new JsonArray(List.copyOf(scopes)));
  }
}
