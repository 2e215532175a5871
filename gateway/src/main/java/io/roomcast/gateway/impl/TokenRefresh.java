package io.roomcast.gateway.impl;

import io.roomcast.gateway.Authenticator;
import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.Hub;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code refresh} request (PROTOCOL.md section 8): a new token for a live connection. It must
 * verify with the hub's authenticator and name the same user; then it replaces the connection's
 * claims and expiry, and the rooms the new claims no longer permit are left, each with a
 * {@code left} frame. A refused token changes nothing.
 */
final class TokenRefresh {

  /** The longest token a refresh may carry: far more than any JWT, far less than a message. */
  static final int MAX_TOKEN_LENGTH = 8192;

  private final HubImpl hub;

  TokenRefresh(HubImpl hub) {
    this.hub = hub;
  }

  void handle(Request request) {
    HubConnection c = request.connection;
    String token;
    try {
      token = tokenOf(request);
    } catch (IllegalArgumentException e) {
      request.builtInError(ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    Authenticator authenticator = hub.currentAuthenticator();
    if (authenticator == null) {
      request.builtInError(ErrorCode.BAD_REQUEST, "hub " + hub.name() + " authenticates no one: there is no token to refresh");
      return;
    }
    HubHandler.authenticate(authenticator, new RefreshHandshake(c.handshake(), token)).onComplete(ar -> c.shard().call(s -> {
      // Back on the connection's event loop, where its rooms and claims change.
      if (c.isClosed()) {
        return null;
      }
      if (ar.failed() || ar.result() == null) {
        request.builtInError(ErrorCode.FORBIDDEN, "the token did not verify" + (ar.failed() ? ": " + ar.cause().getMessage() : ""));
        return null;
      }
      apply(request, c, ar.result());
      return null;
    }));
  }

  private void apply(Request request, HubConnection c, JsonObject claims) {
    if (TokenLifetime.expired(TokenLifetime.deadline(claims, hub.tokenLeewaySeconds()), System.currentTimeMillis())) {
      request.builtInError(ErrorCode.FORBIDDEN, "the token has expired");
      return;
    }
    String user = HubConnection.userOf(claims, hub.settings().getUserClaim());
    if (!Objects.equals(user, c.user())) {
      request.builtInError(ErrorCode.FORBIDDEN, "the token names another user than the connection's");
      return;
    }
    c.refreshed(claims);
    hub.stats().countTokenRefresh();
    List<String> forbidden = new ArrayList<>();
    for (String room : c.joinedRooms()) {
      if (!Hub.ROOT.equals(room) && !hub.permits(Permissions.Action.JOIN, room, claims)) {
        forbidden.add(room);
      }
    }
    for (String room : forbidden) {
      c.shard().leave(c, room);
      c.writeData("left", room, null, new JsonObject().put("reason", "forbidden").toBuffer(), false);
    }
    Long exp = TokenLifetime.exp(claims);
    request.builtInOk(exp == null ? new JsonObject() : new JsonObject().put("exp", exp));
  }

  /** @return {@code data.token}: a non-empty string of at most {@value #MAX_TOKEN_LENGTH} characters */
  private static String tokenOf(Request request) {
    Object data = request.envelope.payload() == null ? null : request.envelope.data();
    Object token = data instanceof JsonObject object ? object.getValue("token") : null;
    if (!(token instanceof String s) || s.isEmpty()) {
      throw new IllegalArgumentException("refresh needs data.token, a non-empty string");
    }
    if (s.length() > MAX_TOKEN_LENGTH) {
      throw new IllegalArgumentException("the token is longer than " + MAX_TOKEN_LENGTH + " characters");
    }
    return s;
  }
}
