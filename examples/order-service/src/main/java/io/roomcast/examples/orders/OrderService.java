package io.roomcast.examples.orders;

import io.roomcast.cluster.ClusterConfigs;
import io.roomcast.gateway.HubServiceClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application service in a process of its own (docs/SERVICES.md): it consumes the address
 * that the gateway's hub forwards {@code order.*} events to, answers {@code order.quote} with an
 * item's price (no side effect) and {@code order.create} with the new order, publishes {@code order.created} to the room the client named (else
 * {@code orders}), and tells the ordering user's every connection {@code order.confirmed}. A
 * request sent again with the same idempotency key is answered as the first was, not ordered twice.
 *
 * <pre>java -jar examples/order-service/target/order-service.jar [--cluster-config loopback|FILE]
 *     [--hub default] [--address app.orders] [--instance NAME] [--event-loops 1]</pre>
 */
public final class OrderService extends VerticleBase {

  /** The address the gateway forwards {@code order.*} events to, by default. */
  public static final String DEFAULT_ADDRESS = "app.orders";
  /** The longest item name an order takes. */
  static final int MAX_ITEM = 100;
  /**
   * Event loops in the service's Vert.x by default. One: the clustered event bus reads what other
   * processes send on an event loop of its own and hands each message to the consumer's; with one
   * loop that is the same thread, which saves a thread wake-up each way (docs/SERVICES.md, "Latency").
   */
  static final int DEFAULT_EVENT_LOOPS = 1;
  /** How many keyed answers are remembered. */
  static final int MAX_REMEMBERED = 10_000;

  private final String address;
  private final String hubName;
  private final String instance;
  private final AtomicLong orders = new AtomicLong();
  /** The answers to the last requests that carried an idempotency key: a request sent again is answered, not ordered twice. */
  private final Map<String, JsonObject> answered = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, JsonObject> eldest) {
      return size() > MAX_REMEMBERED;
    }
  };
  private HubServiceClient hub;

  /**
   * @param address the address to consume
   * @param hubName the hub whose clients it serves
   * @param instance a name for this instance, in every answer, so that several can be told apart
   */
  public OrderService(String address, String hubName, String instance) {
    this.address = address;
    this.hubName = hubName;
    this.instance = instance;
  }

  @Override
  public Future<?> start() {
    hub = new HubServiceClient(vertx, hubName, 5_000);
    return vertx.eventBus().<Object>consumer(address, this::onRequest).completion();
  }

  private void onRequest(Message<Object> msg) {
    if (!(msg.body() instanceof JsonObject request)) {
      msg.fail(400, "not a Roomcast service request");
      return;
    }
    String event = request.getString("event", "");
    if (!"order.create".equals(event) && !"order.quote".equals(event)) {
      msg.fail(404, "the order service has no event \"" + event + "\"; it has order.create and order.quote");
      return;
    }
    Object item = request.getValue("data") instanceof JsonObject data ? data.getValue("item") : null;
    if (!(item instanceof String name) || name.isBlank() || name.length() > MAX_ITEM) {
      msg.fail(400, event + " needs data.item, a name of 1 to " + MAX_ITEM + " characters");
      return;
    }
    if ("order.quote".equals(event)) {
      // A question without side effects: what an item would cost.
      msg.reply(new JsonObject().put("item", name).put("price", 100 + Math.floorMod(name.hashCode(), 900)).put("by", instance));
      return;
    }
    JsonObject client = request.getJsonObject("client", new JsonObject());
    // A resent request comes from the client's next connection (another id): the key, per user, is what matches.
    String key = request.getString("key") == null ? null : client.getString("user", "") + "/" + request.getString("key");
    if (key != null && answered.containsKey(key)) {
      msg.reply(answered.get(key));
      return;
    }
    String order = instance + "-" + orders.incrementAndGet();
    JsonObject answer = new JsonObject().put("order", order).put("item", name).put("by", instance);
    if (key != null) {
      answered.put(key, answer);
    }
    msg.reply(answer);
    String room = request.getString("room", "orders");
    hub.publish(room, "order.created", new JsonObject().put("order", order).put("item", name).put("client", client.getString("id")));
    String user = client.getString("user");
    if (user != null) {
      hub.sendToUser(user, "order.confirmed", new JsonObject().put("order", order).put("item", name));
    }
  }

  /**
   * Joins the gateway nodes' cluster and serves until stopped.
   *
   * @param args {@code --cluster-config NAME|FILE} (default loopback, as the nodes), {@code --hub NAME},
   *     {@code --address ADDRESS}, {@code --instance NAME}, {@code --event-loops N} (1 to 64)
   */
  public static void main(String[] args) {
    String clusterConfig = ClusterConfigs.DEFAULT;
    String hubName = "default";
    String address = DEFAULT_ADDRESS;
    String instance = "orders-" + ProcessHandle.current().pid();
    int eventLoops = DEFAULT_EVENT_LOOPS;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--cluster-config" -> clusterConfig = args[i + 1];
        case "--hub" -> hubName = args[i + 1];
        case "--address" -> address = args[i + 1];
        case "--instance" -> instance = args[i + 1];
        case "--event-loops" -> eventLoops = eventLoops(args[i + 1]);
        default -> {
          System.err.println("order-service: unknown option " + args[i]
            + "; options: --cluster-config NAME|FILE --hub NAME --address ADDRESS --instance NAME --event-loops N");
          System.exit(2);
        }
      }
    }
    if (args.length % 2 != 0) {
      System.err.println("order-service: option " + args[args.length - 1] + " needs a value");
      System.exit(2);
    }
    System.setProperty("hazelcast.logging.type", "slf4j");
    String name = instance;
    String at = address;
    int loops = eventLoops;
    OrderService service = new OrderService(address, hubName, instance);
    Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(eventLoops)).withClusterManager(new HazelcastClusterManager(ClusterConfigs.load(clusterConfig))).buildClustered()
      .compose(vertx -> {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
        return vertx.deployVerticle(service);
      })
      .onSuccess(id -> System.out.println("order-service ready instance=" + name + " address=" + at + " event-loops=" + loops))
      .onFailure(t -> {
        System.err.println("order-service: could not start: " + t.getMessage());
        System.exit(1);
      });
  }

  private static int eventLoops(String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= 64) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    System.err.println("order-service: --event-loops needs a whole number from 1 to 64, not \"" + value + "\"");
    System.exit(2);
    return DEFAULT_EVENT_LOOPS;
  }
}
