package io.roomcast.gateway.impl;

import io.roomcast.gateway.DecodeResult;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.EventContext;
import io.roomcast.gateway.HistoryOptions;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.Position;
import io.roomcast.gateway.RoomcastException;
import io.roomcast.gateway.impl.bus.DirectDelivery;
import io.roomcast.gateway.impl.bus.RoomDelivery;
import io.roomcast.gateway.impl.codec.Names;
import io.roomcast.gateway.impl.codec.Payloads;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Dispatches a client's messages in the protocol's order (PROTOCOL.md, section 2): built-in
 * events, then the hub's handlers, then the services on the event bus (docs/SERVICES.md), then
 * direct delivery with {@code to}, then room delivery with {@code room}, else {@code unknown_event}. Runs on the connection's event loop.
 */
final class Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final HubImpl hub;
  /** The built-in events and their aliases: what dispatches them, and what counts them as control. */
  private final Map<String, Consumer<Request>> builtIns;
  private final TokenRefresh refresh;
  private final ServiceForwarder services;
  private final PayloadSchemas schemas;

  Dispatcher(HubImpl hub) {
    this.hub = hub;
    this.refresh = new TokenRefresh(hub);
    this.services = new ServiceForwarder(hub.name(), hub.eventBus(), hub.http(), hub.settings());
    this.schemas = new PayloadSchemas(hub.settings());
    this.builtIns = Map.of(
      "join", this::join,
      "subscribe", this::join,
      "leave", this::leave,
      "unsubscribe", this::leave,
      "ping", this::ping,
      "history", this::history,
      "presence", this::presence,
      "refresh", r -> refresh.handle(r));
  }

  void dispatch(HubConnection c, DecodeResult decoded, boolean binaryOrigin, int bytes) {
    // What the message asks for, looked up once: it decides both how it is counted and where it goes.
    Envelope decodedEnvelope = decoded.succeeded() ? decoded.envelope() : null;
    String event = decodedEnvelope == null ? null : decodedEnvelope.event();
    Consumer<Request> builtIn = event == null ? null : builtIns.get(event);
    Handler<EventContext> handler = event == null || builtIn != null ? null : hub.eventHandler(event);
    ServiceForwarder.Rule service = event == null || builtIn != null || handler != null ? null : services.rule(event);
    hub.stats().countIn(kindOf(decodedEnvelope, builtIn, handler, service), bytes);
    if (c.isClosed()) {
      return;
    }
    if (decodedEnvelope == null) {
      Request.refuse(c, decoded.error(), decoded.message(), decoded.requestId(), binaryOrigin);
      return;
    }
    Envelope envelope = decodedEnvelope.withFrom(c.id());
    Request request = new Request(c, envelope, binaryOrigin);
    if (builtIn == null) {
      String problem = schemas.problem(envelope);
      if (problem != null) {
        request.error(ErrorCode.BAD_REQUEST, problem);
        return;
      }
    }
    Handler<EventContext> onMessage = hub.callbacks().messageHandler();
    if (onMessage != null && !invoke(onMessage, request)) {
      return;
    }
    if (builtIn != null) {
      builtIn.accept(request);
    } else if (handler != null) {
      invoke(handler, request);
    } else if (service != null) {
      services.forward(request, service);
    } else if (envelope.to() != null) {
      direct(request);
    } else if (envelope.room() != null) {
      publish(request);
    } else {
      request.error(ErrorCode.UNKNOWN_EVENT, "no handler for event \"" + envelope.event() + "\", and no \"to\" or \"room\"");
    }
  }

  /** @return what a message asks for, in the order {@link #dispatch} sends it on */
  private static HubStats.In kindOf(Envelope e, Consumer<Request> builtIn, Handler<EventContext> handler, ServiceForwarder.Rule service) {
    if (e == null) {
      return HubStats.In.INVALID;
    }
    if (builtIn != null) {
      return HubStats.In.CONTROL;
    }
    if (handler != null || service != null) {
      return HubStats.In.CUSTOM;
    }
    if (e.to() != null) {
      return HubStats.In.DIRECT;
    }
    return e.room() != null ? HubStats.In.ROOM : HubStats.In.INVALID;
  }

  private void join(Request request) {
    String room = checkedRoom(request);
    if (room == null) {
      return;
    }
    HubConnection c = request.connection;
    if (!c.isMember(room)) {
      if (c.joinedRoomCount() >= hub.settings().getMaxRoomsPerConnection()) {
        request.builtInError(ErrorCode.FORBIDDEN, "already in " + hub.settings().getMaxRoomsPerConnection() + " rooms");
        return;
      }
      if (!hub.permits(Permissions.Action.JOIN, room, c.claims())) {
        request.builtInError(ErrorCode.FORBIDDEN, "not allowed to join \"" + room + "\"");
        return;
      }
    }
    Position since;
    try {
      since = sinceOf(request);
    } catch (IllegalArgumentException e) {
      request.builtInError(ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    if (since != null && hub.history().ruleOf(room) == null) {
      request.builtInError(ErrorCode.BAD_REQUEST, "since needs a room with history; \"" + room + "\" keeps none");
      return;
    }
    String info;
    try {
      info = hub.presenceEnabled(room) ? PresenceRequests.info(request) : null;
    } catch (IllegalArgumentException e) {
      request.builtInError(ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    // Counted once it would do something: a refused join costs nothing to speak of.
    if (!c.tryJoinOrLeave(request)) {
      return;
    }
    // A service that decides the room's joins is asked first, unless the client is a member already.
    Future<Void> allowed = c.isMember(room) ? Future.succeededFuture() : hub.authorizer().decide(c, "join", room, null);
    allowed.compose(v -> c.shard().join(c, room, since, info)).onComplete(ar -> {
      if (ar.succeeded()) {
        JsonObject reply = new JsonObject().put("room", room);
        request.builtInOk(ar.result() == null ? reply : ar.result().addTo(reply));
      } else if (ar.cause() instanceof RoomcastException refused) {
        request.builtInError(refused.code(), refused.getMessage());
      } else {
        request.builtInError(ErrorCode.UNAVAILABLE, "the membership could not be made effective: " + ar.cause().getMessage());
      }
    });
  }

  /** @return the {@code since} of a join: a field in JSON, the payload's {@code since} in binary */
  private static Position sinceOf(Request request) {
    Envelope e = request.envelope;
    if (!request.binaryOrigin) {
      return e.since();
    }
    // A binary join's payload was free before version 1.1: only a JSON object naming since counts.
    Object payload = e.payload() == null || e.payload().length() == 0 ? null : Payloads.toData(e.payload(), true);
    if (payload instanceof JsonObject object && object.getValue("since") != null) {
      return HistoryRequests.position(object.getValue("since"));
    }
    return null;
  }

  private void history(Request request) {
    String room = checkedRoom(request);
    if (room == null) {
      return;
    }
    HistoryOptions rule = hub.history().ruleOf(room);
    if (rule == null) {
      request.builtInError(ErrorCode.BAD_REQUEST, "room \"" + room + "\" keeps no history");
      return;
    }
    if (!hub.permits(Permissions.Action.JOIN, room, request.connection.claims())) {
      request.builtInError(ErrorCode.FORBIDDEN, "not allowed to join \"" + room + "\"");
      return;
    }
    HistoryRequests.Query query;
    try {
      query = HistoryRequests.query(request.envelope, rule);
    } catch (IllegalArgumentException e) {
      request.builtInError(ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    hub.history(room, query.limit(), query.before()).onComplete(ar -> {
      if (ar.succeeded()) {
        request.builtInOk(ar.result().toJson());
      } else {
        request.builtInError(ErrorCode.UNAVAILABLE, "the room's history could not be read: " + ar.cause().getMessage());
      }
    });
  }

  private void presence(Request request) {
    String room = checkedRoom(request);
    if (room == null) {
      return;
    }
    boolean countOnly;
    try {
      hub.requirePresence(room);
      countOnly = PresenceRequests.countOnly(request);
    } catch (IllegalArgumentException e) {
      request.builtInError(ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    if (!hub.permits(Permissions.Action.JOIN, room, request.connection.claims())) {
      request.builtInError(ErrorCode.FORBIDDEN, "not allowed to join \"" + room + "\"");
      return;
    }
    hub.presenceAnswer(room, countOnly).onComplete(ar -> {
      if (ar.succeeded()) {
        request.builtInOk(ar.result());
      } else {
        request.builtInError(ErrorCode.INTERNAL, "the room's presence could not be read: " + ar.cause().getMessage());
      }
    });
  }

  private void leave(Request request) {
    String room = checkedRoom(request);
    if (room == null) {
      return;
    }
    if (Hub.ROOT.equals(room)) {
      request.builtInError(ErrorCode.FORBIDDEN, "root cannot be left");
      return;
    }
    HubConnection c = request.connection;
    if (!c.tryJoinOrLeave(request)) {
      return;
    }
    c.shard().leave(c, room);
    request.builtInOk(new JsonObject().put("room", room));
  }

  private void ping(Request request) {
    if (request.binaryOrigin || request.envelope.id() != null) {
      request.builtInOk(new JsonObject());
    } else {
      request.connection.writeFields("pong", null);
    }
  }

  private void direct(Request request) {
    Envelope e = request.envelope;
    hub.sendDirect(new DirectDelivery(e.to(), e.event(), e.from(), e.payload(), e.isBinaryPayload())).onComplete(ar -> {
      if (ar.succeeded()) {
        request.deliveredOk();
      } else {
        RoomcastException failure = ClientCommands.asRoomcastException(ar.cause());
        request.error(failure.code(), failure.getMessage());
      }
    });
  }

  private void publish(Request request) {
    Envelope e = request.envelope;
    String room = e.room();
    if (!Names.isRoom(room)) {
      request.error(ErrorCode.INVALID_ROOM, "room must be " + Names.ROOM_RULE);
      return;
    }
    if (!request.connection.isMember(room)) {
      request.error(ErrorCode.NOT_MEMBER, "not a member of room \"" + room + "\"");
      return;
    }
    if (!hub.permits(Permissions.Action.PUBLISH, room, request.connection.claims())) {
      request.error(ErrorCode.FORBIDDEN, "not allowed to publish in \"" + room + "\"");
      return;
    }
    boolean history = hub.history().ruleOf(room) != null;
    if (e.key() != null && !history) {
      request.error(ErrorCode.BAD_REQUEST, "key needs a room with history; \"" + room + "\" keeps none");
      return;
    }
    if (hub.authorizer().decides(room)) {
      // Decided by a service: in the order the client sent them, each once allowed.
      request.connection.afterAuthorization(hub.authorizer().decide(request.connection, "publish", room, e.event()), allowed -> {
        if (allowed.succeeded()) {
          publishAllowed(request, history);
        } else {
          request.error(ErrorCode.FORBIDDEN, allowed.cause().getMessage());
        }
      });
      return;
    }
    publishAllowed(request, history);
  }

  private void publishAllowed(Request request, boolean history) {
    Envelope e = request.envelope;
    Future<Position> published = hub.publish(new RoomDelivery(e.room(), e.event(), e.from(), e.from(), e.payload(), e.isBinaryPayload()), e.key());
    if (!history) {
      request.deliveredOk();
      return;
    }
    published.onComplete(ar -> {
      if (ar.succeeded()) {
        request.positionedOk(ar.result());
      } else {
        request.error(ErrorCode.UNAVAILABLE, "the message could not be kept in the room's history: " + ar.cause().getMessage());
      }
    });
  }

  private String checkedRoom(Request request) {
    String room = request.envelope.room();
    if (room == null) {
      request.builtInError(ErrorCode.BAD_REQUEST, "room is required");
      return null;
    }
    if (!Names.isRoom(room)) {
      request.builtInError(ErrorCode.INVALID_ROOM, "room must be " + Names.ROOM_RULE);
      return null;
    }
    return room;
  }

  /** @return {@code false} when the handler failed (the sender has been answered) */
  private boolean invoke(Handler<EventContext> handler, Request request) {
    try {
      handler.handle(new EventContextImpl(hub, request));
      return true;
    } catch (RoomcastException e) {
      request.error(e.code(), e.getMessage());
      return false;
    } catch (RuntimeException e) {
      log.warn("handler of event {} failed on {}", request.envelope.event(), request.connection.id(), e);
      hub.callbacks().fireError(request.connection, e);
      request.error(ErrorCode.INTERNAL, "internal error");
      return false;
    }
  }
}
