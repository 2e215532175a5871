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
 * How a hub verifies JSON Web Tokens (the {@code auth.jwt} object of a hub's options). The token
 * comes from {@code Authorization: Bearer} or the {@code access_token} query parameter; a missing
 * or invalid one is refused with HTTP 401 before the upgrade.
 */
public class JwtOptions {

  /** The default clock skew allowed on {@code exp}, {@code nbf} and {@code iat}, in seconds: {@value}. */
  public static final long DEFAULT_LEEWAY = 0;

  private static final Set<String> ALGORITHMS = Set.of("HS256", "RS256", "ES256");
  private static final Set<String> KEYS = Set.of("algorithm", "secret", "publicKey", "issuer", "audience", "leeway");

  private String algorithm = "HS256";
  private String secret;
  private String publicKey;
  private String issuer;
  private List<String> audience = new ArrayList<>();
  private long leeway = DEFAULT_LEEWAY;

  /** Options to fill in: HS256 needs a secret, RS256 and ES256 a public key. */
  public JwtOptions() {
  }

  /** @param other options to copy */
  public JwtOptions(JwtOptions other) {
    this.algorithm = other.algorithm;
    this.secret = other.secret;
    this.publicKey = other.publicKey;
    this.issuer = other.issuer;
    this.audience = new ArrayList<>(other.audience);
    this.leeway = other.leeway;
  }

  /**
   * @param json options as JSON
   * @throws IllegalArgumentException naming the bad key
   */
  public JwtOptions(JsonObject json) {
    this(json, null);
  }

  JwtOptions(JsonObject json, String where) {
    JsonOptionsReader r = new JsonOptionsReader(json, where, KEYS);
    r.set("algorithm", () -> setAlgorithm(r.string("algorithm", "HS256")));
    r.set("secret", () -> setSecret(r.string("secret", null)));
    r.set("publicKey", () -> setPublicKey(r.string("publicKey", null)));
    r.set("issuer", () -> setIssuer(r.string("issuer", null)));
    if (json.getValue("audience") instanceof String) {
      r.set("audience", () -> setAudience(List.of(json.getString("audience"))));
    } else {
      r.set("audience", () -> setAudience(r.strings("audience", List.of())));
    }
    r.set("leeway", () -> setLeeway(r.integer("leeway", DEFAULT_LEEWAY)));
    r.set(json.containsKey("secret") ? "secret" : "publicKey", this::validate);
  }

  /**
   * @throws IllegalArgumentException when the algorithm has no key to verify with
   */
  public void validate() {
    if (algorithm.equals("HS256")) {
      Checks.require(secret != null && !secret.isEmpty(), "HS256 needs a secret");
    } else {
      Checks.require(publicKey != null && !publicKey.isEmpty(), algorithm + " needs a publicKey (PEM)");
    }
  }

  /** @return these options as JSON (the secret included: it is configuration) */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("algorithm", algorithm);
    if (secret != null) {
      json.put("secret", secret);
    }
    if (publicKey != null) {
      json.put("publicKey", publicKey);
    }
    if (issuer != null) {
      json.put("issuer", issuer);
    }
    return json.put("audience", new JsonArray(new ArrayList<>(audience))).put("leeway", leeway);
  }

  public String getAlgorithm() {
    return algorithm;
  }

  /**
   * @param algorithm {@code HS256}, {@code RS256} or {@code ES256}
   * @return this
   */
  public JwtOptions setAlgorithm(String algorithm) {
    Checks.require(ALGORITHMS.contains(algorithm), "algorithm must be one of " + ALGORITHMS + ", got " + algorithm);
    this.algorithm = algorithm;
    return this;
  }

  public String getSecret() {
    return secret;
  }

  /**
   * @param secret the shared secret of HS256
   * @return this
   */
  public JwtOptions setSecret(String secret) {
    this.secret = secret;
    return this;
  }

  public String getPublicKey() {
    return publicKey;
  }

  /**
   * @param publicKey the PEM public key of RS256 or ES256
   * @return this
   */
  public JwtOptions setPublicKey(String publicKey) {
    this.publicKey = publicKey;
    return this;
  }

  public String getIssuer() {
    return issuer;
  }

  /**
   * @param issuer the required {@code iss}, or {@code null} for any
   * @return this
   */
  public JwtOptions setIssuer(String issuer) {
    this.issuer = issuer;
    return this;
  }

  public List<String> getAudience() {
    return new ArrayList<>(audience);
  }

  /**
   * @param audience accepted {@code aud} values; empty for any
   * @return this
   */
  public JwtOptions setAudience(List<String> audience) {
    this.audience = new ArrayList<>(Objects.requireNonNull(audience, "audience"));
    return this;
  }

  public long getLeeway() {
    return leeway;
  }

  /**
   * @param leeway clock skew allowed, in seconds (0 to 3600)
   * @return this
   */
  public JwtOptions setLeeway(long leeway) {
    this.leeway = Checks.between("leeway", leeway, 0, 3600, "seconds");
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JwtOptions && toJson().equals(((JwtOptions) o).toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    // Never print the secret.
    return "JwtOptions[" + algorithm + (issuer != null ? ", issuer=" + issuer : "") + "]";
  }
}
