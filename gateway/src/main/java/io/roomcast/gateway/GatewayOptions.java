package io.roomcast.gateway;

import io.roomcast.gateway.impl.options.Checks;
import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Options of a gateway: its hubs, the port and host its verticle serves them on, the echo
 * endpoint, and how long cluster-wide requests wait. JSON form:
 * {@code {"hubs":[{"name":"default","path":"/ws", ...}], "port":8080}}; a node's {@code --conf}
 * file holds it, beside the node's own section (the node's {@code NodeOptions}). Setters validate
 * and throw {@code IllegalArgumentException}.
 */
public class GatewayOptions {

  /** The default WebSocket and page port: {@value}. */
  public static final int DEFAULT_PORT = 8080;
  /** The default bind address of that port: {@value}. */
  public static final String DEFAULT_HOST = "0.0.0.0";
  /** The default path of the built-in echo endpoint: {@value}. */
  public static final String DEFAULT_ECHO_PATH = "/ws/echo";
  /** The default largest message of the echo endpoint, in bytes: {@value}. A larger one closes with 1009. */
  public static final int DEFAULT_ECHO_MAX_MESSAGE_SIZE = RawEndpoint.DEFAULT_MAX_MESSAGE_SIZE;
  /** The default number of frames one message to the echo endpoint may be split into: {@value}. */
  public static final int DEFAULT_ECHO_MAX_FRAGMENTS = RawEndpoint.DEFAULT_MAX_FRAGMENTS;
  /** How long a direct message, a command or a cluster-wide question waits for a node, in ms: {@value}. */
  public static final long DEFAULT_REQUEST_TIMEOUT = 3000;
  /** Server instances (event loops serving connections) by default: one per core. */
  public static final int DEFAULT_SERVER_INSTANCES = Math.max(1, Runtime.getRuntime().availableProcessors());

  private static final Set<String> KEYS = Set.of("hubs", "port", "host", "echoPath", "echoMaxMessageSize",
    "echoMaxFragments", "requestTimeout", "serverInstances");
  /** The keys only the node reads, which moved to its own section. */
  private static final Map<String, String> MOVED = nodeKeys("managementPort", "managementHost", "managementToken",
    "drainTimeout", "cluster", "clusterConfig", "clusterTls");

  private List<HubOptions> hubs = new ArrayList<>(List.of(new HubOptions()));
  private int port = DEFAULT_PORT;
  private String host = DEFAULT_HOST;
  private String echoPath = DEFAULT_ECHO_PATH;
  private int echoMaxMessageSize = DEFAULT_ECHO_MAX_MESSAGE_SIZE;
  private int echoMaxFragments = DEFAULT_ECHO_MAX_FRAGMENTS;
  private long requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  private int serverInstances = DEFAULT_SERVER_INSTANCES;

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
    this.echoPath = other.echoPath;
    this.echoMaxMessageSize = other.echoMaxMessageSize;
    this.echoMaxFragments = other.echoMaxFragments;
    this.requestTimeout = other.requestTimeout;
    this.serverInstances = other.serverInstances;
  }

  /**
   * @param json options as JSON; unknown keys and wrong types are refused, and a key of the node's
   *     own section ({@code managementPort}, {@code cluster}, ...) is refused with its new place
   * @throws IllegalArgumentException naming the bad key
   */
  public GatewayOptions(JsonObject json) {
    JsonOptionsReader r = new JsonOptionsReader(json, null, KEYS, MOVED);
    List<JsonObject> hubsJson = r.objects("hubs");
    if (hubsJson != null) {
      List<HubOptions> list = new ArrayList<>();
      for (int i = 0; i < hubsJson.size(); i++) {
        list.add(new HubOptions(hubsJson.get(i), r.path("hubs[" + i + "]")));
      }
      r.set("hubs", () -> setHubs(list));
    }
    r.set("port", () -> setPort(Checks.toInt(r.integer("port", DEFAULT_PORT))));
    r.set("host", () -> setHost(r.string("host", DEFAULT_HOST)));
    if (json.containsKey("echoPath")) {
      r.set("echoPath", () -> setEchoPath(r.string("echoPath", null)));
    }
    r.set("echoMaxMessageSize", () -> setEchoMaxMessageSize(Checks.toInt(r.integer("echoMaxMessageSize", DEFAULT_ECHO_MAX_MESSAGE_SIZE))));
    r.set("echoMaxFragments", () -> setEchoMaxFragments(Checks.toInt(r.integer("echoMaxFragments", DEFAULT_ECHO_MAX_FRAGMENTS))));
    r.set("requestTimeout", () -> setRequestTimeout(r.integer("requestTimeout", DEFAULT_REQUEST_TIMEOUT)));
    r.set("serverInstances", () -> setServerInstances(Checks.toInt(r.integer("serverInstances", DEFAULT_SERVER_INSTANCES))));
  }

  private static Map<String, String> nodeKeys(String... keys) {
    Map<String, String> moved = new HashMap<>();
    for (String key : keys) {
      moved.put(key, "a node reads it from its own section, \"node." + key + "\" (NodeOptions)");
    }
    return Map.copyOf(moved);
  }

  /** @return these options as JSON */
  public JsonObject toJson() {
    JsonArray hubArray = new JsonArray();
    hubs.forEach(h -> hubArray.add(h.toJson()));
    return new JsonObject()
      .put("hubs", hubArray)
      .put("port", port)
      .put("host", host)
      .put("echoPath", echoPath)
      .put("echoMaxMessageSize", echoMaxMessageSize)
      .put("echoMaxFragments", echoMaxFragments)
      .put("requestTimeout", requestTimeout)
      .put("serverInstances", serverInstances);
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
    Checks.require(!hubs.isEmpty(), "at least one hub is needed");
    Set<String> names = new HashSet<>();
    Set<String> paths = new HashSet<>();
    for (HubOptions hub : hubs) {
      Checks.require(names.add(hub.getName()), "two hubs are named \"" + hub.getName() + "\"");
      Checks.require(paths.add(hub.getPath()), "two hubs have the path \"" + hub.getPath() + "\"");
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
    this.port = Checks.between("port", port, 0, 65535);
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
    this.host = Checks.notBlank("host", host);
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
    Checks.require(echoPath == null || echoPath.startsWith("/"), "echoPath must start with '/', got " + echoPath);
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
    this.echoMaxMessageSize = Checks.atLeast("echoMaxMessageSize", echoMaxMessageSize, 1024);
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
    this.echoMaxFragments = Checks.atLeast("echoMaxFragments", echoMaxFragments, 1);
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
    this.requestTimeout = Checks.between("requestTimeout", requestTimeout, 100, 60_000, "ms");
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
    this.serverInstances = Checks.between("serverInstances", serverInstances, 1, 256);
    return this;
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
    return "GatewayOptions" + toJson().encode();
  }
}
