package io.roomcast.gateway.impl;

import io.roomcast.gateway.Handshake;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of the upgrade request that outlive it. It holds the request's own header map (the
 * WebSocket keeps it anyway), without the headers that only served the upgrade once it is done,
 * and the raw query string, decoded only if asked: an idle connection should cost as little
 * memory as possible.
 */
final class HandshakeImpl implements Handshake {

  // Meaningless once the connection is a WebSocket; about 600 bytes of an idle connection.
  private static final List<String> UPGRADE_HEADERS = List.of("Upgrade", "Connection", "Sec-WebSocket-Key",
    "Sec-WebSocket-Version", "Sec-WebSocket-Extensions");

  private final String path;
  private final MultiMap headers;
  private final String query;
  private final Map<String, String> pathParams;
  private final SocketAddress remoteAddress;
  private final SocketAddress localAddress;
  private volatile Map<String, List<String>> decodedQuery;

  HandshakeImpl(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    this.path = request.path();
    this.headers = request.headers();
    this.query = request.query();
    Map<String, String> params = rc.pathParams();
    this.pathParams = params.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
    this.remoteAddress = request.remoteAddress();
    this.localAddress = request.localAddress();
  }

  /** @return whether a header only serves the upgrade (and is dropped once it is done) */
  static boolean upgradeOnly(String name) {
    for (String h : UPGRADE_HEADERS) {
      if (h.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** Drops the headers that served the upgrade; call on the connection's event loop once it is done. */
  void upgraded() {
    for (String name : UPGRADE_HEADERS) {
      headers.remove(name);
    }
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
    List<String> values = decodedQuery().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public Map<String, String> queryParams() {
    Map<String, String> first = new LinkedHashMap<>();
    decodedQuery().forEach((name, values) -> first.put(name, values.isEmpty() ? "" : values.get(0)));
    return first;
  }

  private Map<String, List<String>> decodedQuery() {
    if (query == null) {
      return Map.of();
    }
    Map<String, List<String>> params = decodedQuery;
    if (params == null) {
      params = new QueryStringDecoder(query, StandardCharsets.UTF_8, false).parameters();
      decodedQuery = params;
    }
    return params;
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
