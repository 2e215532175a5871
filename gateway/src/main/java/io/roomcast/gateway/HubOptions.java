package io.roomcast.gateway;

import io.roomcast.gateway.impl.codec.Names;
import io.roomcast.gateway.impl.options.Checks;
import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Options of one hub: its name and path, and the limits its connections live under. Setters
 * validate and throw {@code IllegalArgumentException}.
 */
public class HubOptions {

  /** The default hub name: {@value}. */
  public static final String DEFAULT_NAME = "default";
  /** The default path: {@value}. */
  public static final String DEFAULT_PATH = "/ws";
  /** The default largest client message, in bytes: {@value}. A larger one closes with 1009. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 65536;

  /** The default rate limit, messages per second per connection (bursts of twice that): {@value}. */
  public static final int DEFAULT_RATE_LIMIT = 200;
  /** The default joins and leaves per second per connection: {@value}. */
  public static final int DEFAULT_JOIN_RATE_LIMIT = 20;
  /** The default rooms per second a node may open for a hub: {@value}. */
  public static final int DEFAULT_FRESH_ROOM_RATE = 5000;
  /** The default number of rooms a connection may join besides {@code root}: {@value}. */
  public static final int DEFAULT_MAX_ROOMS_PER_CONNECTION = 256;
  /** The default bytes queued to a client before messages to it are dropped: {@value} (1 MiB). */
  public static final int DEFAULT_SEND_QUEUE_LIMIT = 1024 * 1024;
  /** The default time a client's queue may stay full before it is closed with 1013, in ms: {@value}. */
  public static final long DEFAULT_SLOW_CLIENT_TIMEOUT = 10_000;
  /** The default time without a frame from a client before the server pings it, in ms: {@value}. */
  public static final long DEFAULT_PING_INTERVAL = 25_000;
  /** The default time a ping waits for a pong (or any frame) before the close with 1001, in ms: {@value}. */
  public static final long DEFAULT_PONG_TIMEOUT = 10_000;
  /** The default time to send a whole upgrade request, in ms: {@value}. */
  public static final long DEFAULT_HANDSHAKE_TIMEOUT = 10_000;
  /** The default number of frames one message may be split into: {@value}. */
  public static final int DEFAULT_MAX_FRAGMENTS = 1024;

  /** The default claim that names a connection's user: {@value}. */
  public static final String DEFAULT_USER_CLAIM = "sub";

  private static final Set<String> KEYS = Set.of("name", "path", "maxMessageSize", "presence", "presenceEvents", "userClaim", "allowedOrigins",
    "requireOrigin", "auth", "permissions", "history", "services", "schemas", "webhooks", "authorizers", "api", "lifecycleAddress", "rateLimit", "joinRateLimit", "freshRoomRate", "maxRoomsPerConnection", "sendQueueLimit", "slowClientTimeout",
    "pingInterval", "pongTimeout", "handshakeTimeout", "maxConnections", "maxConnectionsPerAddress", "maxFragments");

  private String name = DEFAULT_NAME;
  private String path = DEFAULT_PATH;
  private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  private List<String> presence = new ArrayList<>();
  private List<String> presenceEvents = new ArrayList<>(List.of("*"));
  private String userClaim = DEFAULT_USER_CLAIM;
  private List<String> allowedOrigins = new ArrayList<>();
  private boolean requireOrigin;
  private JwtOptions jwt;
  private AuthServiceOptions authService;
  private JsonArray permissions;
  private List<HistoryOptions> history = new ArrayList<>();
  private List<ServiceOptions> services = new ArrayList<>();
  private List<SchemaOptions> schemas = new ArrayList<>();
  private List<WebhookOptions> webhooks = new ArrayList<>();
  private List<String> api = new ArrayList<>();
  private List<AuthorizerOptions> authorizers = new ArrayList<>();
  private String lifecycleAddress;
  private int rateLimit = DEFAULT_RATE_LIMIT;
  private int joinRateLimit = DEFAULT_JOIN_RATE_LIMIT;
  private int freshRoomRate = DEFAULT_FRESH_ROOM_RATE;
  private int maxRoomsPerConnection = DEFAULT_MAX_ROOMS_PER_CONNECTION;
  private int sendQueueLimit = DEFAULT_SEND_QUEUE_LIMIT;
  private long slowClientTimeout = DEFAULT_SLOW_CLIENT_TIMEOUT;
  private long pingInterval = DEFAULT_PING_INTERVAL;
  private long pongTimeout = DEFAULT_PONG_TIMEOUT;
  private long handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
  private int maxConnections;
  private int maxConnectionsPerAddress;
  private int maxFragments = DEFAULT_MAX_FRAGMENTS;

  /** Options with every default. */
  public HubOptions() {
  }

  /** @param other options to copy */
  public HubOptions(HubOptions other) {
    this.name = other.name;
    this.path = other.path;
    this.maxMessageSize = other.maxMessageSize;
    this.presence = new ArrayList<>(other.presence);
    this.presenceEvents = new ArrayList<>(other.presenceEvents);
    this.userClaim = other.userClaim;
    this.allowedOrigins = new ArrayList<>(other.allowedOrigins);
    this.requireOrigin = other.requireOrigin;
    this.jwt = other.jwt == null ? null : new JwtOptions(other.jwt);
    this.authService = other.authService == null ? null : new AuthServiceOptions(other.authService);
    this.permissions = other.permissions == null ? null : other.permissions.copy();
    this.history = copies(other.history);
    this.services = serviceCopies(other.services);
    this.schemas = new ArrayList<>(other.schemas);
    this.webhooks = webhookCopies(other.webhooks);
    this.api = new ArrayList<>(other.api);
    this.authorizers = authorizerCopies(other.authorizers);
    this.lifecycleAddress = other.lifecycleAddress;
    this.rateLimit = other.rateLimit;
    this.joinRateLimit = other.joinRateLimit;
    this.freshRoomRate = other.freshRoomRate;
    this.maxRoomsPerConnection = other.maxRoomsPerConnection;
    this.sendQueueLimit = other.sendQueueLimit;
    this.slowClientTimeout = other.slowClientTimeout;
    this.pingInterval = other.pingInterval;
    this.pongTimeout = other.pongTimeout;
    this.handshakeTimeout = other.handshakeTimeout;
    this.maxConnections = other.maxConnections;
    this.maxConnectionsPerAddress = other.maxConnectionsPerAddress;
    this.maxFragments = other.maxFragments;
  }

  /**
   * @param json options as JSON; unknown keys and wrong types are refused
   * @throws IllegalArgumentException naming the bad key
   */
  public HubOptions(JsonObject json) {
    this(json, null);
  }

  HubOptions(JsonObject json, String where) {
    JsonOptionsReader r = new JsonOptionsReader(json, where, KEYS);
    r.set("name", () -> setName(r.string("name", DEFAULT_NAME)));
    r.set("path", () -> setPath(r.string("path", DEFAULT_PATH)));
    r.set("maxMessageSize", () -> setMaxMessageSize(Checks.toInt(r.integer("maxMessageSize", DEFAULT_MAX_MESSAGE_SIZE))));
    r.set("presence", () -> setPresence(r.strings("presence", List.of())));
    r.set("presenceEvents", () -> setPresenceEvents(r.strings("presenceEvents", List.of("*"))));
    r.set("userClaim", () -> setUserClaim(r.string("userClaim", DEFAULT_USER_CLAIM)));
    r.set("allowedOrigins", () -> setAllowedOrigins(r.strings("allowedOrigins", List.of())));
    r.set("requireOrigin", () -> setRequireOrigin(r.bool("requireOrigin", false)));
    JsonObject auth = r.object("auth");
    if (auth != null) {
      JsonOptionsReader authReader = new JsonOptionsReader(auth, r.path("auth"), Set.of("jwt", "service"));
      JsonObject jwtJson = authReader.object("jwt");
      JsonObject serviceJson = authReader.object("service");
      Checks.require(jwtJson != null || serviceJson != null,
        "option \"" + authReader.path("jwt") + "\" or \"" + authReader.path("service") + "\" must be an object");
      Checks.require(jwtJson == null || serviceJson == null,
        "a hub authenticates by \"jwt\" or by a \"service\", not both (" + r.path("auth") + ")");
      if (jwtJson != null) {
        setJwt(new JwtOptions(jwtJson, authReader.path("jwt")));
      } else {
        setAuthService(new AuthServiceOptions(serviceJson, authReader.path("service")));
      }
    }
    if (r.has("permissions")) {
      r.set("permissions", () -> setPermissions(r.array("permissions")));
    }
    r.set("api", () -> setApi(r.strings("api", List.of())));
    r.set("lifecycleAddress", () -> setLifecycleAddress(r.string("lifecycleAddress", null)));
    List<JsonObject> authorizersJson = r.objects("authorizers");
    if (authorizersJson != null) {
      List<AuthorizerOptions> rules = new ArrayList<>();
      for (int i = 0; i < authorizersJson.size(); i++) {
        rules.add(new AuthorizerOptions(authorizersJson.get(i), r.path("authorizers[" + i + "]")));
      }
      setAuthorizers(rules);
    }
    List<JsonObject> servicesJson = r.objects("services");
    if (servicesJson != null) {
      List<ServiceOptions> rules = new ArrayList<>();
      for (int i = 0; i < servicesJson.size(); i++) {
        rules.add(new ServiceOptions(servicesJson.get(i), r.path("services[" + i + "]")));
      }
      setServices(rules);
    }
    List<JsonObject> schemasJson = r.objects("schemas");
    if (schemasJson != null) {
      List<SchemaOptions> rules = new ArrayList<>();
      for (int i = 0; i < schemasJson.size(); i++) {
        rules.add(SchemaOptions.fromJson(schemasJson.get(i), r.path("schemas[" + i + "]")));
      }
      setSchemas(rules);
    }
    List<JsonObject> webhooksJson = r.objects("webhooks");
    if (webhooksJson != null) {
      List<WebhookOptions> hooks = new ArrayList<>();
      for (int i = 0; i < webhooksJson.size(); i++) {
        hooks.add(new WebhookOptions(webhooksJson.get(i), r.path("webhooks[" + i + "]")));
      }
      setWebhooks(hooks);
    }
    List<JsonObject> historyJson = r.objects("history");
    if (historyJson != null) {
      List<HistoryOptions> rules = new ArrayList<>();
      for (int i = 0; i < historyJson.size(); i++) {
        rules.add(new HistoryOptions(historyJson.get(i), r.path("history[" + i + "]")));
      }
      setHistory(rules);
    }
    r.set("rateLimit", () -> setRateLimit(Checks.toInt(r.integer("rateLimit", DEFAULT_RATE_LIMIT))));
    r.set("joinRateLimit", () -> setJoinRateLimit(Checks.toInt(r.integer("joinRateLimit", DEFAULT_JOIN_RATE_LIMIT))));
    r.set("freshRoomRate", () -> setFreshRoomRate(Checks.toInt(r.integer("freshRoomRate", DEFAULT_FRESH_ROOM_RATE))));
    r.set("maxRoomsPerConnection", () -> setMaxRoomsPerConnection(Checks.toInt(r.integer("maxRoomsPerConnection", DEFAULT_MAX_ROOMS_PER_CONNECTION))));
    r.set("sendQueueLimit", () -> setSendQueueLimit(Checks.toInt(r.integer("sendQueueLimit", DEFAULT_SEND_QUEUE_LIMIT))));
    r.set("slowClientTimeout", () -> setSlowClientTimeout(r.integer("slowClientTimeout", DEFAULT_SLOW_CLIENT_TIMEOUT)));
    r.set("pingInterval", () -> setPingInterval(r.integer("pingInterval", DEFAULT_PING_INTERVAL)));
    r.set("pongTimeout", () -> setPongTimeout(r.integer("pongTimeout", DEFAULT_PONG_TIMEOUT)));
    r.set("handshakeTimeout", () -> setHandshakeTimeout(r.integer("handshakeTimeout", DEFAULT_HANDSHAKE_TIMEOUT)));
    r.set("maxConnections", () -> setMaxConnections(Checks.toInt(r.integer("maxConnections", 0))));
    r.set("maxConnectionsPerAddress", () -> setMaxConnectionsPerAddress(Checks.toInt(r.integer("maxConnectionsPerAddress", 0))));
    r.set("maxFragments", () -> setMaxFragments(Checks.toInt(r.integer("maxFragments", DEFAULT_MAX_FRAGMENTS))));
  }

  /** @return these options as JSON */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("name", name)
      .put("path", path)
      .put("maxMessageSize", maxMessageSize)
      .put("presence", new JsonArray(new ArrayList<>(presence)))
      .put("presenceEvents", new JsonArray(new ArrayList<>(presenceEvents)))
      .put("userClaim", userClaim)
      .put("allowedOrigins", new JsonArray(new ArrayList<>(allowedOrigins)))
      .put("requireOrigin", requireOrigin)
      .put("rateLimit", rateLimit)
      .put("joinRateLimit", joinRateLimit)
      .put("freshRoomRate", freshRoomRate)
      .put("maxRoomsPerConnection", maxRoomsPerConnection)
      .put("sendQueueLimit", sendQueueLimit)
      .put("slowClientTimeout", slowClientTimeout)
      .put("pingInterval", pingInterval)
      .put("pongTimeout", pongTimeout)
      .put("handshakeTimeout", handshakeTimeout)
      .put("maxConnections", maxConnections)
      .put("maxConnectionsPerAddress", maxConnectionsPerAddress)
      .put("maxFragments", maxFragments);
    if (jwt != null) {
      json.put("auth", new JsonObject().put("jwt", jwt.toJson()));
    } else if (authService != null) {
      json.put("auth", new JsonObject().put("service", authService.toJson()));
    }
    json.put("api", new JsonArray(new ArrayList<>(api)));
    if (lifecycleAddress != null) {
      json.put("lifecycleAddress", lifecycleAddress);
    }
    if (!authorizers.isEmpty()) {
      JsonArray rules = new JsonArray();
      authorizers.forEach(a -> rules.add(a.toJson()));
      json.put("authorizers", rules);
    }
    if (!services.isEmpty()) {
      JsonArray rules = new JsonArray();
      services.forEach(sv -> rules.add(sv.toJson()));
      json.put("services", rules);
    }
    if (!webhooks.isEmpty()) {
      JsonArray hooks = new JsonArray();
      webhooks.forEach(w -> hooks.add(w.toJson()));
      json.put("webhooks", hooks);
    }
    if (!schemas.isEmpty()) {
      JsonArray rules = new JsonArray();
      schemas.forEach(sc -> rules.add(sc.toJson()));
      json.put("schemas", rules);
    }
    if (!history.isEmpty()) {
      JsonArray rules = new JsonArray();
      history.forEach(h -> rules.add(h.toJson()));
      json.put("history", rules);
    }
    if (permissions != null) {
      json.put("permissions", permissions.copy());
    }
    return json;
  }

  /** @return the hub's name */
  public String getName() {
    return name;
  }

  /**
   * @param name 1–64 characters of {@code [A-Za-z0-9_-]}; part of the hub's event-bus addresses
   * @return this
   */
  public HubOptions setName(String name) {
    this.name = Names.requireHub(name);
    return this;
  }

  /** @return the path the hub is mounted on */
  public String getPath() {
    return path;
  }

  /**
   * @param path a route path starting with {@code /}; a {@code :room} parameter makes the
   *     connection join that room
   * @return this
   */
  public HubOptions setPath(String path) {
    Checks.require(path != null && path.startsWith("/"), "path must start with '/', got " + path);
    this.path = path;
    return this;
  }

  /** @return the largest client message in bytes */
  public int getMaxMessageSize() {
    return maxMessageSize;
  }

  /**
   * @param maxMessageSize the largest client message in bytes (whole message, all fragments), at least 1024
   * @return this
   */
  public HubOptions setMaxMessageSize(int maxMessageSize) {
    this.maxMessageSize = Checks.atLeast("maxMessageSize", maxMessageSize, 1024);
    return this;
  }

  /** @return the rules of which client events go to services on the event bus (copies), first match wins */
  public List<ServiceOptions> getServices() {
    return serviceCopies(services);
  }

  /**
   * @param services which custom client events become requests to services on the event bus
   *     (docs/SERVICES.md); the first rule whose pattern matches an event applies; none by default:
   *     nothing is forwarded that no rule names
   * @return this
   */
  public HubOptions setServices(List<ServiceOptions> services) {
    Objects.requireNonNull(services, "services");
    this.services = serviceCopies(services);
    return this;
  }

  /** @return the schemas that client events' data must match, first match wins */
  public List<SchemaOptions> getSchemas() {
    return new ArrayList<>(schemas);
  }

  /**
   * @param schemas the JSON Schemas that the data of matching client events must match (built-in
   *     events excepted); an event whose data does not is refused with {@code bad_request}; the
   *     first rule whose pattern matches an event applies; none by default
   * @return this
   */
  public HubOptions setSchemas(List<SchemaOptions> schemas) {
    Objects.requireNonNull(schemas, "schemas");
    schemas.forEach(sc -> Objects.requireNonNull(sc, "a schema rule"));
    this.schemas = new ArrayList<>(schemas);
    return this;
  }

  /** @return the webhooks that take the hub's lifecycle events (copies) */
  public List<WebhookOptions> getWebhooks() {
    return webhookCopies(webhooks);
  }

  /**
   * @param webhooks receivers that every node POSTs its lifecycle events to, signed, in batches,
   *     at least once (docs/SERVICES.md, "Webhooks"); none by default
   * @return this
   */
  public HubOptions setWebhooks(List<WebhookOptions> webhooks) {
    Objects.requireNonNull(webhooks, "webhooks");
    this.webhooks = webhookCopies(webhooks);
    return this;
  }

  private static List<WebhookOptions> webhookCopies(List<WebhookOptions> hooks) {
    List<WebhookOptions> copy = new ArrayList<>();
    hooks.forEach(w -> copy.add(new WebhookOptions(Objects.requireNonNull(w, "a webhook"))));
    return copy;
  }

  /** @return the services that decide joins and publishes in some rooms (copies), first match wins */
  public List<AuthorizerOptions> getAuthorizers() {
    return authorizerCopies(authorizers);
  }

  /**
   * @param authorizers services that decide joins and publishes in the rooms they name, after
   *     {@code permissions}, asynchronously, denying when they do not answer in time
   *     (docs/SERVICES.md); none by default
   * @return this
   */
  public HubOptions setAuthorizers(List<AuthorizerOptions> authorizers) {
    Objects.requireNonNull(authorizers, "authorizers");
    this.authorizers = authorizerCopies(authorizers);
    return this;
  }

  private static List<AuthorizerOptions> authorizerCopies(List<AuthorizerOptions> rules) {
    List<AuthorizerOptions> copy = new ArrayList<>();
    rules.forEach(a -> copy.add(new AuthorizerOptions(Objects.requireNonNull(a, "an authorizer"))));
    return copy;
  }

  /** The commands the {@code api} address can take (docs/SERVICES.md). */
  public static final List<String> API_COMMANDS = List.of("publish", "send", "sendToUser", "kick", "kickUser", "join", "leave",
    "rooms", "clients", "presence", "count", "connectionsOf");

  /** @return the commands services may give on the hub's {@code api} address; empty: it is not consumed */
  public List<String> getApi() {
    return new ArrayList<>(api);
  }

  /**
   * @param api the commands services may give on the hub's address {@code roomcast.<hub>.api}
   *     ({@link #API_COMMANDS}, or {@code "*"} for all of them); empty (the default): no node
   *     consumes the address, and nothing there reaches a client
   * @return this
   */
  public HubOptions setApi(List<String> api) {
    Objects.requireNonNull(api, "api");
    for (String command : api) {
      Checks.require("*".equals(command) || API_COMMANDS.contains(command),
        "unknown api command \"" + command + "\"; commands: " + API_COMMANDS + " or *");
    }
    this.api = new ArrayList<>(api);
    return this;
  }

  /** @return where the hub publishes its lifecycle events, or {@code null} for nowhere */
  public String getLifecycleAddress() {
    return lifecycleAddress;
  }

  /**
   * @param lifecycleAddress an event-bus address where every node publishes the hub's lifecycle
   *     events as JSON (connect, disconnect, join, leave, and a room occupied or vacated on that
   *     node; docs/SERVICES.md), or {@code null} (the default) for none
   * @return this
   */
  public HubOptions setLifecycleAddress(String lifecycleAddress) {
    Checks.require(lifecycleAddress == null || (!lifecycleAddress.isEmpty() && !lifecycleAddress.startsWith("roomcast.")
      && !lifecycleAddress.startsWith("__vertx.")), "lifecycleAddress must be an address of the application's, got " + lifecycleAddress);
    this.lifecycleAddress = lifecycleAddress;
    return this;
  }

  private static List<ServiceOptions> serviceCopies(List<ServiceOptions> rules) {
    List<ServiceOptions> copy = new ArrayList<>();
    rules.forEach(sv -> copy.add(new ServiceOptions(Objects.requireNonNull(sv, "a service rule"))));
    return copy;
  }

  /** @return the rules of which rooms keep a history (copies), first match wins */
  public List<HistoryOptions> getHistory() {
    return copies(history);
  }

  /**
   * @param history which rooms keep a history and how much; the first rule whose pattern matches
   *     a room applies to it; an empty list (the default) keeps no history anywhere
   * @return this
   */
  public HubOptions setHistory(List<HistoryOptions> history) {
    Objects.requireNonNull(history, "history");
    this.history = copies(history);
    return this;
  }

  private static List<HistoryOptions> copies(List<HistoryOptions> rules) {
    List<HistoryOptions> copy = new ArrayList<>(rules.size());
    rules.forEach(h -> copy.add(new HistoryOptions(Objects.requireNonNull(h, "a history rule"))));
    return copy;
  }

  /** @return the room patterns that keep presence */
  public List<String> getPresence() {
    return new ArrayList<>(presence);
  }

  /**
   * @param presence room patterns ({@code *} = any run of characters) that keep presence: a
   *     roster of their members across the cluster, which a {@code presence} request reads, and
   *     {@code presence} events to the members when another joins or leaves (PROTOCOL.md section 7)
   * @return this
   */
  public HubOptions setPresence(List<String> presence) {
    Objects.requireNonNull(presence, "presence");
    for (String pattern : presence) {
      Checks.require(pattern != null && !pattern.isEmpty(), "presence patterns must not be empty");
    }
    this.presence = new ArrayList<>(presence);
    return this;
  }

  /** @return the patterns of the presence rooms whose members hear each join and leave */
  public List<String> getPresenceEvents() {
    return new ArrayList<>(presenceEvents);
  }

  /**
   * @param presenceEvents patterns ({@code *} = any run of characters) of the presence rooms whose
   *     members get a {@code presence} event for each other member's join and leave; default
   *     {@code ["*"]}, every one. A large room (an audience of thousands) is better left out: each
   *     join there costs one event per member, while its roster and counts stay exact without them.
   * @return this
   */
  public HubOptions setPresenceEvents(List<String> presenceEvents) {
    Objects.requireNonNull(presenceEvents, "presenceEvents");
    for (String pattern : presenceEvents) {
      Checks.require(pattern != null && !pattern.isEmpty(), "presenceEvents patterns must not be empty");
    }
    this.presenceEvents = new ArrayList<>(presenceEvents);
    return this;
  }

  /** @return the claim whose value is a connection's user */
  public String getUserClaim() {
    return userClaim;
  }

  /**
   * @param userClaim the claim whose value (a string or a number) names a connection's user; a
   *     connection without it has no user. Presence counts a user's connections once, and the
   *     user operations of the hub find connections by it.
   * @return this
   */
  public HubOptions setUserClaim(String userClaim) {
    Checks.require(userClaim != null && !userClaim.isEmpty(), "userClaim must not be empty");
    this.userClaim = userClaim;
    return this;
  }

  /** @return the allowed origins; empty allows any */
  public List<String> getAllowedOrigins() {
    return new ArrayList<>(allowedOrigins);
  }

  /**
   * @param allowedOrigins exact origins such as {@code https://example.com}, with {@code *}
   *     allowed in the host part ({@code https://*.example.com}), or {@code *} alone for any; a
   *     handshake from another origin is refused with HTTP 403. Empty allows any.
   * @return this
   */
  public HubOptions setAllowedOrigins(List<String> allowedOrigins) {
    Objects.requireNonNull(allowedOrigins, "allowedOrigins");
    for (String origin : allowedOrigins) {
      io.roomcast.gateway.impl.OriginPolicy.validate(origin);
    }
    this.allowedOrigins = new ArrayList<>(allowedOrigins);
    return this;
  }

  /** @return whether a handshake without {@code Origin} is refused */
  public boolean isRequireOrigin() {
    return requireOrigin;
  }

  /**
   * @param requireOrigin {@code true} to refuse handshakes without an {@code Origin} header (403)
   * @return this
   */
  public HubOptions setRequireOrigin(boolean requireOrigin) {
    this.requireOrigin = requireOrigin;
    return this;
  }

  /** @return the JWT verification, or {@code null} when the hub does not authenticate by JWT */
  public JwtOptions getJwt() {
    return jwt == null ? null : new JwtOptions(jwt);
  }

  /**
   * @param jwt how tokens are verified (JSON key {@code auth.jwt}); {@code null} for no JWT. A hub
   *     authenticates by JWT or by a service: this clears the service.
   * @return this
   */
  public HubOptions setJwt(JwtOptions jwt) {
    if (jwt != null) {
      jwt.validate();
      this.authService = null;
    }
    this.jwt = jwt == null ? null : new JwtOptions(jwt);
    return this;
  }

  /** @return the service that authenticates connections, or {@code null} when none does */
  public AuthServiceOptions getAuthService() {
    return authService == null ? null : new AuthServiceOptions(authService);
  }

  /**
   * @param authService the service that decides who each connection is, from its handshake (JSON
   *     key {@code auth.service}); {@code null} for none. A hub authenticates by JWT or by a
   *     service: this clears the JWT.
   * @return this
   */
  public HubOptions setAuthService(AuthServiceOptions authService) {
    if (authService != null) {
      this.jwt = null;
    }
    this.authService = authService == null ? null : new AuthServiceOptions(authService);
    return this;
  }

  /** @return the permission rules, or {@code null} when everything is allowed */
  public JsonArray getPermissions() {
    return permissions == null ? null : permissions.copy();
  }

  /**
   * @param permissions rules {@code {"room": PATTERN, "join": RULE, "publish": RULE}} where
   *     {@code *} in PATTERN is any run of characters and RULE is {@code true}, {@code false} or
   *     {@code {"claim": NAME, "equals": VALUE}} (true when the claim equals VALUE or is an array
   *     containing it). The first rule whose room matches decides; a missing RULE denies; when no
   *     rule matches the action is forbidden. {@code null} allows everything. They apply to client
   *     joins and publishes; the server-side API is trusted.
   * @return this
   */
  public HubOptions setPermissions(JsonArray permissions) {
    if (permissions != null) {
      io.roomcast.gateway.impl.Permissions.compile(permissions);
    }
    this.permissions = permissions == null ? null : permissions.copy();
    return this;
  }

  /** @return messages per second per connection; 0 for no limit */
  public int getRateLimit() {
    return rateLimit;
  }

  /**
   * @param rateLimit messages per second per connection, with bursts of twice that; over it a
   *     message is answered {@code rate_limited}, and 10 s over it closes with 1008. 0 for no limit.
   * @return this
   */
  public HubOptions setRateLimit(int rateLimit) {
    this.rateLimit = Checks.atLeast("rateLimit", rateLimit, 0);
    return this;
  }

  /** @return joins and leaves per second per connection; 0 for no limit */
  public int getJoinRateLimit() {
    return joinRateLimit;
  }

  /**
   * @param joinRateLimit joins and leaves per second per connection, apart from {@code rateLimit}
   *     (a join can cost far more than a message), with bursts of {@code maxRoomsPerConnection} so
   *     that a reconnecting client joins all its rooms at once; over it a join or leave is
   *     answered {@code rate_limited}, and 10 s over it closes with 1008. 0 for no limit.
   * @return this
   */
  public HubOptions setJoinRateLimit(int joinRateLimit) {
    this.joinRateLimit = Checks.atLeast("joinRateLimit", joinRateLimit, 0);
    return this;
  }

  /** @return rooms per second the hub's shards on one node may open; 0 for no limit */
  public int getFreshRoomRate() {
    return freshRoomRate;
  }

  /**
   * @param freshRoomRate rooms per second the hub may open on one node (a join into a room with
   *     no member yet on that event loop), with bursts of a second's worth: the node's bound on
   *     what a flood of fresh-room joins may cost it. Joins beyond it wait, not fail, and the
   *     connection served least recently goes first, so that clients that join now and then are
   *     not starved by those that join all the time. 0 for no limit.
   * @return this
   */
  public HubOptions setFreshRoomRate(int freshRoomRate) {
    this.freshRoomRate = Checks.atLeast("freshRoomRate", freshRoomRate, 0);
    return this;
  }

  /** @return rooms a connection may be in besides {@code root} */
  public int getMaxRoomsPerConnection() {
    return maxRoomsPerConnection;
  }

  /**
   * @param maxRoomsPerConnection rooms a connection may join besides {@code root}; one more is {@code forbidden}
   * @return this
   */
  public HubOptions setMaxRoomsPerConnection(int maxRoomsPerConnection) {
    this.maxRoomsPerConnection = Checks.atLeast("maxRoomsPerConnection", maxRoomsPerConnection, 1);
    return this;
  }

  /** @return bytes queued to a client before messages to it are dropped */
  public int getSendQueueLimit() {
    return sendQueueLimit;
  }

  /**
   * @param sendQueueLimit bytes queued to a client past which messages to it are dropped and counted (at least 1024)
   * @return this
   */
  public HubOptions setSendQueueLimit(int sendQueueLimit) {
    this.sendQueueLimit = Checks.atLeast("sendQueueLimit", sendQueueLimit, 1024);
    return this;
  }

  /** @return how long a client's queue may stay full, in ms */
  public long getSlowClientTimeout() {
    return slowClientTimeout;
  }

  /**
   * @param slowClientTimeout how long a client's queue may stay full before it is closed with 1013, in ms
   * @return this
   */
  public HubOptions setSlowClientTimeout(long slowClientTimeout) {
    this.slowClientTimeout = Checks.atLeast("slowClientTimeout", slowClientTimeout, 100);
    return this;
  }

  /** @return idle time before a ping, in ms */
  public long getPingInterval() {
    return pingInterval;
  }

  /**
   * @param pingInterval time without a frame from a client before the server sends a WebSocket ping,
   *     in ms; each connection is pinged somewhere in the last fifth of it, so that clients that
   *     connected together are not pinged together
   * @return this
   */
  public HubOptions setPingInterval(long pingInterval) {
    this.pingInterval = Checks.atLeast("pingInterval", pingInterval, 100);
    return this;
  }

  /** @return how long a ping waits, in ms */
  public long getPongTimeout() {
    return pongTimeout;
  }

  /**
   * @param pongTimeout time a ping waits for a pong or any frame before the close with 1001, in ms
   * @return this
   */
  public HubOptions setPongTimeout(long pongTimeout) {
    this.pongTimeout = Checks.atLeast("pongTimeout", pongTimeout, 100);
    return this;
  }

  /** @return the time to send a whole upgrade request, in ms */
  public long getHandshakeTimeout() {
    return handshakeTimeout;
  }

  /**
   * @param handshakeTimeout time a new TCP connection has to send its whole upgrade request, in ms
   *     (the server applies the longest of its hubs', since a half-sent request names no hub yet)
   * @return this
   */
  public HubOptions setHandshakeTimeout(long handshakeTimeout) {
    this.handshakeTimeout = Checks.atLeast("handshakeTimeout", handshakeTimeout, 100);
    return this;
  }

  /** @return connections this hub takes on one node; 0 for no limit */
  public int getMaxConnections() {
    return maxConnections;
  }

  /**
   * @param maxConnections connections this hub takes on one node; more are refused with HTTP 503. 0 for no limit.
   * @return this
   */
  public HubOptions setMaxConnections(int maxConnections) {
    this.maxConnections = Checks.atLeast("maxConnections", maxConnections, 0);
    return this;
  }

  /** @return connections this hub takes from one IP address on one node; 0 for no limit */
  public int getMaxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  /**
   * @param maxConnectionsPerAddress connections from one IP address on one node; more are refused
   *     with HTTP 429. 0 for no limit.
   * @return this
   */
  public HubOptions setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
    this.maxConnectionsPerAddress = Checks.atLeast("maxConnectionsPerAddress", maxConnectionsPerAddress, 0);
    return this;
  }

  /** @return frames one message may be split into */
  public int getMaxFragments() {
    return maxFragments;
  }

  /**
   * @param maxFragments frames one message may be split into; more close the connection with 1009
   * @return this
   */
  public HubOptions setMaxFragments(int maxFragments) {
    this.maxFragments = Checks.atLeast("maxFragments", maxFragments, 1);
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HubOptions && toJson().equals(((HubOptions) o).toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    JsonObject json = toJson();
    // A webhook's secret signs what receivers trust: it is never printed.
    JsonArray hooks = json.getJsonArray("webhooks");
    if (hooks != null) {
      hooks.forEach(w -> ((JsonObject) w).put("secret", "***"));
    }
    return "HubOptions" + json.encode();
  }
}
