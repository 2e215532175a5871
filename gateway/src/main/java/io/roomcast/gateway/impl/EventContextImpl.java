package io.roomcast.gateway.impl;

import io.roomcast.gateway.Connection;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.EventContext;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.Position;
import io.vertx.core.Future;

/** The {@link EventContext} of one request. */
final class EventContextImpl implements EventContext {

  private final HubImpl hub;
  private final Request request;

  EventContextImpl(HubImpl hub, Request request) {
    this.hub = hub;
    this.request = request;
  }

  @Override
  public Hub hub() {
    return hub;
  }

  @Override
  public Connection connection() {
    return request.connection;
  }

  @Override
  public Envelope envelope() {
    return request.envelope;
  }

  @Override
  public void reply(Object data) {
    request.handlerReply(data);
  }

  @Override
  public void fail(ErrorCode code, String message) {
    request.error(code, message);
  }

  @Override
  public Future<Position> publish(String room, String event, Object data) {
    String from = request.connection.id();
    return hub.publish(room, event, from, from, data);
  }

  @Override
  public Future<Void> send(String to, String event, Object data) {
    return hub.sendDirect(to, event, request.connection.id(), data);
  }
}
