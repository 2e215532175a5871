package io.roomcast.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A JVM service's way to reach a hub's clients (docs/SERVICES.md): the JSON commands of the hub's
 * address {@code roomcast.<hub>.api}, sent over the event bus of a Vert.x clustered with the
 * gateway nodes. Works from a process that serves no WebSocket at all; needs only that the hub
 * takes the command (the hub option {@code api}). A refused command fails with the
 * {@link ReplyException} the hub answered (its failure code: 400 a bad command, 403 a command the
 * hub does not take, 404 an unknown client, 503 the cluster did not answer).
 */
public final class HubServiceClient {

  private final Vertx vertx;
  private final String address;
  private final DeliveryOptions options;

  /**
   * @param vertx a Vert.x clustered with the gateway nodes
   * @param hub the hub's name
   * @param timeoutMs how long to wait for an answer
   */
  public HubServiceClient(Vertx vertx, String hub, long timeoutMs) {
    this.vertx = vertx;
    this.address = "roomcast." + hub + ".api";
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  /** @param vertx a Vert.x clustered with the gateway nodes; the hub {@code default}, 5 s to answer */
  public HubServiceClient(Vertx vertx) {
    this(vertx, "default", 5_000);
  }

  /** @return the position in a room with history ({@code {offset, epoch}}), else an empty object */
  public Future<JsonObject> publish(String room, String event, Object data) {
    return command(new JsonObject().put("command", "publish").put("room", room).put("event", event).put("data", data))
      .map(a -> {
        a.remove("ok");
        return a;
      });
  }

  /** Sends an event from the server to one client, wherever it is connected. */
  public Future<Void> send(String clientId, String event, Object data) {
    return command(new JsonObject().put("command", "send").put("client", clientId).put("event", event).put("data", data)).mapEmpty();
  }

  /** Sends an event to every connection of a user, on every node. */
  public Future<Void> sendToUser(String user, String event, Object data) {
    return command(new JsonObject().put("command", "sendToUser").put("user", user).put("event", event).put("data", data)).mapEmpty();
  }

  /** Closes a client with 1008 {@code kicked}. */
  public Future<Void> kick(String clientId) {
    return command(new JsonObject().put("command", "kick").put("client", clientId)).mapEmpty();
  }

  /** @return how many connections of the user were closed with 1008 {@code kicked} */
  public Future<Long> kickUser(String user) {
    return command(new JsonObject().put("command", "kickUser").put("user", user)).map(a -> a.getLong("kicked"));
  }

  /** Makes a client join a room, as its own {@code join} would. */
  public Future<Void> join(String clientId, String room) {
    return command(new JsonObject().put("command", "join").put("client", clientId).put("room", room)).mapEmpty();
  }

  /** Makes a client leave a room. */
  public Future<Void> leave(String clientId, String room) {
    return command(new JsonObject().put("command", "leave").put("client", clientId).put("room", room)).mapEmpty();
  }

  /** @return every room with members, cluster-wide */
  public Future<List<RoomInfo>> rooms() {
    return command(new JsonObject().put("command", "rooms")).map(a -> {
      List<RoomInfo> rooms = new ArrayList<>();
      a.getJsonArray("rooms", new JsonArray()).forEach(o -> {
        JsonObject r = (JsonObject) o;
        rooms.add(new RoomInfo(r.getString("room"), r.getLong("members")));
      });
      return rooms;
    });
  }

  /** @return a room's members, cluster-wide */
  public Future<List<ClientInfo>> clients(String room) {
    return command(new JsonObject().put("command", "clients").put("room", room)).map(HubServiceClient::clientsOf);
  }

  /** @return a user's connections, cluster-wide */
  public Future<List<ClientInfo>> connectionsOf(String user) {
    return command(new JsonObject().put("command", "connectionsOf").put("user", user)).map(HubServiceClient::clientsOf);
  }

  /** @return a presence room's roster as the {@code presence} request answers it: {@code {room, count, users, members?}} */
  public Future<JsonObject> presence(String room, boolean countOnly) {
    return command(new JsonObject().put("command", "presence").put("room", room).put("countOnly", countOnly)).map(a -> {
      a.remove("ok");
      return a;
    });
  }

  /** @return the hub's connections, cluster-wide */
  public Future<Long> count() {
    return command(new JsonObject().put("command", "count")).map(a -> a.getLong("count"));
  }

  private Future<JsonObject> command(JsonObject command) {
    return vertx.eventBus().<JsonObject>request(address, command, options).map(Message::body);
  }

  private static List<ClientInfo> clientsOf(JsonObject answer) {
    List<ClientInfo> clients = new ArrayList<>();
    answer.getJsonArray("clients", new JsonArray()).forEach(o -> {
      JsonObject c = (JsonObject) o;
      clients.add(new ClientInfo(c.getString("id"), c.getString("node")));
    });
    return clients;
  }
}
