package io.roomcast.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * A named set of connections and rooms, served on its own path, with its own event-bus
 * addresses. Operations reach the whole cluster: they return a {@code Future} where a remote node
 * has to answer. Handlers are registered before connections arrive.
 */
public interface Hub {

  /** The room every connection is a member of for its whole life: a broadcast to it reaches the whole hub. */
  String ROOT = "root";

  /** @return the hub's name */
  String name();

  /** @return the hub's options (a copy) */
  HubOptions options();

  /**
   * A handler that upgrades requests to this hub. Mount it on the hub's path (a path parameter
   * named {@code room}, as in {@code /ws/chat/:room}, chooses a room the connection joins).
   * Gateway.mount does this for every hub.
   *
   * @return the upgrade handler
   */
  Handler<RoutingContext> handler();

  /**
   * Sets who may connect: the authenticator runs on every handshake before the upgrade and its
   * claims become the connection's. It replaces the JWT verification of the hub's options.
   *
   * @param authenticator the authenticator, or {@code null} to go back to the options' JWT (or none)
   * @return this hub
   */
  Hub authenticator(Authenticator authenticator);

  /**
   * Registers the handler of a custom event; it runs before direct and room delivery and decides
   * what is sent and replied. An exception it throws answers the sender with {@code internal}
   * (or the code of a {@link RoomcastException}).
   *
   * @param event the event name
   * @param handler the handler
   * @return this hub
   */
  Hub on(String event, Handler<EventContext> handler);

  /**
   * @param handler called once a connection is welcomed
   * @return this hub
   */
  Hub onConnect(Handler<Connection> handler);

  /**
   * @param handler called with every well-formed message a client sends, before it is dispatched
   * @return this hub
   */
  Hub onMessage(Handler<EventContext> handler);

  /**
   * @param handler called once a connection is closed and has left its rooms
   * @return this hub
   */
  Hub onClose(Handler<Connection> handler);

  /**
   * @param handler called with failures of a connection: transport errors, handler exceptions
   * @return this hub
   */
  Hub onError(BiConsumer<Connection, Throwable> handler);

  /**
   * Makes a client a member of a room, wherever it is connected.
   *
   * @param clientId the client
   * @param room the room
   * @return completed once the membership is in effect across the cluster
   */
  Future<Void> join(String clientId, String room);

  /**
   * @param connection a connection of this hub
   * @param room the room
   * @return see {@link #join(String, String)}
   */
  default Future<Void> join(Connection connection, String room) {
    return join(connection.id(), room);
  }

  /**
   * @param clientId the client
   * @param room the room ({@code root} cannot be left)
   * @return completed once the client has left
   */
  Future<Void> leave(String clientId, String room);

  /**
   * @param connection a connection of this hub
   * @param room the room
   * @return see {@link #leave(String, String)}
   */
  default Future<Void> leave(Connection connection, String room) {
    return leave(connection.id(), room);
  }

  /**
   * Delivers an event from the server to every member of a room on every node. A broadcast to
   * {@code root} reaches every connection of the hub.
   *
   * @param room the room
   * @param event the event
   * @param data {@code null}, a {@code Buffer}, or a value Vert.x encodes as JSON
   * @return in a room with history, the message's position once the cluster has kept it (failed
   *     when the history could not be written: nothing was delivered); elsewhere {@code null}
   *     at once
   */
  Future<Position> broadcast(String room, String event, Object data);

  /**
   * Like {@link #broadcast(String, String, Object)}, but not to one client.
   *
   * @param room the room
   * @param senderId the client left out
   * @param event the event
   * @param data the payload
   * @return as for {@link #broadcast(String, String, Object)}
   */
  Future<Position> broadcastOthers(String room, String senderId, String event, Object data);

  /**
   * Reads a room's history (PROTOCOL.md, section 6), wherever in the cluster it is kept.
   *
   * @param room a room with history
   * @param limit the most messages, 1 to the room's {@code size}: the newest of those that match;
   *     {@code 0} for the protocol's default, 50 or the size if smaller
   * @param before only offsets below it; {@code 0} for no bound
   * @return the messages, oldest first, and where the room stands; failed with
   *     {@link IllegalArgumentException} for a room without history or a bad limit
   */
  Future<History> history(String room, int limit, long before);

  /**
   * Sends an event from the server to one client, wherever it is connected.
   *
   * @param clientId the client
   * @param event the event
   * @param data the payload
   * @return completed once its node accepted it; failed with {@link RoomcastException}
   *     ({@link ErrorCode#UNKNOWN_CLIENT} or {@link ErrorCode#UNAVAILABLE}) otherwise
   */
  Future<Void> send(String clientId, String event, Object data);

  /**
   * Removes a client from the hub: it leaves every room and is closed with 1000.
   *
   * @param clientId the client
   * @return completed once done; failed with {@link ErrorCode#UNKNOWN_CLIENT} when there is no such client
   */
  Future<Void> remove(String clientId);

  /**
   * Closes a client with 1008 and reason {@code kicked}.
   *
   * @param clientId the client
   * @return completed once done; failed with {@link ErrorCode#UNKNOWN_CLIENT} when there is no such client
   */
  Future<Void> kick(String clientId);

  /**
   * @param room a room
   * @return its members on every node that answered in time
   */
  Future<List<ClientInfo>> clients(String room);

  /** @return every room with members, with its member count, cluster-wide ({@code root} included) */
  Future<List<RoomInfo>> rooms();

  /** @return the number of connections of the hub, cluster-wide */
  Future<Long> count();

  /**
   * Who is in a presence room across the cluster, read from this node's replica of its roster:
   * no other node is asked.
   *
   * @param room a room that matches one of the hub's presence patterns
   * @param countOnly whether to leave the member list out
   * @return the room's connections and distinct users, and with the list unless {@code countOnly};
   *     failed with {@link IllegalArgumentException} when the room keeps no presence
   */
  Future<Presence> presence(String room, boolean countOnly);

  /**
   * @param room a room that matches one of the hub's presence patterns
   * @return its connections, distinct users and members, cluster-wide
   */
  default Future<Presence> presence(String room) {
    return presence(room, false);
  }

  /**
   * Sends an event from the server to every connection of a user (the hub's {@code userClaim}),
   * on every node: one publish, at most once per connection, none when the user has none.
   *
   * @param user the user
   * @param event the event
   * @param data the payload (JSON value or {@link io.vertx.core.buffer.Buffer})
   * @return completed once published
   */
  Future<Void> sendToUser(String user, String event, Object data);

  /**
   * @param user a user
   * @return the user's connections on every node that answered in time
   */
  Future<List<ClientInfo>> connectionsOf(String user);

  /**
   * Closes every connection of a user, on every node, with 1008 and reason {@code kicked}.
   *
   * @param user a user
   * @return how many connections were closed
   */
  Future<Long> kickUser(String user);
}
