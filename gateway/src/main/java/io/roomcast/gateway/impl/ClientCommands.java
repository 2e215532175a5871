package io.roomcast.gateway.impl;

import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.RoomcastException;
import io.roomcast.gateway.impl.bus.Addresses;
import io.roomcast.gateway.impl.bus.BusMessage;
import io.roomcast.gateway.impl.bus.ClientIds;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;

import java.util.function.Supplier;

/**
 * Reaches a client wherever it is connected: a command or a direct message goes to the shard
 * named in the client's id (no cluster-wide lookup), and what can go wrong on the way becomes a
 * {@link RoomcastException} with the protocol's error code.
 */
final class ClientCommands {

  /** The failure code a shard answers with when it has no such client. */
  static final int UNKNOWN_CLIENT_FAILURE = 404;
  /** The failure code a shard answers with when the command is not allowed. */
  static final int FORBIDDEN_FAILURE = 403;

  private final EventBus bus;
  private final Addresses addresses;
  private final DeliveryOptions requestOptions;

  ClientCommands(EventBus bus, Addresses addresses, DeliveryOptions requestOptions) {
    this.bus = bus;
    this.addresses = addresses;
    this.requestOptions = requestOptions;
  }

  /**
   * @param clientId the client
   * @param message made once the id is known to be a client id; an {@code IllegalArgumentException}
   *     it throws fails the returned future
   * @return completed once the client's shard has carried it out
   */
  Future<Void> send(String clientId, Supplier<? extends BusMessage> message) {
    ClientIds.Location location = ClientIds.parse(clientId);
    if (location == null) {
      return Future.failedFuture(new RoomcastException(ErrorCode.UNKNOWN_CLIENT, "no client " + clientId));
    }
    BusMessage m;
    try {
      m = message.get();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return bus.request(addresses.shard(location.node(), location.shard()), m, requestOptions)
      .<Void>mapEmpty()
      .recover(t -> Future.failedFuture(asRoomcastException(t, clientId)));
  }

  /** @return the failure as the protocol names it */
  static RoomcastException asRoomcastException(Throwable t) {
    return asRoomcastException(t, null);
  }

  private static RoomcastException asRoomcastException(Throwable t, String clientId) {
    if (t instanceof RoomcastException e) {
      return e;
    }
    String client = clientId == null ? "the client" : "client " + clientId;
    if (t instanceof ReplyException e) {
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
}
