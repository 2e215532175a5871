package io.roomcast.gateway;

import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Options of a gateway node: its hubs, its ports, and whether it joins a cluster. The JSON form
 * is what {@code --conf FILE} holds: {@code {"hubs":[{"name":"default","path":"/ws", ...}], "port":8080}}.
 * Setters validate and throw {@code IllegalArgumentException}.
 */
public class GatewayOptions {

  /** The default WebSocket and page port: {@value}. */
  public static final int DEFAULT_PORT = 8080;
  /** The default bind address of that port: {@value}. */
  public static final String DEFAULT_HOST = "0.0.0.0";
  /** The default management port (health, metrics, admin API): {@value}. */
  public static final int DEFAULT_MANAGEMENT_PORT = 8081;
  /** The default bind address of the management port: {@value}, reachable from this machine only. */
  public static final String DEFAULT_MANAGEMENT_HOST = "127.0.0.1";
  /** The default path of the built-in echo endpoint: {@value}. */
  public static final String DEFAULT_ECHO_PATH = "/ws/echo";
  /** The default largest message of the echo endpoint, in bytes: {@value}. A larger one closes with 1009. */
  public static final int DEFAULT_ECHO_MAX_MESSAGE_SIZE = RawEndpoint.DEFAULT_MAX_MESSAGE_SIZE;
  /** The default number of frames one message to the echo endpoint may be split into: {@value}. */
  public static final int DEFAULT_ECHO_MAX_FRAGMENTS = RawEndpoint.DEFAULT_MAX_FRAGMENTS;
  /** The default cluster configuration: {@value}. */
  public static final String DEFAULT_CLUSTER_CONFIG = "loopback";
  /** How long a direct message, a command or a cluster-wide question waits for a node, in ms: {@value}. */
  public static final long DEFAULT_REQUEST_TIMEOUT = 3000;
  /** Server instances (event loops serving connections) by default: one per core. */
  public static final int DEFAULT_SERVER_INSTANCES = Math.max(1, Runtime.getRuntime().availableProcessors());
  /** How long a node's drain (SIGTERM) may take before the process exits anyway, in ms: {@value}. */
  public static final long DEFAULT_DRAIN_TIMEOUT = 10_000;
  /** The shortest management token accepted, in characters: {@value}. */
  public static final int MIN_MANAGEMENT_TOKEN_LENGTH = 16;

  private static final Set<String> KEYS = Set.of("hubs", "port", "host", "managementPort", "managementHost",
    "echoPath", "echoMaxMessageSize", "echoMaxFragments", "cluster", "clusterConfig", "clusterTls", "requestTimeout",
    "serverInstances", "drainTimeout", "managementToken");

  private List<HubOptions> hubs = new ArrayList<>(List.of(new HubOptions()));
  private int port = DEFAULT_PORT;
  private String host = DEFAULT_HOST;
  private int managementPort = DEFAULT_MANAGEMENT_PORT;
  private String managementHost = DEFAULT_MANAGEMENT_HOST;
  private String echoPath = DEFAULT_ECHO_PATH;
  private int echoMaxMessageSize = DEFAULT_ECHO_MAX_MESSAGE_SIZE;
  private int echoMaxFragments = DEFAULT_ECHO_MAX_FRAGMENTS;
  private boolean cluster;
  private String clusterConfig = DEFAULT_CLUSTER_CONFIG;
  private ClusterTlsOptions clusterTls;
  private long requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  private int serverInstances = DEFAULT_SERVER_INSTANCES;
  private long drainTimeout = DEFAULT_DRAIN_TIMEOUT;
  private String managementToken;

  /** Options with every default: one hub {@code default} at {@code /ws}. */
  public GatewayOptions() {
  }

  /** @param other options to copy */
  public GatewayOptions(GatewayOptions other) {
    this.hubs = new ArrayList<>();
    for (HubOptions hub : other.hubs) {
      this.hubs.add(new HubOptions(hub));
    }
    this.port = other.port;
    this.host = other.host;
    this.managementPort = other.managementPort;
    this.managementHost = other.managementHost;
    this.echoPath = other.echoPath;
    this.echoMaxMessageSize = other.echoMaxMessageSize;
    this.echoMaxFragments = other.echoMaxFragments;
    this.cluster = other.cluster;
    this.clusterConfig = other.clusterConfig;
    this.clusterTls = other.clusterTls == null ? null : new ClusterTlsOptions(other.clusterTls);
    this.requestTimeout = other.requestTimeout;
    this.serverInstances = other.serverInstances;
    this.drainTimeout = other.drainTimeout;
    this.managementToken = other.managementToken;
  }

  /**
   * @param json options as JSON; unknown keys and wrong types are refused
   * @throws IllegalArgumentException naming the bad key
   */
  public GatewayOptions(JsonObject json) {
    JsonOptionsReader r = new JsonOptionsReader(json, null, KEYS);
    JsonArray hubArray = r.array("hubs");
    if (hubArray != null) {
      List<HubOptions> list = new ArrayList<>();
      for (int i = 0; i < hubArray.size(); i++) {
        Object item = hubArray.getValue(i);
        if (!(item instanceof JsonObject)) {
          throw new IllegalArgumentException("option \"hubs[" + i + "]\" must be an object");
        }
        list.add(new HubOptions((JsonObject) item, "hubs[" + i + "]"));
      }
      r.set("hubs", () -> setHubs(list));
    }
    r.set("port", () -> setPort(HubOptions.toInt(r.integer("port", DEFAULT_PORT))));
    r.set("host", () -> setHost(r.string("host", DEFAULT_HOST)));
    r.set("managementPort", () -> setManagementPort(HubOptions.toInt(r.integer("managementPort", DEFAULT_MANAGEMENT_PORT))));
    r.set("managementHost", () -> setManagementHost(r.string("managementHost", DEFAULT_MANAGEMENT_HOST)));
    if (json.containsKey("echoPath")) {
      r.set("echoPath", () -> setEchoPath(r.string("echoPath", null)));
    }
    r.set("echoMaxMessageSize", () -> setEchoMaxMessageSize(HubOptions.toInt(r.integer("echoMaxMessageSize", DEFAULT_ECHO_MAX_MESSAGE_SIZE))));
    r.set("echoMaxFragments", () -> setEchoMaxFragments(HubOptions.toInt(r.integer("echoMaxFragments", DEFAULT_ECHO_MAX_FRAGMENTS))));
    r.set("cluster", () -> setCluster(r.bool("cluster", false)));
    r.set("clusterConfig", () -> setClusterConfig(r.string("clusterConfig", DEFAULT_CLUSTER_CONFIG)));
    JsonObject tls = r.object("clusterTls");
    if (tls != null) {
      setClusterTls(new ClusterTlsOptions(tls, "clusterTls"));
    }
    r.set("requestTimeout", () -> setRequestTimeout(r.integer("requestTimeout", DEFAULT_REQUEST_TIMEOUT)));
    r.set("serverInstances", () -> setServerInstances(HubOptions.toInt(r.integer("serverInstances", DEFAULT_SERVER_INSTANCES))));
    r.set("drainTimeout", () -> setDrainTimeout(r.integer("drainTimeout", DEFAULT_DRAIN_TIMEOUT)));
    r.set("managementToken", () -> setManagementToken(r.string("managementToken", null)));
  }

  /** @return these options as JSON, the management token included when set */
  public JsonObject toJson() {
    JsonArray hubArray = new JsonArray();
    hubs.forEach(h -> hubArray.add(h.toJson()));
    JsonObject json = new JsonObject()
      .put("hubs", hubArray)
      .put("port", port)
      .put("host", host)
      .put("managementPort", managementPort)
      .put("managementHost", managementHost)
      .put("echoPath", echoPath)
      .put("echoMaxMessageSize", echoMaxMessageSize)
      .put("echoMaxFragments", echoMaxFragments)
      .put("cluster", cluster)
      .put("clusterConfig", clusterConfig)
      .put("requestTimeout", requestTimeout)
      .put("serverInstances", serverInstances)
      .put("drainTimeout", drainTimeout);
    if (clusterTls != null) {
      json.put("clusterTls", clusterTls.toJson());
    }
    if (managementToken != null) {
      json.put("managementToken", managementToken);
    }
    return json;
  }

  /** @return the hubs (copies) */
  public List<HubOptions> getHubs() {
    List<HubOptions> copy = new ArrayList<>();
    hubs.forEach(h -> copy.add(new HubOptions(h)));
    return copy;
  }

  /**
   * @param hubs at least one hub; names and paths must be distinct
   * @return this
   */
  public GatewayOptions setHubs(List<HubOptions> hubs) {
    Objects.requireNonNull(hubs, "hubs");
    if (hubs.isEmpty()) {
      throw new IllegalArgumentException("at least one hub is needed");
    }
    Set<String> names = new HashSet<>();
    Set<String> paths = new HashSet<>();
    for (HubOptions hub : hubs) {
      if (!names.add(hub.getName())) {
        throw new IllegalArgumentException("two hubs are named \"" + hub.getName() + "\"");
      }
      if (!paths.add(hub.getPath())) {
        throw new IllegalArgumentException("two hubs have the path \"" + hub.getPath() + "\"");
      }
    }
    List<HubOptions> copy = new ArrayList<>();
    hubs.forEach(h -> copy.add(new HubOptions(h)));
    this.hubs = copy;
    return this;
  }

  /**
   * @param hub a hub to add
   * @return this
   */
  public GatewayOptions addHub(HubOptions hub) {
    List<HubOptions> list = new ArrayList<>(hubs);
    list.add(hub);
    return setHubs(list);
  }

  /** @return the WebSocket and page port */
  public int getPort() {
    return port;
  }

  /**
   * @param port 0 (any free port) to 65535
   * @return this
   */
  public GatewayOptions setPort(int port) {
    this.port = checkPort(port);
    return this;
  }

  /** @return the bind address of the WebSocket port */
  public String getHost() {
    return host;
  }

  /**
   * @param host a bind address
   * @return this
   */
  public GatewayOptions setHost(String host) {
    this.host = requireText("host", host);
    return this;
  }

  /** @return the management port */
  public int getManagementPort() {
    return managementPort;
  }

  /**
   * @param managementPort 0 (any free port) to 65535
   * @return this
   */
  public GatewayOptions setManagementPort(int managementPort) {
    this.managementPort = checkPort(managementPort);
    return this;
  }

  /** @return the bind address of the management port */
  public String getManagementHost() {
    return managementHost;
  }

  /**
   * @param managementHost a bind address; anything but loopback exposes the admin API
   * @return this
   */
  public GatewayOptions setManagementHost(String managementHost) {
    this.managementHost = requireText("managementHost", managementHost);
    return this;
  }

  /** @return the path of the echo endpoint, or {@code null} when it is off */
  public String getEchoPath() {
    return echoPath;
  }

  /**
   * @param echoPath a path starting with {@code /}, or {@code null} to turn the echo endpoint off
   * @return this
   */
  public GatewayOptions setEchoPath(String echoPath) {
    if (echoPath != null && !echoPath.startsWith("/")) {
      throw new IllegalArgumentException("echoPath must start with '/', got " + echoPath);
    }
    this.echoPath = echoPath;
    return this;
  }

  /** @return the largest message of the echo endpoint, in bytes */
  public int getEchoMaxMessageSize() {
    return echoMaxMessageSize;
  }

  /**
   * @param echoMaxMessageSize the largest message the echo endpoint takes (whole message, all
   *     fragments), at least 1024 bytes; a larger one closes the connection with 1009. It also
   *     raises the server's frame limit when it is the largest limit of the gateway.
   * @return this
   */
  public GatewayOptions setEchoMaxMessageSize(int echoMaxMessageSize) {
    if (echoMaxMessageSize < 1024) {
      throw new IllegalArgumentException("echoMaxMessageSize must be at least 1024, got " + echoMaxMessageSize);
    }
    this.echoMaxMessageSize = echoMaxMessageSize;
    return this;
  }

  /** @return how many frames one message to the echo endpoint may be split into */
  public int getEchoMaxFragments() {
    return echoMaxFragments;
  }

  /**
   * @param echoMaxFragments frames one message to the echo endpoint may be split into, at least 1;
   *     more close the connection with 1009
   * @return this
   */
  public GatewayOptions setEchoMaxFragments(int echoMaxFragments) {
    if (echoMaxFragments < 1) {
      throw new IllegalArgumentException("echoMaxFragments must be at least 1, got " + echoMaxFragments);
    }
    this.echoMaxFragments = echoMaxFragments;
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
  public GatewayOptions setCluster(boolean cluster) {
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
  public GatewayOptions setClusterConfig(String clusterConfig) {
    this.clusterConfig = requireText("clusterConfig", clusterConfig);
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
  public GatewayOptions setClusterTls(ClusterTlsOptions clusterTls) {
    if (clusterTls != null) {
      clusterTls.validate();
    }
    this.clusterTls = clusterTls == null ? null : new ClusterTlsOptions(clusterTls);
    return this;
  }

  /** @return how long remote requests wait, in ms */
  public long getRequestTimeout() {
    return requestTimeout;
  }

  /**
   * @param requestTimeout how long a direct message, command or cluster-wide question waits for a
   *     node, in ms (100 to 60000)
   * @return this
   */
  public GatewayOptions setRequestTimeout(long requestTimeout) {
    if (requestTimeout < 100 || requestTimeout > 60000) {
      throw new IllegalArgumentException("requestTimeout must be 100 to 60000 ms, got " + requestTimeout);
    }
    this.requestTimeout = requestTimeout;
    return this;
  }

  /** @return how many server instances (event loops) serve connections */
  public int getServerInstances() {
    return serverInstances;
  }

  /**
   * @param serverInstances 1 to 256 server instances; each takes an event loop
   * @return this
   */
  public GatewayOptions setServerInstances(int serverInstances) {
    if (serverInstances < 1 || serverInstances > 256) {
      throw new IllegalArgumentException("serverInstances must be 1 to 256, got " + serverInstances);
    }
    this.serverInstances = serverInstances;
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
  public GatewayOptions setDrainTimeout(long drainTimeout) {
    if (drainTimeout < 100 || drainTimeout > 600_000) {
      throw new IllegalArgumentException("drainTimeout must be 100 to 600000 ms, got " + drainTimeout);
    }
    this.drainTimeout = drainTimeout;
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
  public GatewayOptions setManagementToken(String managementToken) {
    if (managementToken != null) {
      // The value itself never goes into the message: it may end up in a log.
      if (managementToken.length() < MIN_MANAGEMENT_TOKEN_LENGTH) {
        throw new IllegalArgumentException("managementToken must be at least " + MIN_MANAGEMENT_TOKEN_LENGTH
          + " characters, got " + managementToken.length());
      }
      for (int i = 0; i < managementToken.length(); i++) {
        char ch = managementToken.charAt(i);
        if (ch <= ' ' || ch > '~') {
          throw new IllegalArgumentException("managementToken must be visible ASCII characters without spaces");
        }
      }
    }
    this.managementToken = managementToken;
    return this;
  }

  private static int checkPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
    }
    return port;
  }

  private static String requireText(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GatewayOptions && toJson().equals(((GatewayOptions) o).toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    JsonObject json = toJson();
    if (json.containsKey("managementToken")) {
      json.put("managementToken", "***");
    }
    return "GatewayOptions" + json.encode();
  }
}
