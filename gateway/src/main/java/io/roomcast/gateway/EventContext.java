package io.roomcast.gateway;

import io.vertx.core.Future;

/**
 * What an event handler registered with {@link Hub#on(String, io.vertx.core.Handler)} gets: the
 * message, its sender, and the ways to answer. Runs on the sender's event loop.
 */
public interface EventContext {

  /** @return the hub */
  Hub hub();

  /** @return the sender */
  Connection connection();

  /** @return the message, with {@code from} set to the sender's id */
  Envelope envelope();

  /** @return the event name */
  default String event() {
    return envelope().event();
  }

  /** @return the decoded payload, see {@link Envelope#data()} */
  default Object data() {
    return envelope().data();
  }

  /**
   * Answers the sender: a {@code reply} with the request's id and status {@code ok}.
   *
   * @param data the reply's data, or {@code null}
   */
  void reply(Object data);

  /**
   * Answers the sender with an error: a {@code reply} with status {@code error} when the request
   * has an id, else an {@code error} event.
   *
   * @param code the error code
   * @param message the reason
   */
  void fail(ErrorCode code, String message);

  /**
   * Delivers an event to every other member of a room, on every node, from the sender. Trusted:
   * no membership or permission check.
   *
   * @param room the room
   * @param event the event
   * @param data the payload
   * @return in a room with history, the message's position once kept; elsewhere {@code null} at once
   */
  Future<Position> publish(String room, String event, Object data);

  /**
   * Sends a direct message from the sender to a client anywhere in the cluster.
   *
   * @param to the client id
   * @param event the event
   * @param data the payload
   * @return completed once the target's node accepted it; failed with {@link RoomcastException}
   *     ({@link ErrorCode#UNKNOWN_CLIENT} or {@link ErrorCode#UNAVAILABLE}) otherwise
   */
  Future<Void> send(String to, String event, Object data);
}
