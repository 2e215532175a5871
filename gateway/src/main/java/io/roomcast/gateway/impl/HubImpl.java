package io.roomcast.gateway.impl;

import io.roomcast.gateway.Authenticator;
import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.Connection;
import io.roomcast.gateway.EventContext;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.History;
import io.roomcast.gateway.HistoryMessage;
import io.roomcast.gateway.HistoryOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.Position;
import io.roomcast.gateway.Presence;
import io.roomcast.gateway.RoomInfo;
import io.roomcast.gateway.WebhookOptions;
import io.roomcast.gateway.impl.bus.Addresses;
import io.roomcast.gateway.impl.bus.DirectDelivery;
import io.roomcast.gateway.impl.bus.PresenceEntry;
import io.roomcast.gateway.impl.bus.RoomDelivery;
import io.roomcast.gateway.impl.bus.ShardCommand;
import io.roomcast.gateway.impl.codec.Names;
import io.roomcast.gateway.impl.codec.Payloads;
import io.roomcast.gateway.internal.ClusterAnswer;
import io.roomcast.gateway.internal.HubAdmin;
import io.roomcast.gateway.internal.HubCounters;
import io.roomcast.gateway.internal.HubInternal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A hub on one node: its settings and handlers, its shards (one per event loop that serves it),
 * and the hub operations, which reach a client through {@link ClientCommands}, a room through the
 * event bus, and the whole cluster through {@link HubQueries}.
 */
final class HubImpl implements HubInternal {

  private static final Logger log = LoggerFactory.getLogger(HubImpl.class);

  private final GatewayImpl gateway;
  private final HubOptions options;
  private final String name;
  private final Addresses addresses;
  private final DeliveryOptions requestOptions;
  private final Dispatcher dispatcher;
  private final List<RoomPattern> presence;
  private final List<RoomPattern> presenceEvents;
  private final Map<String, Handler<EventContext>> handlers = new ConcurrentHashMap<>();
  private final Callbacks<EventContext> callbacks;
  private final Map<Object, Future<HubShard>> shardsByKey = new ConcurrentHashMap<>();
  private final Map<Integer, HubShard> shards = new ConcurrentHashMap<>();
  private final AtomicInteger nextShard = new AtomicInteger();
  private final ClientCommands commands;
  private final NodeMailbox mailbox = new NodeMailbox(this);
  private final HubQueries queries;
  private final SubscriptionConfirmer confirmer;
  private final RoomRelay relay;
  private final HistoryRooms history;
  private final PresenceSync presenceSync;
  private final UserConnections users;
  private final FreshRoomGate freshRooms;
  private final ServiceApi api;
  private final Lifecycle lifecycle;
  private final ServiceAuthorizer authorizer;
  /** The hub's HTTP backends (services and authorizers with a url) and webhooks' client; {@code null} when it has none. */
  private final HttpServiceProxy http;
  private Future<Void> started;
  private final HubStats stats = new HubStats();
  private final OriginPolicy origins;
  private final Permissions permissions;
  private final ConnectionLimits limits;
  /** The options' authenticator (auth.jwt or auth.service), or {@code null}: what an application's gives way to. */
  private final Authenticator configuredAuthenticator;
  private volatile Authenticator authenticator;

  HubImpl(GatewayImpl gateway, HubOptions options) {
    this.gateway = gateway;
    this.options = new HubOptions(options);
    this.name = options.getName();
    this.addresses = new Addresses(name);
    this.requestOptions = new DeliveryOptions().setSendTimeout(gateway.options().getRequestTimeout());
    this.http = HttpServiceProxy.of(gateway.vertx(), this.options);
    this.dispatcher = new Dispatcher(this);
    this.presence = RoomPattern.compileAll(options.getPresence());
    this.presenceEvents = RoomPattern.compileAll(options.getPresenceEvents());
    this.callbacks = new Callbacks<>("hub " + name);
    this.commands = new ClientCommands(eventBus(), addresses, requestOptions);
    Survey survey = new Survey(eventBus(), addresses, gateway.nodeId(), gateway::liveNodes, mailbox::answer, requestOptions);
    this.queries = new HubQueries(name, options.getPath(), gateway.nodeId(), survey);
    this.confirmer = new SubscriptionConfirmer(gateway.vertx(), addresses, gateway.nodeId(), gateway::liveNodes,
      gateway.options().getRequestTimeout(), requestOptions);
    this.history = new HistoryRooms(options.getHistory(), options.getHistory().isEmpty() ? null : gateway.historyStore(name));
    this.relay = new RoomRelay(this);
    this.presenceSync = new PresenceSync(this);
    this.users = new UserConnections(this);
    this.api = new ServiceApi(this);
    this.authorizer = new ServiceAuthorizer(name, eventBus(), http, this.options);
    List<WebhookSender> webhooks = new ArrayList<>();
    for (WebhookOptions w : options.getWebhooks()) {
      webhooks.add(new WebhookSender(name, w, http.client(), gateway.vertx().getOrCreateContext(), stats));
    }
    this.lifecycle = new Lifecycle(eventBus(), options.getLifecycleAddress(), name, gateway.nodeId(), webhooks);
    this.freshRooms = new FreshRoomGate(gateway.vertx(), stats, options.getFreshRoomRate(), options.getMaxRoomsPerConnection());
    this.origins = new OriginPolicy(options.getAllowedOrigins(), options.isRequireOrigin());
    this.permissions = options.getPermissions() == null ? null : Permissions.compile(options.getPermissions());
    this.limits = new ConnectionLimits(options.getMaxConnections(), options.getMaxConnectionsPerAddress());
    this.configuredAuthenticator = options.getJwt() != null ? new JwtAuthenticator(gateway.vertx(), options.getJwt())
      : options.getAuthService() != null ? new ServiceAuthenticator(name, eventBus(), http, options) : null;
    this.authenticator = configuredAuthenticator;
  }

  /** Registers the hub's addresses; connections are welcomed once it completes. */
  synchronized Future<Void> start() {
    if (started == null) {
      started = Future.all(List.of(mailbox.start(), confirmer.start(), users.start(), api.start(),
          hasPresence() ? presenceSync.start() : Future.succeededFuture()))
        .compose(v -> relay.start())
        .onSuccess(v -> {
          if (hasPresence()) {
            presenceSync.begin();
          }
        });
    }
    return started;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public HubOptions options() {
    return new HubOptions(options);
  }

  /** @return the options themselves, not a copy: for reading on hot paths */
  HubOptions settings() {
    return options;
  }

  HistoryRooms history() {
    return history;
  }

  RoomRelay relay() {
    return relay;
  }

  GatewayImpl gateway() {
    return gateway;
  }

  HttpServiceProxy http() {
    return http;
  }

  Vertx vertx() {
    return gateway.vertx();
  }

  EventBus eventBus() {
    return gateway.vertx().eventBus();
  }

  Addresses addresses() {
    return addresses;
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }

  SubscriptionConfirmer confirmer() {
    return confirmer;
  }

  PresenceSync presenceSync() {
    return presenceSync;
  }

  UserConnections users() {
    return users;
  }

  Lifecycle lifecycle() {
    return lifecycle;
  }

  ServiceAuthorizer authorizer() {
    return authorizer;
  }

  /** @return the node's bound on the rooms the hub opens per second */
  FreshRoomGate freshRooms() {
    return freshRooms;
  }

  DeliveryOptions requestOptions() {
    return requestOptions;
  }

  Callbacks<EventContext> callbacks() {
    return callbacks;
  }

  @Override
  public HubAdmin admin() {
    return queries;
  }

  @Override
  public HubCounters counters() {
    return stats;
  }

  /** @return this hub's counters on this node, to count with */
  HubStats stats() {
    return stats;
  }

  @Override
  public Handler<RoutingContext> handler() {
    return new HubHandler(this);
  }

  @Override
  public Hub authenticator(Authenticator authenticator) {
    this.authenticator = authenticator != null ? authenticator : configuredAuthenticator;
    return this;
  }

  Authenticator currentAuthenticator() {
    return authenticator;
  }

  /** @return the clock skew allowed on a token's {@code exp}: the JWT option's leeway, none for an application's authenticator */
  long tokenLeewaySeconds() {
    return options.getJwt() == null ? 0 : options.getJwt().getLeeway();
  }

  OriginPolicy origins() {
    return origins;
  }

  ConnectionLimits limits() {
    return limits;
  }

  /** @return whether a client's join or publish in a room is allowed by the hub's rules */
  boolean permits(Permissions.Action action, String room, JsonObject claims) {
    return permissions == null || permissions.allows(action, room, claims);
  }

  /** @return whether a room keeps presence: it matches a pattern, and is not {@code root}, which every connection is in */
  boolean presenceEnabled(String room) {
    return !presence.isEmpty() && !Hub.ROOT.equals(room) && RoomPattern.anyMatches(presence, room);
  }

  /** @return whether the members of a presence room hear each other's joins and leaves */
  boolean presenceEventsEnabled(String room) {
    return RoomPattern.anyMatches(presenceEvents, room);
  }

  /** @return whether any room of the hub keeps presence */
  boolean hasPresence() {
    return !presence.isEmpty();
  }

  @Override
  public Hub on(String event, Handler<EventContext> handler) {
    Names.requireEvent("event", event);
    if (handler == null) {
      handlers.remove(event);
    } else {
      handlers.put(event, handler);
    }
    return this;
  }

  Handler<EventContext> eventHandler(String event) {
    return handlers.get(event);
  }

  @Override
  public Hub onConnect(Handler<Connection> handler) {
    callbacks.onConnect(handler);
    return this;
  }

  @Override
  public Hub onMessage(Handler<EventContext> handler) {
    callbacks.onMessage(handler);
    return this;
  }

  @Override
  public Hub onClose(Handler<Connection> handler) {
    callbacks.onClose(handler);
    return this;
  }

  @Override
  public Hub onError(BiConsumer<Connection, Throwable> handler) {
    callbacks.onError(handler);
    return this;
  }

  // ---- shards ----

  /** Takes an upgraded socket into the shard of the current event loop. */
  void accept(ServerWebSocket ws, HandshakeImpl handshake, JsonObject claims, String pathRoom, String address) {
    ws.pause();
    currentShard().onComplete(ar -> {
      if (ar.succeeded()) {
        ar.result().open(ws, handshake, claims, pathRoom, address);
      } else {
        log.error("hub {} could not start a shard", name, ar.cause());
        limits.release(address);
        ws.close((short) 1011, "internal error");
      }
    });
  }

  private Future<HubShard> currentShard() {
    Context context = Vertx.currentContext();
    // An event loop is one thread; a worker context is sequential but hops threads.
    Object key = context.isEventLoopContext() ? Thread.currentThread() : context;
    Future<HubShard> shard = shardsByKey.get(key);
    if (shard == null) {
      HubShard created = new HubShard(this, nextShard.getAndIncrement(), context);
      shards.put(created.index(), created);
      shard = created.start();
      shardsByKey.put(key, shard);
    }
    return shard;
  }

  /** @return what a function gives on each shard, run on the shard's own event loop */
  <T> Future<List<T>> eachShard(Function<HubShard, T> function) {
    List<Future<T>> parts = new ArrayList<>();
    shards.values().forEach(shard -> parts.add(shard.call(function)));
    return Future.all(parts).map(all -> {
      List<T> results = new ArrayList<>(parts.size());
      parts.forEach(p -> results.add(p.result()));
      return results;
    });
  }

  // ---- operations ----

  @Override
  public Future<Void> join(String clientId, String room) {
    return commands.send(clientId, () -> new ShardCommand.Join(clientId, Names.requireRoom(room)));
  }

  @Override
  public Future<Void> leave(String clientId, String room) {
    return commands.send(clientId, () -> new ShardCommand.Leave(clientId, Names.requireRoom(room)));
  }

  @Override
  public Future<Position> broadcast(String room, String event, Object data) {
    return publish(room, event, null, null, data);
  }

  @Override
  public Future<Position> broadcastOthers(String room, String senderId, String event, Object data) {
    return publish(room, event, null, senderId, data);
  }

  @Override
  public Future<History> history(String room, int limit, long before) {
    HistoryOptions rule;
    try {
      rule = history.ruleOf(Names.requireRoom(room));
      if (rule == null) {
        throw new IllegalArgumentException("room \"" + room + "\" keeps no history");
      }
      if (limit == 0) {
        limit = Math.min(HistoryRequests.DEFAULT_LIMIT, rule.getSize());
      }
      if (limit < 1 || limit > rule.getSize()) {
        throw new IllegalArgumentException("limit must be 1 to " + rule.getSize() + ", got " + limit);
      }
      if (before < 0) {
        throw new IllegalArgumentException("before must not be negative, got " + before);
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    int most = limit;
    return history.store().read(room, rule, 0, before, most, true).map(s -> {
      List<HistoryMessage> messages = new ArrayList<>(s.entries().size());
      s.entries().forEach(e -> messages.add(e.toMessage()));
      return new History(room, new Position(s.lastOffset(), s.epoch()), messages);
    });
  }

  @Override
  public Future<Void> send(String clientId, String event, Object data) {
    return sendDirect(clientId, event, null, data);
  }

  @Override
  public Future<Void> remove(String clientId) {
    return commands.send(clientId, () -> new ShardCommand.Close(clientId, 1000, "removed"));
  }

  @Override
  public Future<Void> kick(String clientId) {
    return commands.send(clientId, () -> new ShardCommand.Close(clientId, 1008, "kicked"));
  }

  @Override
  public Future<List<ClientInfo>> clients(String room) {
    try {
      Names.requireRoom(room);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return queries.members(room).map(ClusterAnswer::value);
  }

  @Override
  public Future<List<RoomInfo>> rooms() {
    return queries.rooms().map(ClusterAnswer::value);
  }

  @Override
  public Future<Long> count() {
    return queries.count().map(ClusterAnswer::value);
  }

  Future<Position> publish(String room, String event, String from, String exclude, Object data) {
    Names.requireRoom(room);
    Names.requireEvent("event", event);
    boolean binary = data instanceof Buffer;
    return publish(new RoomDelivery(room, event, from, exclude, binary ? (Buffer) data : Payloads.jsonOf(data), binary), null);
  }

  /**
   * @param key the client's idempotency key, or {@code null}
   * @return the message's position in a room with history, else {@code null}
   */
  Future<Position> publish(RoomDelivery delivery, String key) {
    return relay.publish(delivery, key);
  }

  /**
   * A connection of this node joined a presence room.
   *
   * @param info the JSON text of its info, or {@code null}
   * @return completed once the room's roster on this node lists it
   */
  Future<Void> presenceJoined(HubConnection c, String room, String info) {
    return relay.presence(room, p -> {
      p.localJoined(new PresenceEntry(room, c.id(), c.user(), info));
      return null;
    });
  }

  /** A connection of this node left a presence room, or closed. */
  void presenceLeft(HubConnection c, String room) {
    relay.presence(RoomRelay.partitionOf(room), p -> p.localLeft(room, c.id(), c.user()));
  }

  @Override
  public Future<Presence> presence(String room, boolean countOnly) {
    try {
      requirePresence(room);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return relay.presence(room, p -> p.query(room, countOnly));
  }

  /**
   * @return the {@code presence} request's answer, as JSON: what a client gets, encoded from
   *     entries encoded once
   */
  Future<Buffer> presenceAnswer(String room, boolean countOnly) {
    return relay.presence(room, p -> p.answer(room, countOnly));
  }

  /** @throws IllegalArgumentException naming why when the room is no presence room */
  void requirePresence(String room) {
    Names.requireRoom(room);
    if (!presenceEnabled(room)) {
      throw new IllegalArgumentException("room \"" + room + "\" keeps no presence: it matches none of the hub's presence patterns "
        + presence.stream().map(RoomPattern::toString).toList());
    }
  }

  @Override
  public Future<Void> sendToUser(String user, String event, Object data) {
    try {
      Names.requireEvent("event", event);
      requireUser(user);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    boolean binary = data instanceof Buffer;
    users.publish(new DirectDelivery(user, event, null, binary ? (Buffer) data : Payloads.jsonOf(data), binary));
    return Future.succeededFuture();
  }

  @Override
  public Future<List<ClientInfo>> connectionsOf(String user) {
    try {
      requireUser(user);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return queries.connectionsOf(user).map(ClusterAnswer::value);
  }

  @Override
  public Future<Long> kickUser(String user) {
    try {
      requireUser(user);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return queries.kickUser(user).map(ClusterAnswer::value);
  }

  private static void requireUser(String user) {
    if (user == null || user.isEmpty()) {
      throw new IllegalArgumentException("user must not be empty");
    }
  }

  Future<Void> sendDirect(String to, String event, String from, Object data) {
    try {
      Names.requireEvent("event", event);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return commands.send(to, () -> {
      boolean binary = data instanceof Buffer;
      return new DirectDelivery(to, event, from, binary ? (Buffer) data : Payloads.jsonOf(data), binary);
    });
  }

  Future<Void> sendDirect(DirectDelivery delivery) {
    return commands.send(delivery.to(), () -> delivery);
  }

  Future<Void> close(int code, String reason) {
    List<Future<Void>> closing = new ArrayList<>();
    List<Future<Future<Void>>> detaching = new ArrayList<>();
    shards.values().forEach(shard -> detaching.add(shard.call(s -> s.close(code, reason))));
    detaching.forEach(detached -> closing.add(detached.compose(socketsClosed -> socketsClosed)));
    closing.add(mailbox.stop());
    closing.add(confirmer.stop());
    closing.add(users.stop());
    closing.add(api.stop());
    closing.add(presenceSync.stop());
    // Once every shard has let its clients go (not waiting for their close handshakes), their
    // disconnects and the rooms they vacated wait for the webhooks, which get a last chance.
    closing.add(Future.join(detaching).transform(ar -> lifecycle.close()).andThen(ar -> {
      if (http != null) {
        http.close();
      }
    }));
    // The partitions last: the connections' leaves from presence rooms go out through them.
    return Future.join(closing).transform(ar -> relay.stop()).<Void>mapEmpty().onComplete(ar -> history.close());
  }
}
