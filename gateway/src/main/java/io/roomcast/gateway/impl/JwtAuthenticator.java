package io.roomcast.gateway.impl;

import io.roomcast.gateway.Authenticator;
import io.roomcast.gateway.Handshake;
import io.roomcast.gateway.JwtOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/** Verifies the handshake's JSON Web Token with vertx-auth-jwt; its payload becomes the claims. */
final class JwtAuthenticator implements Authenticator {

  private final JWTAuth auth;

  JwtAuthenticator(Vertx vertx, JwtOptions options) {
    JWTOptions checks = new JWTOptions().setLeeway((int) options.getLeeway());
    if (options.getIssuer() != null) {
      checks.setIssuer(options.getIssuer());
    }
    if (!options.getAudience().isEmpty()) {
      checks.setAudience(options.getAudience());
    }
    String key = options.getAlgorithm().equals("HS256") ? options.getSecret() : options.getPublicKey();
    this.auth = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm(options.getAlgorithm()).setBuffer(key))
      .setJWTOptions(checks));
  }

  @Override
  public Future<JsonObject> authenticate(Handshake handshake) {
    String token = handshake.token();
    if (token == null) {
      return Future.failedFuture("no token");
    }
    return auth.authenticate(new TokenCredentials(token)).map(user -> {
      JsonObject payload = user.attributes().getJsonObject("accessToken");
      return payload != null ? payload.copy() : user.principal().copy();
    });
  }
}
