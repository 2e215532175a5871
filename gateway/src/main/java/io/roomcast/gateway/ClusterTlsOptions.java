package io.roomcast.gateway;

import io.roomcast.gateway.impl.options.Checks;
import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;

import java.util.Set;

/**
 * TLS with client certificates on the event-bus links between nodes (the {@code clusterTls}
 * object of a node's options). Every node presents its certificate from a PKCS#12 key store and
 * accepts only peers whose certificate chains to its trust store, in both directions: a node
 * whose certificate is not trusted gets no message through either way. Hazelcast's own member
 * traffic (membership and the subscription table) is not covered: keep the cluster network
 * private and Hazelcast bound to its interface (see cluster-config).
 */
public class ClusterTlsOptions {

  private static final Set<String> KEYS = Set.of("keyStore", "keyStorePassword", "trustStore", "trustStorePassword");

  private String keyStore;
  private String keyStorePassword;
  private String trustStore;
  private String trustStorePassword;

  /** Empty options: a key store and a trust store are required. */
  public ClusterTlsOptions() {
  }

  /** @param other options to copy */
  public ClusterTlsOptions(ClusterTlsOptions other) {
    this.keyStore = other.keyStore;
    this.keyStorePassword = other.keyStorePassword;
    this.trustStore = other.trustStore;
    this.trustStorePassword = other.trustStorePassword;
  }

  /**
   * @param json options as JSON
   * @throws IllegalArgumentException naming the bad key
   */
  public ClusterTlsOptions(JsonObject json) {
    this(json, null);
  }

  ClusterTlsOptions(JsonObject json, String where) {
    JsonOptionsReader r = new JsonOptionsReader(json, where, KEYS);
    r.set("keyStore", () -> setKeyStore(r.string("keyStore", null)));
    r.set("keyStorePassword", () -> setKeyStorePassword(r.string("keyStorePassword", null)));
    r.set("trustStore", () -> setTrustStore(r.string("trustStore", null)));
    r.set("trustStorePassword", () -> setTrustStorePassword(r.string("trustStorePassword", null)));
    r.set(json.containsKey("keyStore") ? "trustStore" : "keyStore", this::validate);
  }

  /**
   * @throws IllegalArgumentException unless both stores are given
   */
  public void validate() {
    Checks.require(keyStore != null && !keyStore.isBlank(), "keyStore (a PKCS#12 file with this node's key and certificate) is required");
    Checks.require(trustStore != null && !trustStore.isBlank(), "trustStore (a PKCS#12 file with the certificates this node trusts) is required");
  }

  /**
   * Turns TLS with required client certificates on for the event bus.
   *
   * @param eventBus the event-bus options of a clustered Vert.x
   * @return {@code eventBus}
   */
  public EventBusOptions applyTo(EventBusOptions eventBus) {
    validate();
    return eventBus
      .setSsl(true)
      // The event bus trusts every server by default: a node would send to any certificate.
      .setTrustAll(false)
      .setClientAuth(ClientAuth.REQUIRED)
      .setKeyCertOptions(new PfxOptions().setPath(keyStore).setPassword(keyStorePassword))
      .setTrustOptions(new PfxOptions().setPath(trustStore).setPassword(trustStorePassword));
  }

  /** @return these options as JSON (passwords included: it is configuration) */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (keyStore != null) {
      json.put("keyStore", keyStore);
    }
    if (keyStorePassword != null) {
      json.put("keyStorePassword", keyStorePassword);
    }
    if (trustStore != null) {
      json.put("trustStore", trustStore);
    }
    if (trustStorePassword != null) {
      json.put("trustStorePassword", trustStorePassword);
    }
    return json;
  }

  public String getKeyStore() {
    return keyStore;
  }

  /**
   * @param keyStore path of a PKCS#12 file holding this node's private key and certificate chain
   * @return this
   */
  public ClusterTlsOptions setKeyStore(String keyStore) {
    this.keyStore = keyStore;
    return this;
  }

  public String getKeyStorePassword() {
    return keyStorePassword;
  }

  /**
   * @param keyStorePassword the key store's password
   * @return this
   */
  public ClusterTlsOptions setKeyStorePassword(String keyStorePassword) {
    this.keyStorePassword = keyStorePassword;
    return this;
  }

  public String getTrustStore() {
    return trustStore;
  }

  /**
   * @param trustStore path of a PKCS#12 file holding the certificates (typically one CA) that
   *     peers' certificates must chain to
   * @return this
   */
  public ClusterTlsOptions setTrustStore(String trustStore) {
    this.trustStore = trustStore;
    return this;
  }

  public String getTrustStorePassword() {
    return trustStorePassword;
  }

  /**
   * @param trustStorePassword the trust store's password
   * @return this
   */
  public ClusterTlsOptions setTrustStorePassword(String trustStorePassword) {
    this.trustStorePassword = trustStorePassword;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterTlsOptions && toJson().equals(((ClusterTlsOptions) o).toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return "ClusterTlsOptions[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
  }
}
