package io.roomcast.gateway;

import io.roomcast.gateway.impl.RawEndpointImpl;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.util.function.BiConsumer;

/**
 * A WebSocket endpoint without the envelope protocol: each connection gets whole messages
 * (fragments joined, text checked for valid UTF-8, size bounded) and sends frames as it likes.
 */
public interface RawEndpoint {

  /** Default limit of one message, in bytes. */
  int DEFAULT_MAX_MESSAGE_SIZE = 65536;

  /** Default number of frames one message may be split into. */
  int DEFAULT_MAX_FRAGMENTS = HubOptions.DEFAULT_MAX_FRAGMENTS;

  /**
   * @param vertx the Vert.x instance
   * @return an endpoint that does nothing until handlers are set
   */
  static RawEndpoint create(Vertx vertx) {
    return new RawEndpointImpl(null);
  }

  /**
   * @param vertx the Vert.x instance
   * @return an endpoint that sends every message back with its own type
   */
  static RawEndpoint echo(Vertx vertx) {
    return RawEndpointImpl.echo(null);
  }

  /**
   * @param bytes the largest message accepted; a larger one closes the connection with 1009
   * @return this endpoint
   */
  RawEndpoint maxMessageSize(int bytes);

  /**
   * @param fragments the most frames one message may be split into; more close the connection
   *     with 1009 (it bounds the work of a flood of tiny continuation frames, not just their bytes)
   * @return this endpoint
   */
  RawEndpoint maxFragments(int fragments);

  /**
   * @param handler called once a connection is open
   * @return this endpoint
   */
  RawEndpoint onConnect(Handler<Connection> handler);

  /**
   * @param handler called with each whole message
   * @return this endpoint
   */
  RawEndpoint onMessage(Handler<RawMessage> handler);

  /**
   * @param handler called once a connection is closed
   * @return this endpoint
   */
  RawEndpoint onClose(Handler<Connection> handler);

  /**
   * @param handler called with failures of a connection
   * @return this endpoint
   */
  RawEndpoint onError(BiConsumer<Connection, Throwable> handler);

  /** @return the handler that upgrades requests on the endpoint's route */
  Handler<RoutingContext> handler();
}
