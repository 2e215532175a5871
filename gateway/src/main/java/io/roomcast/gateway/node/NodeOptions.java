package io.roomcast.gateway.node;

import io.roomcast.gateway.ClusterTlsOptions;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.impl.options.Checks;
import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Options of a runnable node: the {@link GatewayOptions} it serves, and what only a node has, its
 * management server, its drain and its cluster. JSON form, what {@code --conf FILE} holds:
 * <pre>{@code
 * {"node": {"managementPort": 8081, "cluster": true, ...},
 *  "port": 8080, "hubs": [{"name": "default", "path": "/ws"}]}
 * }</pre>
 * The node's keys were once at the top level beside the gateway's; that spelling is still read,
 * as a deprecated alias, and a node logs a warning for it. Setters validate and throw
 * {@code IllegalArgumentException}.
 */
public class NodeOptions {

  /** The default management port (health, metrics, admin API): {@value}. */
  public static final int DEFAULT_MANAGEMENT_PORT = 8081;
  /** The default bind address of the management port: {@value}, reachable from this machine only. */
  public static final String DEFAULT_MANAGEMENT_HOST = "127.0.0.1";
  /** The default cluster configuration: {@value}. */
  public static final String DEFAULT_CLUSTER_CONFIG = "loopback";
  /** How long a node's drain (SIGTERM) may take before the process exits anyway, in ms: {@value}. */
  public static final long DEFAULT_DRAIN_TIMEOUT = 10_000;
  /** How many clients a node runs through its own paths before it serves, at most: {@value}. */
  public static final int DEFAULT_WARMUP_CONNECTIONS = 20_000;
  /** The nice value of the JIT's compiler threads once the node serves: {@value}, about a tenth of a busy core. */
  public static final int DEFAULT_JIT_NICE = 10;
  /** The shortest management token accepted, in characters: {@value}. */
  public static final int MIN_MANAGEMENT_TOKEN_LENGTH = 16;

  /** The key of the node's section in the JSON form. */
  static final String SECTION = "node";
  private static final Set<String> KEYS = Set.of("managementPort", "managementHost", "managementToken", "apiKeys", "drainTimeout",
    "warmupConnections", "jitNice", "cluster", "clusterConfig", "clusterTls");

  private GatewayOptions gateway = new GatewayOptions();
  private int managementPort = DEFAULT_MANAGEMENT_PORT;
  private String managementHost = DEFAULT_MANAGEMENT_HOST;
  private String managementToken;
  private List<ApiKeyOptions> apiKeys = List.of();
  private long drainTimeout = DEFAULT_DRAIN_TIMEOUT;
  private int warmupConnections = DEFAULT_WARMUP_CONNECTIONS;
  private int jitNice = DEFAULT_JIT_NICE;
  private boolean cluster;
  private String clusterConfig = DEFAULT_CLUSTER_CONFIG;
  private ClusterTlsOptions clusterTls;

  /** Options with every default, and the gateway's defaults. */
  public NodeOptions() {
  }

  /** @param gateway the gateway the node serves (copied); every node option on its default */
  public NodeOptions(GatewayOptions gateway) {
    setGateway(gateway);
  }

  /** @param other options to copy */
  public NodeOptions(NodeOptions other) {
    this.gateway = new GatewayOptions(other.gateway);
    this.managementPort = other.managementPort;
    this.managementHost = other.managementHost;
    this.managementToken = other.managementToken;
    this.apiKeys = other.apiKeys;
    this.drainTimeout = other.drainTimeout;
    this.warmupConnections = other.warmupConnections;
    this.jitNice = other.jitNice;
    this.cluster = other.cluster;
    this.clusterConfig = other.clusterConfig;
    this.clusterTls = other.clusterTls == null ? null : new ClusterTlsOptions(other.clusterTls);
  }

  /**
   * @param json the node's section under {@code "node"}, and the gateway's keys beside it; a node
   *     key at the top level is read as if it were in the section (deprecated), unless the
   *     section has it too
   * @throws IllegalArgumentException naming the bad key by its path ({@code node.drainTimeout})
   */
  public NodeOptions(JsonObject json) {
    JsonObject gatewayJson = json.copy();
    Object sectionValue = gatewayJson.remove(SECTION);
    Checks.require(sectionValue == null || sectionValue instanceof JsonObject, "option \"" + SECTION + "\" must be an object");
    JsonObject section = sectionValue == null ? new JsonObject() : (JsonObject) sectionValue;
    JsonObject aliases = new JsonObject();
    for (String key : topLevelKeys(json)) {
      Checks.require(!section.containsKey(key), "option \"" + key + "\" is given twice: at the top level (deprecated) and as \""
        + SECTION + "." + key + "\"");
      aliases.put(key, gatewayJson.remove(key));
    }
    this.gateway = new GatewayOptions(gatewayJson);
    // An alias is named as it was written, so that a message points at the line to fix.
    read(new JsonOptionsReader(aliases, null, KEYS));
    read(new JsonOptionsReader(section, SECTION, KEYS));
  }

  /** Sets what the reader's object holds; an absent key keeps its current value. */
  private void read(JsonOptionsReader r) {
    r.set("managementPort", () -> setManagementPort(Checks.toInt(r.integer("managementPort", managementPort))));
    r.set("managementHost", () -> setManagementHost(r.string("managementHost", managementHost)));
    r.set("managementToken", () -> setManagementToken(r.string("managementToken", managementToken)));
    List<JsonObject> keys = r.objects("apiKeys");
    if (keys != null) {
      List<ApiKeyOptions> parsed = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        parsed.add(ApiKeyOptions.fromJson(keys.get(i), r.path("apiKeys[" + i + "]")));
      }
      r.set("apiKeys", () -> setApiKeys(parsed));
    }
    r.set("drainTimeout", () -> setDrainTimeout(r.integer("drainTimeout", drainTimeout)));
    r.set("warmupConnections", () -> setWarmupConnections(Checks.toInt(r.integer("warmupConnections", warmupConnections))));
    r.set("jitNice", () -> setJitNice(Checks.toInt(r.integer("jitNice", jitNice))));
    r.set("cluster", () -> setCluster(r.bool("cluster", cluster)));
    r.set("clusterConfig", () -> setClusterConfig(r.string("clusterConfig", clusterConfig)));
    JsonObject tls = r.object("clusterTls");
    if (tls != null) {
      r.set("clusterTls", () -> setClusterTls(new ClusterTlsOptions(tls)));
    }
  }

  /**
   * @param json the JSON form of node options
   * @return the node keys it has at the top level, the deprecated spelling, in a stable order
   */
  static List<String> topLevelKeys(JsonObject json) {
    List<String> keys = new ArrayList<>();
    for (String key : json.fieldNames()) {
      if (KEYS.contains(key)) {
        keys.add(key);
      }
    }
    keys.sort(null);
    return keys;
  }

  /** @return these options as JSON: the gateway's keys, and the node's section (the token included when set) */
  public JsonObject toJson() {
    JsonObject section = new JsonObject()
      .put("managementPort", managementPort)
      .put("managementHost", managementHost)
      .put("drainTimeout", drainTimeout)
      .put("warmupConnections", warmupConnections)
      .put("jitNice", jitNice)
      .put("cluster", cluster)
      .put("clusterConfig", clusterConfig);
    if (managementToken != null) {
      section.put("managementToken", managementToken);
    }
    if (!apiKeys.isEmpty()) {
      section.put("apiKeys", new JsonArray(apiKeys.stream().map(ApiKeyOptions::toJson).toList()));
    }
    if (clusterTls != null) {
      section.put("clusterTls", clusterTls.toJson());
    }
    return gateway.toJson().put(SECTION, section);
  }

  /**
   * The rules that span several options, checked before a node starts: the management API is
   * never served on the WebSocket port, and is not reachable from other machines without a token.
   *
   * @throws IllegalArgumentException naming the options at fault
   */
  public void validate() {
    int port = gateway.getPort();
    Checks.require(port == 0 || port != managementPort, "managementPort must differ from port (both " + port
      + "): the management API is never served on the WebSocket port");
    Checks.require(managementToken != null || !apiKeys.isEmpty() || isLoopback(managementHost), "managementHost " + managementHost
      + " is reachable from other machines: set managementToken (or ROOMCAST_MANAGEMENT_TOKEN) or apiKeys (or ROOMCAST_API_KEYS)"
      + " to protect the admin API, or bind it to 127.0.0.1");
    for (ApiKeyOptions k : apiKeys) {
      Checks.require(!k.getKey().equals(managementToken), "the API key \"" + k.getName() + "\" is the management token:"
        + " a key with scopes must be a key of its own");
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("managementHost " + host + ": unknown host");
    }
  }

  /**
   * The gateway's options themselves, not a copy, the way Vert.x's
   * {@code VertxOptions.getEventBusOptions()} is: {@code options.getGateway().setPort(0)}.
   *
   * @return the options of the gateway the node serves
   */
  public GatewayOptions getGateway() {
    return gateway;
  }

  /**
   * @param gateway the options of the gateway the node serves (copied)
   * @return this
   */
  public NodeOptions setGateway(GatewayOptions gateway) {
    this.gateway = new GatewayOptions(Objects.requireNonNull(gateway, "gateway"));
    return this;
  }

  /** @return the management port */
  public int getManagementPort() {
    return managementPort;
  }

  /**
   * @param managementPort 0 (any free port) to 65535; never the WebSocket port
   * @return this
   */
  public NodeOptions setManagementPort(int managementPort) {
    this.managementPort = Checks.between("port", managementPort, 0, 65535);
    return this;
  }

  /** @return the bind address of the management port */
  public String getManagementHost() {
    return managementHost;
  }

  /**
   * @param managementHost a bind address; anything but loopback exposes the admin API, and needs a token
   * @return this
   */
  public NodeOptions setManagementHost(String managementHost) {
    this.managementHost = Checks.notBlank("managementHost", managementHost);
    return this;
  }

  /** @return the Bearer token the management API asks for, or {@code null} when none is required */
  public String getManagementToken() {
    return managementToken;
  }

  /**
   * A node whose management port is bound to anything but loopback refuses to start without a
   * token. The token is never logged nor printed by {@link #toString()}.
   *
   * @param managementToken at least {@value #MIN_MANAGEMENT_TOKEN_LENGTH} visible ASCII characters
   *     (no spaces), or {@code null} for none
   * @return this
   */
  public NodeOptions setManagementToken(String managementToken) {
    if (managementToken != null) {
      // The value itself never goes into the message: it may end up in a log.
      Checks.require(managementToken.length() >= MIN_MANAGEMENT_TOKEN_LENGTH, "managementToken must be at least "
        + MIN_MANAGEMENT_TOKEN_LENGTH + " characters, got " + managementToken.length());
      Checks.require(managementToken.chars().allMatch(ch -> ch > ' ' && ch <= '~'),
        "managementToken must be visible ASCII characters without spaces");
    }
    this.managementToken = managementToken;
    return this;
  }

  /** @return the management API's scoped keys */
  public List<ApiKeyOptions> getApiKeys() {
    return apiKeys;
  }

  /**
   * Keys of their own for the management API, each allowed what its scopes name (403 for the
   * rest), beside the management token, which is allowed everything. Never logged nor printed by
   * {@link #toString()}.
   *
   * @param apiKeys the keys: names and keys each unique, no key the management token
   * @return this
   */
  public NodeOptions setApiKeys(List<ApiKeyOptions> apiKeys) {
    Objects.requireNonNull(apiKeys, "apiKeys");
    Set<String> names = new HashSet<>();
    Set<String> secrets = new HashSet<>();
    for (ApiKeyOptions k : apiKeys) {
      Checks.require(names.add(k.getName()), "two API keys are named \"" + k.getName() + "\"");
      Checks.require(secrets.add(k.getKey()), "the API key \"" + k.getName() + "\" is the same as another key");
    }
    this.apiKeys = List.copyOf(apiKeys);
    return this;
  }

  /** @return how long a drain may take before the node's process exits anyway, in ms */
  public long getDrainTimeout() {
    return drainTimeout;
  }

  /**
   * @param drainTimeout how long a node's drain (readiness down, clients closed with 1001, cluster
   *     left) may take before the process exits anyway, in ms (100 to 600000)
   * @return this
   */
  public NodeOptions setDrainTimeout(long drainTimeout) {
    this.drainTimeout = Checks.between("drainTimeout", drainTimeout, 100, 600_000, "ms");
    return this;
  }

  /** @return how many clients the node runs through its own paths before it serves, at most; 0 for none */
  public int getWarmupConnections() {
    return warmupConnections;
  }

  /**
   * @param warmupConnections how many clients, at most, the node runs through its handshake,
   *     join, publish and delivery paths, on a gateway of its own, before it serves (0 to 100000;
   *     0 for none); it stops sooner once the JIT has settled: a node that has just started then
   *     takes its first clients as fast as its later ones
   * @return this
   */
  public NodeOptions setWarmupConnections(int warmupConnections) {
    this.warmupConnections = (int) Checks.between("warmupConnections", warmupConnections, 0, 100_000, "connections");
    return this;
  }

  /** @return the nice value the JIT's compiler threads get once the node serves; 0 leaves them as started */
  public int getJitNice() {
    return jitNice;
  }

  /**
   * @param jitNice the nice value (0 to 19) of the JIT's compiler threads once the node serves:
   *     by default 10, so that code the warm-up did not compile is compiled mostly in the cores'
   *     idle time rather than in half of a busy event loop's core, and still in about a tenth of a
   *     saturated one (at 19 a saturated node that had code deoptimized ran it uncompiled for
   *     seconds); 0 leaves them as the JVM started them
   * @return this
   */
  public NodeOptions setJitNice(int jitNice) {
    this.jitNice = (int) Checks.between("jitNice", jitNice, 0, 19, null);
    return this;
  }

  /** @return whether the node joins a cluster */
  public boolean isCluster() {
    return cluster;
  }

  /**
   * @param cluster {@code true} to join a cluster through the Hazelcast cluster manager
   * @return this
   */
  public NodeOptions setCluster(boolean cluster) {
    this.cluster = cluster;
    return this;
  }

  /** @return the cluster configuration: a name shipped in cluster-config, or a file */
  public String getClusterConfig() {
    return clusterConfig;
  }

  /**
   * @param clusterConfig a configuration name ({@code loopback}, {@code kubernetes}) or a file path
   * @return this
   */
  public NodeOptions setClusterConfig(String clusterConfig) {
    this.clusterConfig = Checks.notBlank("clusterConfig", clusterConfig);
    return this;
  }

  /** @return the TLS of the event-bus links between nodes, or {@code null} for plain TCP */
  public ClusterTlsOptions getClusterTls() {
    return clusterTls == null ? null : new ClusterTlsOptions(clusterTls);
  }

  /**
   * @param clusterTls TLS with client certificates between nodes (every node must use it), or
   *     {@code null} for plain TCP on the private cluster network
   * @return this
   */
  public NodeOptions setClusterTls(ClusterTlsOptions clusterTls) {
    if (clusterTls != null) {
      clusterTls.validate();
    }
    this.clusterTls = clusterTls == null ? null : new ClusterTlsOptions(clusterTls);
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeOptions && toJson().equals(((NodeOptions) o).toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    JsonObject json = toJson();
    JsonObject section = json.getJsonObject(SECTION);
    if (section.containsKey("managementToken")) {
      section.put("managementToken", "***");
    }
    JsonArray keys = section.getJsonArray("apiKeys");
    if (keys != null) {
      keys.forEach(k -> ((JsonObject) k).put("key", "***"));
    }
    return "NodeOptions" + json.encode();
  }
}
