package io.roomcast.gateway.impl;

import io.roomcast.gateway.Authenticator;
import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.Connection;
import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.EventContext;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.RoomInfo;
import io.roomcast.gateway.RoomcastException;
import io.roomcast.gateway.impl.bus.Addresses;
import io.roomcast.gateway.impl.bus.ClientIds;
import io.roomcast.gateway.impl.bus.Delivery;
import io.roomcast.gateway.impl.codec.Names;
import io.roomcast.gateway.impl.codec.Payloads;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A hub on one node: its handlers, its shards (one per event loop that serves it), and the
 * cluster-wide operations, which travel as {@link Delivery} commands to the shard that holds a
 * client or as questions to every node.
 */
public final class HubImpl implements Hub {

  static final int UNKNOWN_CLIENT_FAILURE = 404;
  static final int FORBIDDEN_FAILURE = 403;

  private static final Logger log = LoggerFactory.getLogger(HubImpl.class);

  private final GatewayImpl gateway;
  private final HubOptions options;
  private final String name;
  private final Addresses addresses;
  private final Dispatcher dispatcher = new Dispatcher(this);
  private final List<RoomPattern> presence;
  private final Map<String, Handler<EventContext>> handlers = new ConcurrentHashMap<>();
  private final Map<Object, Future<HubShard>> shardsByKey = new ConcurrentHashMap<>();
  private final Map<Integer, HubShard> shards = new ConcurrentHashMap<>();
  private final AtomicInteger nextShard = new AtomicInteger();
  private final ClusterQueries queries;
  private final SubscriptionConfirmer confirmer = new SubscriptionConfirmer(this);
  private final HubStats stats = new HubStats();
  private final OriginPolicy origins;
  private final Permissions permissions;
  private final ConnectionLimits limits;
  private final Authenticator jwtAuthenticator;
  private volatile Authenticator authenticator;
  private final DeliveryOptions requestOptions;
  private volatile Handler<Connection> onConnect;
  private volatile Handler<EventContext> onMessage;
  private volatile Handler<Connection> onClose;
  private volatile BiConsumer<Connection, Throwable> onError;

  HubImpl(GatewayImpl gateway, HubOptions options) {
    this.gateway = gateway;
    this.options = new HubOptions(options);
    this.name = options.getName();
    this.addresses = new Addresses(name);
    this.presence = RoomPattern.compileAll(options.getPresence());
    this.requestOptions = new DeliveryOptions().setSendTimeout(gateway.options().getRequestTimeout());
    this.queries = new ClusterQueries(this);
    this.origins = new OriginPolicy(options.getAllowedOrigins(), options.isRequireOrigin());
    this.permissions = options.getPermissions() == null ? null : Permissions.compile(options.getPermissions());
    this.limits = new ConnectionLimits(options.getMaxConnections(), options.getMaxConnectionsPerAddress());
    this.jwtAuthenticator = options.getJwt() == null ? null : new JwtAuthenticator(gateway.vertx(), options.getJwt());
    this.authenticator = jwtAuthenticator;
  }

  Future<Void> start() {
    return queries.start();
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

  GatewayImpl gateway() {
    return gateway;
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

  ClusterQueries queries() {
    return queries;
  }

  SubscriptionConfirmer confirmer() {
    return confirmer;
  }

  DeliveryOptions requestOptions() {
    return requestOptions;
  }

  @Override
  public Handler<RoutingContext> handler() {
    return new HubHandler(this);
  }

  @Override
  public Hub authenticator(Authenticator authenticator) {
    this.authenticator = authenticator != null ? authenticator : jwtAuthenticator;
    return this;
  }

  Authenticator currentAuthenticator() {
    return authenticator;
  }

  /** @return this hub's counters on this node */
  public HubStats stats() {
    return stats;
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

  @Override
  public Hub onConnect(Handler<Connection> handler) {
    this.onConnect = handler;
    return this;
  }

  @Override
  public Hub onMessage(Handler<EventContext> handler) {
    this.onMessage = handler;
    return this;
  }

  @Override
  public Hub onClose(Handler<Connection> handler) {
    this.onClose = handler;
    return this;
  }

  @Override
  public Hub onError(BiConsumer<Connection, Throwable> handler) {
    this.onError = handler;
    return this;
  }

  Handler<EventContext> eventHandler(String event) {
    return handlers.get(event);
  }

  Handler<EventContext> onMessageHandler() {
    return onMessage;
  }

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

  List<HubShard> shards() {
    return new ArrayList<>(shards.values());
  }

  // ---- operations ----

  @Override
  public Future<Void> join(String clientId, String room) {
    return command(clientId, () -> Delivery.membership(true, clientId, Names.requireRoom(room)));
  }

  @Override
  public Future<Void> leave(String clientId, String room) {
    return command(clientId, () -> Delivery.membership(false, clientId, Names.requireRoom(room)));
  }

  @Override
  public void broadcast(String room, String event, Object data) {
    publish(room, event, null, null, data);
  }

  @Override
  public void broadcastOthers(String room, String senderId, String event, Object data) {
    publish(room, event, null, senderId, data);
  }

  @Override
  public Future<Void> send(String clientId, String event, Object data) {
    return sendDirect(clientId, event, null, data);
  }

  @Override
  public Future<Void> remove(String clientId) {
    return command(clientId, () -> Delivery.close(clientId, 1000, "removed"));
  }

  @Override
  public Future<Void> kick(String clientId) {
    return command(clientId, () -> Delivery.close(clientId, 1008, "kicked"));
  }

  @Override
  public Future<List<ClientInfo>> clients(String room) {
    try {
      Names.requireRoom(room);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return queries.clients(room);
  }

  @Override
  public Future<List<RoomInfo>> rooms() {
    return queries.rooms();
  }

  @Override
  public Future<Long> count() {
    return queries.count();
  }

  void publish(String room, String event, String from, String exclude, Object data) {
    Names.requireRoom(room);
    Names.requireEvent("event", event);
    boolean binary = data instanceof Buffer;
    publish(Delivery.room(room, event, from, exclude, binary ? (Buffer) data : Payloads.jsonOf(data), binary));
  }

  void publish(Delivery delivery) {
    eventBus().publish(addresses.room(delivery.room()), delivery);
  }

  void publishPresence(String room, String change, String clientId) {
    publish(Delivery.room(room, "presence", null, clientId, new JsonObject().put(change, clientId).toBuffer(), false));
  }

  boolean presenceEnabled(String room) {
    return !presence.isEmpty() && RoomPattern.anyMatches(presence, room);
  }

  Future<Void> sendDirect(String to, String event, String from, Object data) {
    try {
      Names.requireEvent("event", event);
      boolean binary = data instanceof Buffer;
      return sendDirect(Delivery.direct(to, event, from, binary ? (Buffer) data : Payloads.jsonOf(data), binary));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  Future<Void> sendDirect(Delivery delivery) {
    return command(delivery.to(), () -> delivery);
  }

  /** Sends a delivery to the shard that holds a client, wherever it is. */
  private Future<Void> command(String clientId, Supplier<Delivery> delivery) {
    ClientIds.Location location = ClientIds.parse(clientId);
    if (location == null) {
      return Future.failedFuture(new RoomcastException(ErrorCode.UNKNOWN_CLIENT, "no client " + clientId));
    }
    Delivery d;
    try {
      d = delivery.get();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return eventBus().request(addresses.shard(location.node(), location.shard()), d, requestOptions)
      .<Void>mapEmpty()
      .recover(t -> Future.failedFuture(asRoomcastException(t, clientId)));
  }

  static RoomcastException asRoomcastException(Throwable t) {
    return asRoomcastException(t, null);
  }

  static RoomcastException asRoomcastException(Throwable t, String clientId) {
    if (t instanceof RoomcastException) {
      return (RoomcastException) t;
    }
    String client = clientId == null ? "the client" : "client " + clientId;
    if (t instanceof ReplyException) {
      ReplyException e = (ReplyException) t;
      switch (e.failureType()) {
        case NO_HANDLERS:
          return new RoomcastException(ErrorCode.UNKNOWN_CLIENT, "no " + client);
        case TIMEOUT:
          return new RoomcastException(ErrorCode.UNAVAILABLE, "the node of " + client + " did not answer in time");
        default:
          if (e.failureCode() == UNKNOWN_CLIENT_FAILURE) {
            return new RoomcastException(ErrorCode.UNKNOWN_CLIENT, "no " + client);
          }
          if (e.failureCode() == FORBIDDEN_FAILURE) {
            return new RoomcastException(ErrorCode.FORBIDDEN, e.getMessage());
          }
      }
    }
    return new RoomcastException(ErrorCode.UNAVAILABLE, "the node of " + client + " could not be reached: " + t.getMessage());
  }

  // ---- callbacks ----

  void fireConnect(HubConnection c) {
    Handler<Connection> handler = onConnect;
    if (handler != null) {
      runCallback(c, () -> handler.handle(c));
    }
  }

  void fireClose(HubConnection c) {
    Handler<Connection> handler = onClose;
    if (handler != null) {
      runCallback(c, () -> handler.handle(c));
    }
  }

  void fireError(Connection c, Throwable t) {
    BiConsumer<Connection, Throwable> handler = onError;
    if (handler != null) {
      try {
        handler.accept(c, t);
      } catch (RuntimeException e) {
        log.warn("onError handler of hub {} failed", name, e);
      }
    }
  }

  void onSocketException(HubConnection c, Throwable t) {
    if (t instanceof CorruptedWebSocketFrameException) {
      // Netty refused a frame (too large, bad opcode, ...): close with the code it chose.
      CorruptedWebSocketFrameException e = (CorruptedWebSocketFrameException) t;
      c.close(e.closeStatus().code(), e.closeStatus().reasonText());
    }
    log.debug("connection {} failed", c.id(), t);
    fireError(c, t);
  }

  private void runCallback(HubConnection c, Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      log.warn("callback of hub {} failed on {}", name, c.id(), e);
      fireError(c, e);
    }
  }

  Future<Void> close(int code, String reason) {
    List<Future<Void>> closing = new ArrayList<>();
    for (HubShard shard : shards()) {
      closing.add(shard.call(s -> s.close(code, reason)).compose(f -> f));
    }
    closing.add(queries.stop());
    return Future.join(closing).mapEmpty();
  }
}
