package io.roomcast.gateway.impl;

import io.roomcast.gateway.Hub;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.Position;
import io.roomcast.gateway.impl.bus.Attached;
import io.roomcast.gateway.impl.bus.BusMessage;
import io.roomcast.gateway.impl.bus.ClientIds;
import io.roomcast.gateway.impl.bus.DirectDelivery;
import io.roomcast.gateway.impl.bus.RoomDelivery;
import io.roomcast.gateway.impl.bus.ShardCommand;
import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The part of a hub that lives on one event loop: its connections, its rooms, and their
 * event-bus consumers. Everything here runs on that event loop, so nothing is locked; other
 * threads reach a shard through its event-bus address or {@link #call(Function)}.
 */
final class HubShard {

  private static final Logger log = LoggerFactory.getLogger(HubShard.class);

  private final HubImpl hub;
  private final int index;
  private final Context context;
  private final Thread thread;
  private final EarlyFlush earlyFlush;
  private final Map<String, HubConnection> connections = new HashMap<>();
  private final Map<String, RoomMembers> rooms = new HashMap<>();
  private final Map<Long, Attaching> attaching = new HashMap<>();
  private long attachTokens;
  private MessageConsumer<BusMessage> commands;
  private long sequence;
  private long heartbeatTimer = -1;

  /** A would-be member of a room with history, waiting for its place in the room's order. */
  private record Attaching(HubConnection connection, String room, Promise<Joined> joined) {
  }

  HubShard(HubImpl hub, int index, Context context) {
    this.hub = hub;
    this.index = index;
    this.context = context;
    this.thread = context.isEventLoopContext() ? Thread.currentThread() : null;
    this.earlyFlush = new EarlyFlush(context.isEventLoopContext() ? ((ContextInternal) context).nettyEventLoop() : null);
  }

  /** Registers the shard's address and its {@code root} room, once the hub has started. */
  Future<HubShard> start() {
    return hub.start().compose(v -> register());
  }

  private Future<HubShard> register() {
    commands = hub.eventBus().consumer(hub.addresses().shard(node(), index), this::onCommand);
    RoomMembers root = openRoom(Hub.ROOT);
    HubOptions options = hub.settings();
    // Fine enough to spread pings over the spread window, cheap at any count (a loop over a map).
    long period = Math.max(50, Math.min(250, Math.min(options.getPingInterval(), options.getPongTimeout()) / 4));
    heartbeatTimer = hub.vertx().setPeriodic(period, id -> checkHeartbeats(options.getPingInterval(), options.getPongTimeout()));
    return Future.all(commands.completion(), root.ready()).map(this);
  }

  /**
   * Pings clients that have been silent for the ping interval, closes with 1001 those that sent
   * nothing, not even a pong, for the pong timeout after a ping, and with 4001 those whose token
   * expired. One timer per shard, not one per connection.
   */
  private void checkHeartbeats(long pingInterval, long pongTimeout) {
    long now = System.nanoTime();
    long pingAfter = TimeUnit.MILLISECONDS.toNanos(pingInterval);
    long giveUpAfter = TimeUnit.MILLISECONDS.toNanos(pongTimeout);
    long nowMillis = System.currentTimeMillis();
    List<HubConnection> lost = null;
    List<HubConnection> expired = null;
    for (HubConnection c : connections.values()) {
      if (c.heartbeatLost(now, pingAfter, giveUpAfter)) {
        lost = add(lost, c);
      } else if (c.tokenExpired(nowMillis)) {
        expired = add(expired, c);
      }
    }
    // Closed after the walk: a close takes the connection out of the map at once.
    if (lost != null) {
      lost.forEach(c -> c.close(1001, "heartbeat lost"));
    }
    if (expired != null) {
      for (HubConnection c : expired) {
        hub.stats().countTokenExpiry();
        c.close(4001, "token expired");
      }
    }
  }

  private static List<HubConnection> add(List<HubConnection> list, HubConnection c) {
    List<HubConnection> l = list == null ? new ArrayList<>() : list;
    l.add(c);
    return l;
  }

  HubImpl hub() {
    return hub;
  }

  String node() {
    return hub.gateway().nodeId();
  }

  int index() {
    return index;
  }

  /**
   * Runs a function on the shard's event loop.
   *
   * @return its result
   */
  <T> Future<T> call(Function<HubShard, T> function) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        promise.complete(function.apply(this));
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  /** Takes a freshly upgraded socket: gives it an id, joins its rooms, welcomes it. */
  void open(ServerWebSocket ws, HandshakeImpl handshake, JsonObject claims, String pathRoom, String address) {
    if (ws.isClosed()) {
      hub.limits().release(address);
      return;
    }
    // From here the connection holds its place under the limits until detach() gives it back.
    String id = ClientIds.format(node(), index, ++sequence);
    HubConnection c = new HubConnection(this, ws, id, handshake, claims, address);
    connections.put(id, c);
    hub.users().add(c);
    // Before its rooms are joined (a path room's join comes next), and paired with the disconnect of detach().
    hub.lifecycle().connected(c);
    ws.setWriteQueueMaxSize(hub.settings().getSendQueueLimit());
    c.wire();
    join(c, Hub.ROOT);
    Future<Joined> joined = pathRoom == null ? Future.succeededFuture() : join(c, pathRoom);
    joined.onComplete(ar -> {
      if (c.isClosed()) {
        return;
      }
      if (ar.failed()) {
        c.close(1011, "the room could not be joined");
        return;
      }
      c.sendWelcome();
      ws.resume();
      hub.callbacks().fireConnect(c);
    });
  }

  /**
   * @return completed once messages published to the room reach the connection; joining twice is fine
   */
  Future<Joined> join(HubConnection c, String room) {
    return join(c, room, null, null);
  }

  /**
   * @param since where a member of a room with history recovers from, or {@code null}
   * @param info the JSON text of the member's info in a presence room, or {@code null}
   * @return completed once messages published to the room reach the connection (and, in a
   *     presence room, once the room's roster lists it), with where it joined in a room with
   *     history ({@code null} elsewhere); joining twice is fine
   */
  Future<Joined> join(HubConnection c, String room, Position since, String info) {
    if (!rooms.containsKey(room)) {
      // A room this event loop has to open: within the node's bound on rooms opened per second.
      return hub.freshRooms().acquire(c).compose(v -> c.isClosed()
        ? Future.failedFuture("the connection closed while waiting to join")
        : joinOpen(c, room, since, info));
    }
    return joinOpen(c, room, since, info);
  }

  private Future<Joined> joinOpen(HubConnection c, String room, Position since, String info) {
    RoomMembers members = rooms.get(room);
    if (members == null) {
      members = openRoom(room);
    }
    if (hub.history().ruleOf(room) != null) {
      return attach(c, room, members, since, info);
    }
    members.add(c);
    if (c.addRoom(room)) {
      hub.lifecycle().joined(c, room);
      if (hub.presenceEnabled(room)) {
        return members.ready().compose(v -> hub.presenceJoined(c, room, info)).map((Joined) null);
      }
    }
    return members.ready().map((Joined) null);
  }

  /**
   * Joins a room with history: the member is added when the room's partition answers on the
   * room's address ({@link Attached}), in line with the room's messages, so that it receives
   * exactly those after its place.
   */
  private Future<Joined> attach(HubConnection c, String room, RoomMembers members, Position since, String info) {
    // Unique on this node: the answer reaches every shard that holds the room.
    long token = ((long) index << 48) | ++attachTokens;
    Promise<Joined> joined = Promise.promise();
    attaching.put(token, new Attaching(c, room, joined));
    members.attaching++;
    boolean first = c.addRoom(room);
    hub.relay().attach(room, token, members.contains(c) ? null : since);
    if (first) {
      joined.future().onSuccess(j -> hub.lifecycle().joined(c, room));
    }
    if (first && hub.presenceEnabled(room)) {
      return joined.future().compose(j -> hub.presenceJoined(c, room, info).map(j));
    }
    return joined.future();
  }

  private void onAttached(String room, RoomMembers members, Attached answer) {
    Attaching a = attaching.remove(answer.token());
    if (a == null) {
      return;
    }
    members.attaching--;
    HubConnection c = a.connection;
    if (answer.failure() != null) {
      if (!members.contains(c)) {
        c.removeRoom(room);
      }
      a.joined.fail(answer.failure());
    } else if (c.isClosed() || !c.isMember(room) || members.contains(c)) {
      // Left or closed while waiting, or a member already: its place was taken once only.
      hub.relay().detach(room);
      if (members.contains(c)) {
        a.joined.complete(new Joined(answer.offset(), answer.epoch(), null));
      } else {
        a.joined.fail("left the room while joining");
      }
    } else {
      for (RoomDelivery missed : answer.recovery()) {
        c.deliver(missed);
      }
      members.add(c);
      a.joined.complete(new Joined(answer.offset(), answer.epoch(), answer.recovered()));
    }
    closeIfEmpty(room, members);
  }

  void leave(HubConnection c, String room) {
    if (!c.removeRoom(room)) {
      return;
    }
    // Before the room may be vacated: a service hears of the leave first.
    hub.lifecycle().left(c, room);
    removeMember(c, room);
    if (hub.presenceEnabled(room)) {
      hub.presenceLeft(c, room);
    }
  }

  private void removeMember(HubConnection c, String room) {
    RoomMembers members = rooms.get(room);
    if (members == null) {
      return;
    }
    if (members.contains(c) && hub.history().ruleOf(room) != null) {
      hub.relay().detach(room);
    }
    members.remove(c);
    closeIfEmpty(room, members);
  }

  private void closeIfEmpty(String room, RoomMembers members) {
    if (members.isEmpty() && !Hub.ROOT.equals(room) && rooms.get(room) == members) {
      rooms.remove(room);
      members.unregister();
      if (hub.stats().roomClosed(room)) {
        hub.lifecycle().vacated(room);
      }
    }
  }

  private RoomMembers openRoom(String room) {
    // Local: the room's messages reach this node through the hub's relay partitions.
    MessageConsumer<BusMessage> consumer = hub.eventBus().localConsumer(hub.addresses().room(room));
    RoomMembers members = new RoomMembers(consumer, consumer.completion());
    consumer.handler(msg -> onRoomMessage(room, members, msg.body()));
    rooms.put(room, members);
    if (hub.stats().roomOpened(room)) {
      hub.lifecycle().occupied(room);
    }
    return members;
  }

  private void onRoomMessage(String room, RoomMembers members, BusMessage message) {
    if (message instanceof RoomDelivery d) {
      HubConnection excluded = d.exclude() == null ? null : connections.get(d.exclude());
      members.deliver(d, excluded, earlyFlush);
      hub.stats().observeDelivery(d.publishedAt());
    } else if (message instanceof Attached answer) {
      onAttached(room, members, answer);
    }
  }

  private void onCommand(Message<BusMessage> msg) {
    BusMessage body = msg.body();
    String client = body instanceof DirectDelivery d ? d.to() : body instanceof ShardCommand command ? command.client() : null;
    if (client == null) {
      log.warn("unexpected message on a shard's address: {}", body);
      msg.fail(ReplyFailure.RECIPIENT_FAILURE.toInt(), "not a command");
      return;
    }
    HubConnection c = connections.get(client);
    if (c == null || c.isClosed()) {
      msg.fail(ClientCommands.UNKNOWN_CLIENT_FAILURE, "no client " + client);
      return;
    }
    if (body instanceof DirectDelivery d) {
      c.deliver(d);
      hub.stats().observeDelivery(d.publishedAt());
      msg.reply(null);
    } else if (body instanceof ShardCommand.Join join) {
      join(c, join.room()).onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(null);
        } else {
          msg.fail(ReplyFailure.RECIPIENT_FAILURE.toInt(), ar.cause().getMessage());
        }
      });
    } else if (body instanceof ShardCommand.Leave leave) {
      if (Hub.ROOT.equals(leave.room())) {
        msg.fail(ClientCommands.FORBIDDEN_FAILURE, "root cannot be left");
      } else {
        leave(c, leave.room());
        msg.reply(null);
      }
    } else if (body instanceof ShardCommand.Close close) {
      c.close(close.code(), close.reason());
      msg.reply(null);
    }
  }

  /**
   * Takes a connection out of the hub at once: out of its rooms (collecting those left empty), no
   * more deliveries, its place under the limits given back. Idempotent: a server-side close
   * detaches right away, and the socket's close handler comes later.
   */
  void detach(HubConnection c) {
    if (connections.remove(c.id()) == null) {
      return;
    }
    hub.limits().release(c.address());
    List<String> left = new ArrayList<>(c.joinedRooms());
    for (String room : left) {
      c.removeRoom(room);
      hub.lifecycle().left(c, room);
      removeMember(c, room);
    }
    for (String room : left) {
      if (hub.presenceEnabled(room)) {
        hub.presenceLeft(c, room);
      }
    }
    hub.users().remove(c);
    hub.lifecycle().disconnected(c);
  }

  /** The connection's socket is closed: it leaves the hub, then the application hears of it. */
  void closed(HubConnection c) {
    detach(c);
    c.markClosed();
    hub.callbacks().fireClose(c);
  }

  /** @return whether the caller runs on this shard's event loop */
  boolean isCurrentThread() {
    return Thread.currentThread() == thread;
  }

  /** @return member counts of this shard's rooms */
  Map<String, Integer> roomCounts() {
    Map<String, Integer> counts = new HashMap<>();
    rooms.forEach((room, members) -> counts.put(room, members.size()));
    return counts;
  }

  /** @return ids of this shard's members of a room */
  List<String> members(String room) {
    RoomMembers members = rooms.get(room);
    return members == null ? List.of() : members.memberIds();
  }

  int connectionCount() {
    return connections.size();
  }

  /** Closes every connection and unregisters the shard's consumers. */
  Future<Void> close(int code, String reason) {
    if (heartbeatTimer >= 0) {
      hub.vertx().cancelTimer(heartbeatTimer);
    }
    List<Future<Void>> closing = new ArrayList<>();
    for (HubConnection c : new ArrayList<>(connections.values())) {
      closing.add(c.close(code, reason).recover(t -> Future.succeededFuture()));
    }
    return Future.join(closing).transform(ar -> {
      attaching.values().forEach(a -> a.joined.tryFail("the hub is closing"));
      attaching.clear();
      List<Future<Void>> unregistering = new ArrayList<>();
      rooms.values().forEach(r -> unregistering.add(r.unregister()));
      rooms.keySet().forEach(hub.stats()::roomClosed);
      rooms.clear();
      if (commands != null) {
        unregistering.add(commands.unregister());
      }
      return Future.join(unregistering).mapEmpty();
    });
  }
}
