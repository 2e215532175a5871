package io.roomcast.gateway.impl;

import io.roomcast.gateway.impl.codec.Names;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Upgrades the requests of a hub's route and hands the sockets to the hub. */
final class HubHandler implements Handler<RoutingContext> {

  static final String ROOM_PARAM = "room";
  private static final Logger log = LoggerFactory.getLogger(HubHandler.class);

  private final HubImpl hub;

  HubHandler(HubImpl hub) {
    this.hub = hub;
  }

  @Override
  public void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    if (!request.canUpgradeToWebSocket()) {
      rc.response().setStatusCode(426).putHeader("Upgrade", "websocket").end("a WebSocket endpoint: upgrade required\n");
      return;
    }
    String room = rc.pathParam(ROOM_PARAM);
    if (room != null && !Names.isRoom(room)) {
      rc.response().setStatusCode(400).end("invalid room: 1-128 characters of [A-Za-z0-9._:@/-]\n");
      return;
    }
    HandshakeImpl handshake = new HandshakeImpl(rc);
    request.toWebSocket()
      .onSuccess(ws -> hub.accept(ws, handshake, null, room))
      .onFailure(t -> log.debug("upgrade failed on {}: {}", handshake, t.getMessage()));
  }
}
