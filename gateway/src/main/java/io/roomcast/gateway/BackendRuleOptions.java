package io.roomcast.gateway;

import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A backend that acts for a client already connected ({@link ServiceOptions},
 * {@link AuthorizerOptions}): each request carries the client, with those of its claims that
 * {@code claims} names.
 *
 * @param <T> the options' own type, which the setters return
 */
public abstract class BackendRuleOptions<T extends BackendRuleOptions<T>> extends BackendOptions<T> {

  private List<String> claims = new ArrayList<>();

  BackendRuleOptions(String kind, long timeout) {
    super(kind, timeout);
  }

  BackendRuleOptions(BackendRuleOptions<T> other) {
    super(other);
    this.claims = new ArrayList<>(other.claims);
  }

  @Override
  void read(JsonOptionsReader r, JsonObject json) {
    super.read(r, json);
    r.set("claims", () -> setClaims(r.strings("claims", List.of())));
  }

  @Override
  JsonObject write(JsonObject json) {
    return super.write(json).put("claims", new JsonArray(new ArrayList<>(claims)));
  }

  /** @return the claims of the client passed on with each request */
  public List<String> getClaims() {
    return new ArrayList<>(claims);
  }

  /**
   * @param claims the names of the client's claims passed on with each request (none by default:
   *     a token's claims are the application's to share)
   * @return this
   */
  public T setClaims(List<String> claims) {
    Objects.requireNonNull(claims, "claims");
    this.claims = new ArrayList<>(claims);
    return self();
  }
}
