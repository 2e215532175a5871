package io.roomcast.gateway.impl;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Batches the flushes of a connection: a fan-out writes one frame to each member and Vert.x
 * flushes each write, one {@code write(2)} per frame. Netty's {@link FlushConsolidationHandler}
 * at the head of the pipeline turns the flushes of one event-loop turn into one, so that a
 * member behind on a busy loop gets its frames in one write, and its client reads them at once.
 *
 * <p>Vert.x gives no public access to a connection's pipeline. Its server connections have a
 * public {@code channel()} method; it is looked up once per class, and where it is missing
 * connections flush as before. Hubs install it on each connection they upgrade, so it holds on
 * an application's own HTTP server too.
 */
final class FlushBatching {

  private static final String NAME = "roomcast-flush-batching";
  // Netty's default: an explicit flush at least every 256 flushes, however busy the loop.
  private static final int MAX_FLUSHES_HELD = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

  // Looked up once per connection class, not once per connection.
  private static final ClassValue<MethodHandle> CHANNEL = new ClassValue<>() {
    @Override
    protected MethodHandle computeValue(Class<?> type) {
      try {
        return MethodHandles.publicLookup().findVirtual(type, "channel", MethodType.methodType(Channel.class));
      } catch (NoSuchMethodException | IllegalAccessException e) {
        return null;
      }
    }
  };

  private FlushBatching() {
  }

  /** @return whether the handler went into the connection's pipeline */
  static boolean install(HttpConnection connection) {
    Channel channel = channelOf(connection);
    if (channel == null || channel.pipeline().get(NAME) != null) {
      return false;
    }
    channel.pipeline().addFirst(NAME, new FlushConsolidationHandler(MAX_FLUSHES_HELD, true));
    return true;
  }

  /** Flushes a pipeline's writes now, past its batching (which sits next to the socket), or through the pipeline without it. */
  static void flushNow(ChannelPipeline pipeline) {
    ChannelHandlerContext batching = pipeline.context(NAME);
    if (batching != null) {
      batching.flush();
    } else {
      pipeline.flush();
    }
  }

  /** @return whether connections of this class can batch their flushes */
  static boolean reaches(Class<? extends HttpConnection> connectionClass) {
    return CHANNEL.get(connectionClass) != null;
  }

  private static Channel channelOf(HttpConnection connection) {
    MethodHandle channel = CHANNEL.get(connection.getClass());
    if (channel == null) {
      return null;
    }
    try {
      return (Channel) channel.invoke(connection);
    } catch (Throwable t) {
      throw new IllegalStateException("reading a connection's channel failed", t);
    }
  }
}
