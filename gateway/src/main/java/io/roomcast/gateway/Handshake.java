package io.roomcast.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;

import java.util.Map;

/**
 * The HTTP request that opened a connection, as an authenticator and the connection's handlers
 * see it. Read-only.
 */
public interface Handshake {

  /** @return the request path, e.g. {@code /ws/chat/lobby} */
  String path();

  /**
   * @return the request headers; once the connection is open, without those that only served the
   *     upgrade ({@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-Key}, {@code -Version},
   *     {@code -Extensions})
   */
  MultiMap headers();

  /**
   * @param name a header name, case-insensitive
   * @return its first value, or {@code null}
   */
  default String header(String name) {
    return headers().get(name);
  }

  /** @return the {@code Origin} header, or {@code null} */
  default String origin() {
    return header("Origin");
  }

  /**
   * @return the bearer token of the {@code Authorization} header, else the {@code access_token}
   *     query parameter (for browsers, which cannot set headers on a WebSocket), else {@code null}
   */
  default String token() {
    String authorization = header("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).trim();
      return token.isEmpty() ? null : token;
    }
    return queryParam("access_token");
  }

  /**
   * @param name a query parameter
   * @return its first value, or {@code null}
   */
  String queryParam(String name);

  /** @return every query parameter, with its first value */
  Map<String, String> queryParams();

  /**
   * @param name a path parameter of the hub's route, e.g. {@code room} for {@code /ws/chat/:room}
   * @return its value, or {@code null}
   */
  String pathParam(String name);

  /** @return every path parameter of the route */
  Map<String, String> pathParams();

  /** @return the peer's address */
  SocketAddress remoteAddress();

  /** @return the server's address */
  SocketAddress localAddress();
}
