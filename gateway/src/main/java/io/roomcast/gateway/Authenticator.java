package io.roomcast.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Decides who may connect to a hub, from the upgrade request alone. A failed future (or a
 * {@code null} result) refuses the handshake with HTTP 401 before the upgrade; the claims of a
 * successful one become {@link Connection#claims()} and what permission rules test.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * @param handshake the upgrade request; {@link Handshake#token()} finds the usual token
   * @return the connection's claims
   */
  Future<JsonObject> authenticate(Handshake handshake);
}
