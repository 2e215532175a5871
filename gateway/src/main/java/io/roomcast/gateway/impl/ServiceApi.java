package io.roomcast.gateway.impl;

import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.RoomInfo;
import io.roomcast.gateway.RoomcastException;
import io.roomcast.gateway.impl.codec.Names;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * The hub's address for services, {@code roomcast.<hub>.api} (docs/SERVICES.md): JSON commands
 * (publish, send, sendToUser, kick, kickUser, join, leave, rooms, clients, presence, count,
 * connectionsOf) answered with JSON, from any process in the cluster. Every node consumes it
 * when the hub option {@code api} names commands, and only those commands are taken; a failed
 * command is answered with a failure whose code says why as HTTP would (400 a bad command, 403 a
 * command the hub does not take, 404 an unknown client, 503 the cluster did not answer).
 */
final class ServiceApi {

  static final int BAD_REQUEST = 400;
  static final int FORBIDDEN = 403;
  static final int NOT_FOUND = 404;
  static final int FAILED = 500;
  static final int UNAVAILABLE = 503;

  private final HubImpl hub;
  private final Set<String> allowed;
  private MessageConsumer<Object> consumer;

  ServiceApi(HubImpl hub) {
    this.hub = hub;
    List<String> commands = hub.settings().getApi();
    this.allowed = commands.contains("*") ? Set.copyOf(HubOptions.API_COMMANDS) : Set.copyOf(commands);
  }

  Future<Void> start() {
    if (allowed.isEmpty()) {
      return Future.succeededFuture();
    }
    consumer = hub.eventBus().consumer(hub.addresses().api(), this::onCommand);
    return consumer.completion();
  }

  Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void onCommand(Message<Object> msg) {
    if (!(msg.body() instanceof JsonObject command)) {
      msg.fail(BAD_REQUEST, "a command is a JSON object: {\"command\":NAME,...}");
      return;
    }
    String name = command.getValue("command") instanceof String s ? s : null;
    if (name == null || !HubOptions.API_COMMANDS.contains(name)) {
      msg.fail(BAD_REQUEST, "unknown command " + (name == null ? "(none)" : "\"" + name + "\"") + "; commands: " + HubOptions.API_COMMANDS);
      return;
    }
    if (!allowed.contains(name)) {
      msg.fail(FORBIDDEN, "hub " + hub.name() + " does not take the command \"" + name + "\" (hub option api)");
      return;
    }
    Future<JsonObject> answer;
    try {
      answer = run(name, command);
    } catch (IllegalArgumentException | ClassCastException e) {
      msg.fail(BAD_REQUEST, e.getMessage());
      return;
    }
    answer.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        msg.fail(failureCode(ar.cause()), String.valueOf(ar.cause().getMessage()));
      }
    });
  }

  private Future<JsonObject> run(String name, JsonObject c) {
    return switch (name) {
      case "publish" -> hub.broadcast(room(c), event(c), c.getValue("data"))
        .map(p -> p == null ? ok() : ok().mergeIn(p.toJson()));
      case "send" -> hub.send(text(c, "client"), event(c), c.getValue("data")).map(v -> ok());
      case "sendToUser" -> hub.sendToUser(text(c, "user"), event(c), c.getValue("data")).map(v -> ok());
      case "kick" -> hub.kick(text(c, "client")).map(v -> ok());
      case "kickUser" -> hub.kickUser(text(c, "user")).map(n -> ok().put("kicked", n));
      case "join" -> hub.join(text(c, "client"), room(c)).map(v -> ok());
      case "leave" -> hub.leave(text(c, "client"), room(c)).map(v -> ok());
      case "rooms" -> hub.rooms().map(rooms -> {
        JsonArray list = new JsonArray();
        rooms.stream().map(RoomInfo::toJson).forEach(list::add);
        return ok().put("rooms", list);
      });
      case "clients" -> hub.clients(room(c)).map(clients -> ok().put("clients", clientList(clients)));
      case "connectionsOf" -> hub.connectionsOf(text(c, "user")).map(clients -> ok().put("clients", clientList(clients)));
      case "presence" -> hub.presence(room(c), Boolean.TRUE.equals(c.getValue("countOnly"))).map(p -> ok().mergeIn(p.toJson()));
      case "count" -> hub.count().map(n -> ok().put("count", n));
      default -> throw new IllegalArgumentException("unknown command \"" + name + "\"");
    };
  }

  private static JsonObject ok() {
    return new JsonObject().put("ok", true);
  }

  private static JsonArray clientList(List<ClientInfo> clients) {
    JsonArray list = new JsonArray();
    clients.stream().map(ClientInfo::toJson).forEach(list::add);
    return list;
  }

  private static String text(JsonObject c, String field) {
    Object v = c.getValue(field);
    if (!(v instanceof String s) || s.isEmpty()) {
      throw new IllegalArgumentException("\"" + field + "\" must be a non-empty string");
    }
    return s;
  }

  private static String room(JsonObject c) {
    return Names.requireRoom(text(c, "room"));
  }

  private static String event(JsonObject c) {
    return Names.requireEvent("event", text(c, "event"));
  }

  private static int failureCode(Throwable t) {
    if (t instanceof IllegalArgumentException) {
      return BAD_REQUEST;
    }
    if (t instanceof RoomcastException r) {
      return switch (r.code()) {
        case UNKNOWN_CLIENT -> NOT_FOUND;
        case FORBIDDEN -> FORBIDDEN;
        case UNAVAILABLE -> UNAVAILABLE;
        case BAD_REQUEST, INVALID_ROOM, TOO_LARGE -> BAD_REQUEST;
        default -> FAILED;
      };
    }
    return t instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT ? UNAVAILABLE : FAILED;
  }
}
