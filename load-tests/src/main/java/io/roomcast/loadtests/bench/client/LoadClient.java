package io.roomcast.loadtests.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ResourceLeakDetector;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * The harness's WebSocket client: one Netty event loop (the generator has one core), epoll (NIO
 * where epoll is not available), one {@link WsClientCodec} per connection, connections spread over several source addresses.
 * Everything about a connection runs on that loop; modes schedule their work on {@link #loop()}.
 */
public final class LoadClient implements AutoCloseable {

  /** A connection not ready (upgraded and welcomed) within this time has failed. */
  public static final int READY_TIMEOUT_MS = 10_000;

  static {
    // Leak tracking samples buffers on every allocation; the harness releases its buffers in one
    // place (the codec), and its cost would count against the generator's core.
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
  }

  private static final boolean EPOLL = Epoll.isAvailable();

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, ioHandler());
  private final Bootstrap bootstrap;
  private final SourceAddresses sources;

  /** @param sources the local addresses to connect from */
  public LoadClient(SourceAddresses sources) {
    this.sources = sources;
    this.bootstrap = new Bootstrap()
      .group(group)
      .channel(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class)
      .option(ChannelOption.TCP_NODELAY, true)
      .option(ChannelOption.SO_REUSEADDR, true)
      .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, READY_TIMEOUT_MS);
  }

  private static IoHandlerFactory ioHandler() {
    return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  /** @return the transport in use: epoll or nio */
  public static String transport() {
    return EPOLL ? "epoll" : "nio";
  }

  /** @return the loop that runs every connection */
  public EventLoop loop() {
    return group.next();
  }

  /** Starts connecting; the connection's listener hears how it ends. Call on the loop. */
  public void connect(ClientConnection c) {
    URI uri = c.uri();
    int port = uri.getPort() > 0 ? uri.getPort() : 80;
    ChannelFuture connecting = bootstrap.clone()
      .handler(new WsClientCodec(c))
      .connect(new InetSocketAddress(uri.getHost(), port), sources.next());
    Channel channel = connecting.channel();
    c.connecting(channel);
    connecting.addListener(f -> {
      if (!f.isSuccess()) {
        c.failed("connect: " + WsClientCodec.describe(f.cause()));
      }
    });
    channel.eventLoop().schedule(() -> {
      if (!c.isReady() && c.state() != ClientConnection.State.FAILED && c.state() != ClientConnection.State.CLOSED) {
        c.failed("not ready in " + READY_TIMEOUT_MS + " ms");
      }
    }, READY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
