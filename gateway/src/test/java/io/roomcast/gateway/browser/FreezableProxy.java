package io.roomcast.gateway.browser;

import io.roomcast.gateway.testing.Await;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback that can go silent without closing anything: a link that is dead
 * while neither end has noticed (a sleeping laptop, a NAT that forgot the flow), which only a
 * heartbeat can find out.
 */
final class FreezableProxy implements AutoCloseable {

  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean frozen;
  private volatile boolean repliesFrozen;
  private int port;

  private FreezableProxy(Vertx vertx) {
    this.server = vertx.createNetServer();
    this.client = vertx.createNetClient();
  }

  /** Starts a proxy to 127.0.0.1:targetPort. */
  static FreezableProxy start(Vertx vertx, int targetPort) {
    FreezableProxy proxy = new FreezableProxy(vertx);
    proxy.server.connectHandler(in -> {
      in.pause();
      proxy.sockets.add(in);
      proxy.client.connect(targetPort, "127.0.0.1").onSuccess(out -> {
        proxy.sockets.add(out);
        in.handler(data -> {
          if (!proxy.frozen) {
            out.write(data);
          }
        });
        out.handler(data -> {
          if (!proxy.frozen && !proxy.repliesFrozen) {
            in.write(data);
          }
        });
        // A frozen link stays open both ways: nobody is told.
        in.closeHandler(v -> {
          if (!proxy.frozen) {
            out.close();
          }
        });
        out.closeHandler(v -> {
          if (!proxy.frozen) {
            in.close();
          }
        });
        in.resume();
      }).onFailure(t -> in.close());
    });
    proxy.port = Await.result(proxy.server.listen(0, "127.0.0.1")).actualPort();
    return proxy;
  }

  /** @return the proxy's WebSocket URL of the hub behind it */
  String wsUrl() {
    return "ws://127.0.0.1:" + port + "/ws";
  }

  /** From now on nothing passes in either direction, and no connection is closed. */
  void freeze() {
    frozen = true;
  }

  /** From now on the client's frames still reach the server, but nothing comes back. */
  void freezeReplies() {
    repliesFrozen = true;
  }

  @Override
  public void close() {
    sockets.forEach(NetSocket::close);
    Await.result(server.close());
    Await.result(client.close());
  }
}
