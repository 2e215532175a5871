package io.roomcast.gateway.impl;

import io.roomcast.gateway.Encoding;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.impl.bus.Delivery;
import io.roomcast.gateway.impl.bus.DirectDelivery;
import io.roomcast.gateway.impl.codec.Payloads;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A connection of a hub: it reads envelopes and is written deliveries, under the hub's limits
 * (rate, send queue, heartbeat). Its state is confined to its shard's event loop; {@link #rooms()}
 * is a snapshot that any thread may read.
 */
final class HubConnection extends WebSocketConnection {

  private static final Logger log = LoggerFactory.getLogger(HubConnection.class);
  /**
   * Share of the ping interval over which pings are spread: clients that connected together (a
   * load test, a mass reconnect after a node restart) would otherwise all be pinged, and all
   * answer, in the same sweep: thousands of writes and reads at once on one event loop.
   */
  private static final double PING_SPREAD = 0.2;

  private final HubShard shard;
  private final HubImpl hub;
  private final String address;
  private final String user;
  /** Wall-clock ms from which the token is expired (PROTOCOL.md section 8), or never. */
  private volatile long tokenDeadline;
  private final Set<String> rooms = new LinkedHashSet<>();
  private volatile Set<String> roomsSnapshot = Set.of();
  private final RateLimiter rateLimiter;
  private final RateLimiter joinLimiter;
  private boolean warnedJoinRateLimit;
  /** When the node's fresh-room bound last let this connection open a room (nanoTime), 0 never; guarded by the gate. */
  long freshRoomServedAt;
  /** This connection's joins waiting for the node's fresh-room bound; guarded by the gate. */
  int freshRoomWaits;
  /** The last publish decision asked of a service on this connection, completed once handled. */
  private Future<Void> authorizations = Future.succeededFuture();
  private long lastFrameAt = System.nanoTime();
  private long pingSentAt;
  // Where in the spread window this connection's pings fall, fixed for its life.
  private final double pingPhase = ThreadLocalRandom.current().nextDouble();
  private long slowTimer = -1;
  // Each warning once per connection: a slow or abusive client must not flood the log.
  private boolean warnedSlow;
  private boolean warnedRateLimit;
  private boolean counted;

  HubConnection(HubShard shard, ServerWebSocket ws, String id, HandshakeImpl handshake, JsonObject claims, String address) {
    super(ws, id, shard.node(), handshake, claims, shard.hub().settings().getMaxMessageSize(), shard.hub().settings().getMaxFragments());
    this.shard = shard;
    this.hub = shard.hub();
    this.address = address;
    HubOptions options = hub.settings();
    this.user = userOf(claims(), options.getUserClaim());
    this.tokenDeadline = TokenLifetime.deadline(claims(), hub.tokenLeewaySeconds());
    this.rateLimiter = options.getRateLimit() > 0 ? new RateLimiter(options.getRateLimit(), lastFrameAt) : null;
    this.joinLimiter = options.getJoinRateLimit() > 0
      ? new RateLimiter(options.getJoinRateLimit(), Math.max(options.getJoinRateLimit(), options.getMaxRoomsPerConnection()), lastFrameAt) : null;
    hub.stats().connectionOpened();
    counted = true;
    // The remote address only: the request's query string may hold a token.
    if (log.isDebugEnabled()) {
      log.debug("open {} hub={} remote={} encoding={}", id, hub.name(), address, encoding().name().toLowerCase(Locale.ROOT));
    }
  }

  /** Called once the socket is closed: counted out, logged. */
  @Override
  protected void markClosed() {
    super.markClosed();
    if (counted) {
      counted = false;
      hub.stats().connectionClosed();
      if (log.isDebugEnabled()) {
        String reason = ws.closeReason();
        log.debug("closed {} hub={} remote={} code={}{}", id(), hub.name(), address, ws.closeStatusCode(),
          reason == null || reason.isEmpty() ? "" : " reason=" + reason);
      }
    }
  }

  @Override
  public String hub() {
    return hub.name();
  }

  @Override
  public Set<String> rooms() {
    return roomsSnapshot;
  }

  /** @return whether the token has expired and was not refreshed: the caller closes it with 4001 */
  boolean tokenExpired(long nowMillis) {
    return TokenLifetime.expired(tokenDeadline, nowMillis) && !isClosed();
  }

  /** Takes a refreshed token's claims: they decide what the connection may do from now on, and until when. */
  void refreshed(JsonObject claims) {
    replaceClaims(claims);
    tokenDeadline = TokenLifetime.deadline(claims, hub.tokenLeewaySeconds());
  }

  /** @return the claim's value as a string when it is a non-empty string or a number, else {@code null} */
  static String userOf(JsonObject claims, String claim) {
    Object v = claims.getValue(claim);
    if (v instanceof String s) {
      return s.isEmpty() ? null : s;
    }
    return v instanceof Number ? v.toString() : null;
  }

  @Override
  public String user() {
    return user;
  }

  HubShard shard() {
    return shard;
  }

  String address() {
    return address;
  }

  boolean isMember(String room) {
    return rooms.contains(room);
  }

  /** @return how many rooms the connection is in besides {@code root} */
  int joinedRoomCount() {
    return rooms.size() - 1;
  }

  boolean addRoom(String room) {
    boolean added = rooms.add(room);
    if (added) {
      roomsSnapshot = Set.copyOf(rooms);
    }
    return added;
  }

  boolean removeRoom(String room) {
    boolean removed = rooms.remove(room);
    if (removed) {
      roomsSnapshot = Set.copyOf(rooms);
    }
    return removed;
  }

  /** @return the rooms in joining order (live view, shard thread only) */
  Set<String> joinedRooms() {
    return rooms;
  }

  /**
   * Writes a room or direct message, encoded once per delivery and encoding. A client whose
   * send queue is full gets nothing: the message is dropped and counted, and if the queue is
   * still full after the slow-client timeout the client is closed with 1013.
   */
  void deliver(Delivery d) {
    deliver(d, null);
  }

  /**
   * Like {@link #deliver(Delivery)}, as one member of a fan-out.
   *
   * @param wire the fan-out's frames encoded for the wire, or {@code null} to write through Vert.x
   */
  void deliver(Delivery d, WireFrames wire) {
    if (isClosed()) {
      return;
    }
    if (sendQueueFull()) {
      hub.stats().countDrop(HubStats.Drop.SLOW_CLIENT);
      if (!warnedSlow) {
        warnedSlow = true;
        log.warn("slow client {} hub={} remote={}: its send queue is full, messages to it are dropped", id(), hub.name(), address);
      }
      startSlowClientTimer();
      return;
    }
    HubStats.Out kind = d instanceof DirectDelivery ? HubStats.Out.DIRECT : HubStats.Out.ROOM;
    boolean json = encoding() == Encoding.JSON;
    hub.stats().countOut(kind, json ? d.jsonFrame().length : d.binaryFrame().length());
    if (wire != null && writeShared(wire)) {
      return;
    }
    if (json) {
      super.writeText(d.jsonFrame());
    } else {
      super.writeBinary(d.binaryFrame());
    }
  }

  // Every other frame (welcome, replies, errors, what handlers send) is a control frame.
  @Override
  Future<Void> writeText(String text) {
    hub.stats().countOut(HubStats.Out.CONTROL, Payloads.utf8Length(text));
    return super.writeText(text);
  }

  @Override
  Future<Void> writeText(byte[] utf8) {
    hub.stats().countOut(HubStats.Out.CONTROL, utf8.length);
    return super.writeText(utf8);
  }

  @Override
  Future<Void> writeBinary(Buffer data) {
    hub.stats().countOut(HubStats.Out.CONTROL, data.length());
    return super.writeBinary(data);
  }

  private void startSlowClientTimer() {
    if (slowTimer >= 0) {
      return;
    }
    slowTimer = hub.vertx().setTimer(hub.settings().getSlowClientTimeout(), id -> {
      slowTimer = -1;
      if (!isClosed() && ws.writeQueueFull()) {
        log.warn("slow client {} hub={} remote={}: closed with 1013 after {} ms with a full send queue", id(), hub.name(), address,
          hub.settings().getSlowClientTimeout());
        close(1013, "slow client");
      }
    });
  }

  @Override
  void onDrained() {
    if (slowTimer >= 0) {
      hub.vertx().cancelTimer(slowTimer);
      slowTimer = -1;
    }
    super.onDrained();
  }

  @Override
  void onFrame(WebSocketFrame frame) {
    lastFrameAt = System.nanoTime();
    super.onFrame(frame);
  }

  @Override
  void onSocketClosed() {
    shard.closed(this);
  }

  @Override
  void onFailure(Throwable t) {
    log.debug("connection {} failed", id(), t);
    hub.callbacks().fireError(this, t);
  }

  /** A client that fills its queue by what it sends is a slow client too: same timeout, same 1013. */
  @Override
  protected void onHeldBack() {
    startSlowClientTimer();
  }

  /**
   * Pings a client silent for {@code pingAfter} (or up to {@link #PING_SPREAD} of it less); closes
   * with 1001 one that sent nothing for {@code giveUpAfter} after a ping.
   */
  /**
   * Pings the client when it has been silent for its share of the ping interval.
   *
   * @return whether it sent nothing, not even a pong, for the pong timeout after a ping: the
   *     caller closes it (not while it walks the shard's connections)
   */
  boolean heartbeatLost(long now, long pingAfter, long giveUpAfter) {
    if (isClosed()) {
      return false;
    }
    if (pingSentAt != 0) {
      if (lastFrameAt - pingSentAt >= 0) {
        pingSentAt = 0;
      } else if (now - pingSentAt >= giveUpAfter) {
        return true;
      }
    }
    if (pingSentAt == 0 && now - lastFrameAt >= pingAfter - (long) (pingAfter * PING_SPREAD * pingPhase)) {
      pingSentAt = now;
      ws.writePing(Buffer.buffer());
    }
    return false;
  }

  void sendWelcome() {
    JsonObject data = new JsonObject()
      .put("id", id())
      .put("node", node())
      .put("rooms", new JsonArray(List.copyOf(rooms)));
    writeData("welcome", null, null, data.toBuffer(), false);
  }

  @Override
  public void onText(Buffer utf8) {
    onMessage(utf8, false);
  }

  @Override
  public void onBinary(Buffer data) {
    onMessage(data, true);
  }

  private void onMessage(Buffer data, boolean binary) {
    var decoded = binary ? Envelope.decodeBinary(data) : Envelope.decodeJson(data);
    if (rateLimiter != null) {
      long now = System.nanoTime();
      if (!rateLimiter.tryAcquire(now)) {
        hub.stats().countIn(HubStats.In.RATE_LIMITED, data.length());
        hub.stats().countDrop(HubStats.Drop.RATE_LIMIT);
        if (!warnedRateLimit) {
          warnedRateLimit = true;
          log.warn("client {} hub={} remote={} is over the rate limit of {} messages per second: messages dropped", id(), hub.name(), address,
            hub.settings().getRateLimit());
        }
        if (rateLimiter.sustained(now)) {
          log.warn("client {} hub={} remote={}: closed with 1008, over the rate limit for too long", id(), hub.name(), address);
          close(1008, "rate limit exceeded");
        } else {
          Request.refuse(this, ErrorCode.RATE_LIMITED, "over " + hub.settings().getRateLimit() + " messages per second",
            decoded.succeeded() ? decoded.envelope().id() : decoded.requestId(), binary);
        }
        return;
      }
    }
    hub.dispatcher().dispatch(this, decoded, binary, data.length());
  }

  /**
   * Counts a join or leave against the hub's {@code joinRateLimit}.
   *
   * @return {@code true} when it may go on; else it has been refused (or the connection closed, when over the limit for long)
   */
  boolean tryJoinOrLeave(Request request) {
    if (joinLimiter == null) {
      return true;
    }
    long now = System.nanoTime();
    if (joinLimiter.tryAcquire(now)) {
      return true;
    }
    hub.stats().countDrop(HubStats.Drop.JOIN_RATE_LIMIT);
    if (!warnedJoinRateLimit) {
      warnedJoinRateLimit = true;
      log.warn("client {} hub={} remote={} is over the join rate limit of {} joins and leaves per second: refused", id(), hub.name(), address,
        hub.settings().getJoinRateLimit());
    }
    if (joinLimiter.sustained(now)) {
      log.warn("client {} hub={} remote={}: closed with 1008, over the join rate limit for too long", id(), hub.name(), address);
      close(1008, "join rate limit exceeded");
    } else {
      request.builtInError(ErrorCode.RATE_LIMITED, "over " + hub.settings().getJoinRateLimit() + " joins and leaves per second");
    }
    return false;
  }

  /**
   * Runs an action once a service's decision and every decision asked before it on this
   * connection are in, so that publishes decided by a service keep the order they were sent in.
   */
  void afterAuthorization(Future<Void> decision, io.vertx.core.Handler<io.vertx.core.AsyncResult<Void>> action) {
    Future<Void> previous = authorizations;
    authorizations = previous.transform(ar -> decision).andThen(action).transform(ar -> Future.succeededFuture());
  }

  /** Closing also takes the connection out of its rooms now, not when the close handshake ends. */
  @Override
  public Future<Void> close(int code, String reason) {
    Future<Void> closed = super.close(code, reason);
    if (shard.isCurrentThread()) {
      shard.detach(this);
    } else {
      shard.call(s -> {
        s.detach(this);
        return null;
      });
    }
    return closed;
  }

  @Override
  public void onViolation(short closeCode, String reason) {
    if (closeCode == MessageAssembler.CLOSE_TOO_LARGE) {
      hub.stats().countDrop(HubStats.Drop.TOO_LARGE);
    }
    log.warn("client {} hub={} remote={}: closed with {} ({})", id(), hub.name(), address, closeCode, reason);
    super.onViolation(closeCode, reason);
  }
}
