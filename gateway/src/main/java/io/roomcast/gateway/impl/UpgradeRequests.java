package io.roomcast.gateway.impl;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/** The check every WebSocket route of the gateway makes first: is this an RFC 6455 upgrade? */
final class UpgradeRequests {

  /**
   * The one WebSocket version served, RFC 6455's. Netty would also speak the drafts before it
   * (versions 7 and 8, and hixie-76 when the header is missing, which has no masking, no close
   * codes and no pings): more parsers for an attacker to reach, and nothing a client needs.
   */
  static final String VERSION = "13";

  private UpgradeRequests() {
  }

  /**
   * Answers 426 (Upgrade Required) to a request that is not a WebSocket upgrade, or that asks for
   * another version than 13, naming the version served as RFC 6455 section 4.4 asks.
   *
   * @return {@code true} when the request was answered and the route must stop there
   */
  static boolean refuseIfNotRfc6455(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    if (!request.canUpgradeToWebSocket()) {
      rc.response().setStatusCode(426).putHeader("Upgrade", "websocket").end("a WebSocket endpoint: upgrade required\n");
      return true;
    }
    if (!VERSION.equals(request.getHeader("Sec-WebSocket-Version"))) {
      rc.response().setStatusCode(426).putHeader("Sec-WebSocket-Version", VERSION).end("WebSocket version 13 required\n");
      return true;
    }
    return false;
  }
}
