package io.roomcast.gateway.impl;

import io.roomcast.gateway.Handshake;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.SocketAddress;

import java.util.Map;

/**
 * The connection's handshake with a refreshed token in place of the first one: what the hub's
 * authenticator is given to verify a {@code refresh}, so that an application's authenticator
 * checks it the way it checked the first (it finds the new token in {@link #token()}, the
 * {@code Authorization} header and the {@code access_token} parameter).
 */
final class RefreshHandshake implements Handshake {

  private final Handshake first;
  private final String token;
  private final MultiMap headers;

  RefreshHandshake(Handshake first, String token) {
    this.first = first;
    this.token = token;
    this.headers = MultiMap.caseInsensitiveMultiMap().addAll(first.headers()).set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
  }

  @Override
  public String path() {
    return first.path();
  }

  @Override
  public MultiMap headers() {
    return headers;
  }

  @Override
  public String token() {
    return token;
  }

  @Override
  public String queryParam(String name) {
    return "access_token".equals(name) ? token : first.queryParam(name);
  }

  @Override
  public Map<String, String> queryParams() {
    Map<String, String> params = first.queryParams();
    if (params.containsKey("access_token")) {
      params.put("access_token", token);
    }
    return params;
  }

  @Override
  public String pathParam(String name) {
    return first.pathParam(name);
  }

  @Override
  public Map<String, String> pathParams() {
    return first.pathParams();
  }

  @Override
  public SocketAddress remoteAddress() {
    return first.remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return first.localAddress();
  }
}
