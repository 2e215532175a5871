package io.roomcast.gateway.impl;

import io.roomcast.gateway.Authenticator;
import io.roomcast.gateway.Handshake;
import io.roomcast.gateway.impl.codec.Names;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
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
    if (UpgradeRequests.refuseIfNotRfc6455(rc)) {
      return;
    }
    if (hub.gateway().isDraining()) {
      // The client should reconnect to another node; the load balancer sees this node unready.
      rc.response().putHeader("Retry-After", "1").putHeader("Connection", "close");
      refuse(rc, 503, HubStats.Rejection.DRAINING, "the node is draining: connect to another node");
      return;
    }
    String room = rc.pathParam(ROOM_PARAM);
    if (room != null && !Names.isRoom(room)) {
      refuse(rc, 400, HubStats.Rejection.BAD_REQUEST, "invalid room: " + Names.ROOM_RULE);
      return;
    }
    if (!hub.origins().allows(request.getHeader("Origin"))) {
      refuse(rc, 403, HubStats.Rejection.ORIGIN, "origin not allowed");
      return;
    }
    String address = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
    HubStats.Rejection limit = hub.limits().tryAcquire(address);
    if (limit != null) {
      refuse(rc, limit == HubStats.Rejection.MAX_CONNECTIONS ? 503 : 429, limit, "too many connections");
      return;
    }
    HandshakeImpl handshake = new HandshakeImpl(rc);
    Authenticator authenticator = hub.currentAuthenticator();
    if (authenticator == null) {
      upgrade(rc, handshake, null, room, address);
      return;
    }
    request.pause();
    Context context = Vertx.currentContext();
    Thread requestThread = Thread.currentThread();
    authenticate(authenticator, handshake).onComplete(ar -> {
      if (Thread.currentThread() != requestThread) {
        // An authenticator may complete elsewhere; the answer must be written on the request's
        // own event loop (the server runs in strict thread mode).
        context.runOnContext(v -> afterAuthentication(rc, handshake, ar, room, address));
      } else {
        afterAuthentication(rc, handshake, ar, room, address);
      }
    });
  }

  private void afterAuthentication(RoutingContext rc, HandshakeImpl handshake, AsyncResult<JsonObject> ar, String room, String address) {
    if (ar.failed() || ar.result() == null) {
      hub.limits().release(address);
      log.debug("handshake refused on {}: {}", handshake, ar.failed() ? ar.cause().getMessage() : "no claims");
      rc.response().putHeader("WWW-Authenticate", "Bearer");
      refuse(rc, 401, HubStats.Rejection.AUTH, "authentication required");
      return;
    }
    JsonObject claims = ar.result();
    if (TokenLifetime.expired(TokenLifetime.deadline(claims, hub.tokenLeewaySeconds()), System.currentTimeMillis())) {
      // An application's authenticator may hand back claims whose exp has passed.
      hub.limits().release(address);
      rc.response().putHeader("WWW-Authenticate", "Bearer");
      refuse(rc, 401, HubStats.Rejection.AUTH, "token expired");
      return;
    }
    if (room != null && !hub.permits(Permissions.Action.JOIN, room, claims)) {
      hub.limits().release(address);
      refuse(rc, 403, HubStats.Rejection.AUTH, "not allowed to join " + room);
      return;
    }
    upgrade(rc, handshake, claims, room, address);
  }

  /** @return the authenticator's claims, or its failure: a throw or a missing future fails too */
  static Future<JsonObject> authenticate(Authenticator authenticator, Handshake handshake) {
    try {
      Future<JsonObject> claims = authenticator.authenticate(handshake);
      return claims != null ? claims : Future.failedFuture("the authenticator returned no future");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void upgrade(RoutingContext rc, HandshakeImpl handshake, JsonObject claims, String room, String address) {
    if (room != null && claims == null && !hub.permits(Permissions.Action.JOIN, room, new JsonObject())) {
      hub.limits().release(address);
      refuse(rc, 403, HubStats.Rejection.AUTH, "not allowed to join " + room);
      return;
    }
    HttpConnection connection = rc.request().connection();
    rc.request().toWebSocket()
      .onSuccess(ws -> {
        FlushBatching.install(connection);
        handshake.upgraded();
        hub.accept(DirectWrites.adopt(ws), handshake, claims, room, address);
      })
      .onFailure(t -> {
        hub.limits().release(address);
        log.debug("upgrade failed on {}: {}", handshake, t.getMessage());
      });
  }

  private void refuse(RoutingContext rc, int status, HubStats.Rejection reason, String message) {
    hub.stats().countRejection(reason);
    rc.response().setStatusCode(status).end(message + "\n");
  }
}
