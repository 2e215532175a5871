package io.roomcast.gateway.impl;

import io.roomcast.gateway.Encoding;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.RawEndpoint;
import io.roomcast.gateway.impl.bus.BusCodec;
import io.roomcast.gateway.internal.GatewayInternal;
import io.roomcast.gateway.internal.GatewayServer;
import io.roomcast.gateway.internal.HubInternal;
import io.roomcast.gateway.impl.history.HazelcastHistoryStore;
import io.roomcast.gateway.impl.history.HistoryStore;
import io.roomcast.gateway.impl.history.LocalHistoryStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The gateway of one node: its id, hubs, echo endpoint and node directory. */
public final class GatewayImpl implements GatewayInternal {

  private static final Logger log = LoggerFactory.getLogger(GatewayImpl.class);

  private final Vertx vertx;
  private final GatewayOptions options;
  private final String nodeId;
  private final NodeDirectory directory;
  private final Map<String, HubImpl> hubs = new LinkedHashMap<>();
  private final RawEndpoint echo;
  private final Future<Void> started;
  private volatile boolean draining;
  private volatile JsonObject nodeInfo = new JsonObject();

  /**
   * @param vertx the Vert.x instance
   * @param options the options
   */
  public GatewayImpl(Vertx vertx, GatewayOptions options) {
    this.vertx = vertx;
    this.options = new GatewayOptions(options);
    this.nodeId = NodeIds.random();
    BusCodec.register(vertx.eventBus());
    this.directory = new NodeDirectory(vertx, nodeId);
    for (HubOptions hub : this.options.getHubs()) {
      hubs.put(hub.getName(), new HubImpl(this, hub));
    }
    this.echo = options.getEchoPath() == null ? null : RawEndpointImpl.echo(nodeId)
      .maxMessageSize(options.getEchoMaxMessageSize())
      .maxFragments(options.getEchoMaxFragments());
    List<Future<Void>> starting = new ArrayList<>();
    starting.add(directory.start());
    hubs.values().forEach(h -> starting.add(h.start()));
    this.started = Future.all(starting).mapEmpty();
    started.onFailure(t -> log.error("gateway {} failed to start", nodeId, t));
  }

  @Override
  public Future<Void> started() {
    return started;
  }

  Vertx vertx() {
    return vertx;
  }

  /**
   * @return where a hub's room histories live: the cluster's own Hazelcast (one backup), or this
   *     process's memory for a node alone
   * @throws IllegalStateException when clustered by another cluster manager than Hazelcast's
   */
  HistoryStore historyStore(String hub) {
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    if (manager instanceof HazelcastClusterManager hazelcast) {
      return new HazelcastHistoryStore(hazelcast.getHazelcastInstance(), hub);
    }
    if (manager != null) {
      throw new IllegalStateException("room history needs the Hazelcast cluster manager, this Vert.x is clustered by "
        + manager.getClass().getName());
    }
    return new LocalHistoryStore(vertx);
  }

  /** @return this node and every gateway node heard from lately, sorted */
  Set<String> liveNodes() {
    return directory.liveNodes();
  }

  /** @param listener told the id of each gateway node that appears: a newcomer, or one heard again after it was gone */
  void onNodeAppeared(java.util.function.Consumer<String> listener) {
    directory.onAppeared(listener);
  }

  /** @param listener told the id of each gateway node that is gone: silent past the expiry, or said goodbye */
  void onNodeGone(java.util.function.Consumer<String> listener) {
    directory.onGone(listener);
  }

  /** @return completed once this node has had time to hear every other live node */
  Future<Void> settled() {
    return directory.settled();
  }

  @Override
  public int liveNodeCount() {
    return directory.liveNodes().size();
  }

  /** @return when this node started, wall-clock ms */
  long startedAt() {
    return directory.startedAt();
  }

  @Override
  public void drain() {
    draining = true;
  }

  @Override
  public boolean isDraining() {
    return draining;
  }

  @Override
  public void describeNode(JsonObject info) {
    this.nodeInfo = info.copy();
  }

  JsonObject nodeInfo() {
    return nodeInfo;
  }

  @Override
  public GatewayServer server(HttpServerOptions base) {
    return new GatewayServerImpl(vertx, this, base);
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public GatewayOptions options() {
    return new GatewayOptions(options);
  }

  @Override
  public HubInternal hub(String name) {
    HubImpl hub = hubs.get(name);
    if (hub == null) {
      throw new IllegalArgumentException("no hub named \"" + name + "\"; hubs: " + hubs.keySet());
    }
    return hub;
  }

  @Override
  public List<Hub> hubs() {
    return new ArrayList<>(hubs.values());
  }

  @Override
  public Router mount(Router router) {
    for (HubImpl hub : hubs.values()) {
      router.route(hub.options().getPath()).handler(hub.handler());
    }
    if (echo != null) {
      router.route(options.getEchoPath()).handler(echo.handler());
    }
    return router;
  }

  @Override
  public HttpServerOptions httpServerOptions(HttpServerOptions base) {
    // Raw endpoints mounted by the application get the default limit; the echo endpoint its own.
    int largest = Math.max(RawEndpoint.DEFAULT_MAX_MESSAGE_SIZE, echo == null ? 0 : options.getEchoMaxMessageSize());
    for (HubImpl hub : hubs.values()) {
      largest = Math.max(largest, hub.options().getMaxMessageSize());
    }
    return new HttpServerOptions(base)
      .setWebSocketSubProtocols(List.of(Encoding.JSON.subprotocol(), Encoding.BINARY.subprotocol()))
      .setMaxWebSocketFrameSize(largest)
      .setMaxWebSocketMessageSize(largest)
      .setPerMessageWebSocketCompressionSupported(false)
      .setPerFrameWebSocketCompressionSupported(false)
      // No HTTP/2 in clear text: its detection delays a connection's setup until a whole first
      // request has arrived, which hides half-sent requests from the handshake timeout.
      .setHttp2ClearTextEnabled(false)
      // HTTP is answered on each connection's own event loop anyway; in strict mode Vert.x gives
      // the connection no write queue of its own (4 KiB that an idle WebSocket kept for life).
      .setStrictThreadMode(true);
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    hubs.values().forEach(h -> closing.add(h.close(1001, "going away")));
    closing.add(directory.stop());
    return Future.join(closing).mapEmpty();
  }
}
