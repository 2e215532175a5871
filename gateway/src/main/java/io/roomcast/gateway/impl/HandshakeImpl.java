package io.roomcast.gateway.impl;

import io.roomcast.gateway.Handshake;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parts of the upgrade request that outlive it. */
final class HandshakeImpl implements Handshake {

  private final String path;
  private final MultiMap headers;
  private final MultiMap query;
  private final Map<String, String> pathParams;
  private final SocketAddress remoteAddress;
  private final SocketAddress localAddress;

  HandshakeImpl(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    this.path = request.path();
    this.headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
    this.query = MultiMap.caseInsensitiveMultiMap().addAll(rc.queryParams());
    this.pathParams = Collections.unmodifiableMap(new LinkedHashMap<>(rc.pathParams()));
    this.remoteAddress = request.remoteAddress();
    this.localAddress = request.localAddress();
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public MultiMap headers() {
    return headers;
  }

  @Override
  public String queryParam(String name) {
    return query.get(name);
  }

  @Override
  public String pathParam(String name) {
    return pathParams.get(name);
  }

  @Override
  public Map<String, String> pathParams() {
    return pathParams;
  }

  @Override
  public SocketAddress remoteAddress() {
    return remoteAddress;
  }

  @Override
  public SocketAddress localAddress() {
    return localAddress;
  }

  @Override
  public String toString() {
    // The query string can hold a token: never part of what is printed.
    return "Handshake[" + path + " from " + remoteAddress + "]";
  }
}
