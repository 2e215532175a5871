package io.roomcast.loadtests.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * The harness's WebSocket client: one Netty event loop (the generator has one core), plain
 * NIO, connections spread over several source addresses. Everything about a connection runs on
 * that loop; modes schedule their work on {@link #loop()}.
 */
public final class LoadClient implements AutoCloseable {

  /** The largest frame the harness accepts (the servers' own limit). */
  private static final int MAX_FRAME = 64 * 1024;
  private static final int HANDSHAKE_TIMEOUT_MS = 10_000;

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Bootstrap bootstrap;
  private final SourceAddresses sources;

  /** @param sources the local addresses to connect from */
  public LoadClient(SourceAddresses sources) {
    this.sources = sources;
    this.bootstrap = new Bootstrap()
      .group(group)
      .channel(NioSocketChannel.class)
      .option(ChannelOption.TCP_NODELAY, true)
      .option(ChannelOption.SO_REUSEADDR, true)
      .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, HANDSHAKE_TIMEOUT_MS);
  }

  /** @return the loop that runs every connection */
  public EventLoop loop() {
    return group.next();
  }

  /** Starts connecting; the connection's listener hears how it ends. Call on the loop. */
  public void connect(ClientConnection c) {
    URI uri = c.uri();
    int port = uri.getPort() > 0 ? uri.getPort() : 80;
    WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
      .webSocketUri(uri)
      .version(WebSocketVersion.V13)
      .subprotocol(c.dialect().subprotocol())
      .allowExtensions(false)
      .customHeaders(EmptyHttpHeaders.INSTANCE)
      .maxFramePayloadLength(MAX_FRAME)
      .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MS)
      .generateOriginHeader(false)
      .dropPongFrames(true)
      .build();
    ChannelFuture connecting = bootstrap.clone()
      .handler(new ChannelInitializer<SocketChannel>() {
        @Override
        protected void initChannel(SocketChannel ch) {
          ch.pipeline().addLast(
            new HttpClientCodec(),
            new HttpObjectAggregator(MAX_FRAME),
            new WebSocketClientProtocolHandler(config),
            new FrameHandler(c));
        }
      })
      .connect(new InetSocketAddress(uri.getHost(), port), sources.next());
    Channel channel = connecting.channel();
    c.connecting(channel);
    connecting.addListener(f -> {
      if (!f.isSuccess()) {
        c.failed("connect: " + FrameHandler.describe(f.cause()));
      }
    });
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
