package io.roomcast.gateway.impl;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.core.net.impl.VertxHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;

/**
 * Gives an upgraded WebSocket the outbound queue that Vert.x gives its HTTP connections in
 * strict thread mode, writing straight to the channel on the connection's event loop, and lets
 * go of the upgrade request that Vert.x keeps for the channel's life.
 *
 * <p>Vert.x creates every WebSocket connection with a multi-producer queue whose first chunk,
 * 1,025 slots, is 4.7 KiB of an idle connection's 11.3 (docs/BENCHMARKS.md), because its
 * WebSocket connection never passes the strict-thread-mode flag to {@link VertxConnection}'s
 * constructor. Roomcast writes on the connection's own event loop ({@link WebSocketConnection}
 * hops there when called from another thread), so the queue is never needed. The channel's
 * {@link VertxHandler} also keeps the factory that made the connection, which holds the upgrade
 * request, its response and the HTTP connection: 1.8 KiB more. The fields are final and the
 * direct queue a private class: all are looked up once, when this class loads; where any is
 * missing (another Vert.x), connections stay as Vert.x makes them and the log says so once.
 * docs/VERTX_DIRECT_WEBSOCKET_WRITES.md is the upstream change that would make this unnecessary.
 */
final class DirectWrites {

  private static final Logger log = LoggerFactory.getLogger(DirectWrites.class);
  private static final String QUEUE_FIELD = "outboundMessageQueue";
  private static final String DIRECT_QUEUE = VertxConnection.class.getName() + "$DirectOutboundMessageQueue";
  private static final String WEBSOCKET_CONNECTION = "io.vertx.core.http.impl.WebSocketConnectionImpl";

  // Vert.x Web hands out its request's socket wrapped (for forwarded addresses, which the
  // handshake keeps anyway): a further 100 bytes per connection, and no way to the channel.
  private static final String WEB_WRAPPER = "io.vertx.ext.web.impl.ServerWebSocketWrapper";

  private static final MethodHandle SET_QUEUE;
  private static final MethodHandle GET_QUEUE;
  private static final MethodHandle NEW_DIRECT_QUEUE;
  private static final MethodHandle UNWRAP;
  private static final MethodHandle SET_FACTORY;
  private static final String UNAVAILABLE;

  static {
    MethodHandle setQueue = null;
    MethodHandle getQueue = null;
    MethodHandle newDirectQueue = null;
    MethodHandle unwrap = null;
    MethodHandle setFactory = null;
    String unavailable = null;
    try {
      Field queue = VertxConnection.class.getDeclaredField(QUEUE_FIELD);
      queue.setAccessible(true);
      Constructor<?> direct = Class.forName(DIRECT_QUEUE).getDeclaredConstructor(VertxConnection.class);
      direct.setAccessible(true);
      if (!queue.getType().isAssignableFrom(direct.getDeclaringClass())) {
        throw new NoSuchFieldException(QUEUE_FIELD + " cannot hold a " + direct.getDeclaringClass().getSimpleName());
      }
      Field delegate = Class.forName(WEB_WRAPPER).getDeclaredField("delegate");
      delegate.setAccessible(true);
      Field factory = VertxHandler.class.getDeclaredField("connectionFactory");
      factory.setAccessible(true);
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      setQueue = lookup.unreflectSetter(queue);
      getQueue = lookup.unreflectGetter(queue);
      newDirectQueue = lookup.unreflectConstructor(direct);
      unwrap = lookup.unreflectGetter(delegate);
      setFactory = lookup.unreflectSetter(factory);
    } catch (ReflectiveOperationException | RuntimeException e) {
      unavailable = e.toString();
    }
    SET_QUEUE = setQueue;
    GET_QUEUE = getQueue;
    NEW_DIRECT_QUEUE = newDirectQueue;
    UNWRAP = unwrap;
    SET_FACTORY = setFactory;
    UNAVAILABLE = unavailable;
  }

  private static volatile boolean fallbackLogged;

  private DirectWrites() {
  }

  /**
   * Call on the socket's event loop as soon as it is upgraded, before anything is written to it.
   *
   * @return the socket to keep: Vert.x's own, now writing straight to its channel; or the one
   *     given, with Vert.x's thread-safe queue (another Vert.x, or a socket served on a worker
   *     thread)
   */
  static ServerWebSocket adopt(ServerWebSocket ws) {
    if (UNAVAILABLE != null) {
      logFallbackOnce(UNAVAILABLE);
      return ws;
    }
    try {
      ServerWebSocket own = ws.getClass().getName().equals(WEB_WRAPPER) ? (ServerWebSocket) UNWRAP.invoke(ws) : ws;
      if (!(own instanceof WebSocketInternal internal)) {
        return ws;
      }
      ChannelHandlerContext chctx = internal.channelHandlerContext();
      if (!chctx.executor().inEventLoop() || !(chctx.handler() instanceof VertxHandler<?> handler)) {
        return ws;
      }
      VertxConnection connection = handler.getConnection();
      if (connection == null || !connection.getClass().getName().equals(WEBSOCKET_CONNECTION)) {
        return ws;
      }
      // Used once, when the handler was added; it holds the upgrade request, response and HTTP connection.
      SET_FACTORY.invoke(handler, null);
      // Last: once the queue is direct, the caller must keep Vert.x's own socket, through which
      // WebSocketConnection finds the loop that every write must run on.
      SET_QUEUE.invoke(connection, NEW_DIRECT_QUEUE.invoke(connection));
      return own;
    } catch (Throwable t) {
      logFallbackOnce(t.toString());
      return ws;
    }
  }

  /**
   * The connection under a socket that {@link #adopt} gave the direct queue, to write frames
   * already encoded for the wire into its channel context: in order with the socket's own writes
   * (which the direct queue puts there at once), counted in the channel's writability; the
   * WebSocket encoder lets bytes through as they are. Not where an extension (permessage-deflate,
   * in an application's own server) encodes frames: those go through Vert.x.
   *
   * @return the connection, or {@code null} where frames must go through Vert.x's socket
   */
  static VertxConnection sharedFrameWriter(ServerWebSocket own) {
    if (UNAVAILABLE != null || !(own instanceof WebSocketInternal internal)) {
      return null;
    }
    ChannelHandlerContext chctx = internal.channelHandlerContext();
    if (!(chctx.handler() instanceof VertxHandler<?> handler) || handler.getConnection() == null) {
      return null;
    }
    // Looked up in place: iterating a pipeline copies it into a map, on every connect.
    ChannelPipeline pipeline = chctx.pipeline();
    if (pipeline.context(WebSocketFrameEncoder.class) == null || pipeline.context(WebSocketExtensionEncoder.class) != null) {
      return null;
    }
    VertxConnection connection = handler.getConnection();
    try {
      Object queue = GET_QUEUE.invoke(connection);
      return queue != null && queue.getClass().getName().equals(DIRECT_QUEUE) ? connection : null;
    } catch (Throwable t) {
      return null;
    }
  }

  /** @return why WebSocket connections keep Vert.x's queue, or {@code null} where they do not */
  static String unavailable() {
    return UNAVAILABLE;
  }

  private static void logFallbackOnce(String why) {
    if (!fallbackLogged) {
      fallbackLogged = true;
      log.warn("WebSocket connections stay as Vert.x makes them (6.5 KiB more per connection): {}", why);
    }
  }
}
