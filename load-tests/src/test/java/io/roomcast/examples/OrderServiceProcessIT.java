package io.roomcast.examples;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The order service as docs/SERVICES.md promises it, every part in a process of its own from the
 * built jars: two clustered gateway nodes on their default hub (order.* to app.orders, 3,000 ms,
 * api publish and sendToUser) and order-service processes joined to the same cluster. Clients on
 * both nodes are served by one service process; killed with SIGKILL it leaves them
 * {@code unavailable} within the hub's timeout; two new processes then share the orders with no
 * change to anything else. It lives in load-tests, the module built after both jars, so that it
 * runs beside the other process-level smoke tests.
 */
class OrderServiceProcessIT {

  /** The example service's address and longest item, as examples/order-service defines them (a jar apart: no class shared). */
  private static final String ADDRESS = "app.orders";
  private static final int MAX_ITEM = 100;

  private static final Pattern NODE_READY = Pattern.compile("roomcast ready ws=(\\d+) management=(\\d+) node=(\\S+)");
  private static final Pattern SERVICE_READY = Pattern.compile("order-service ready instance=(\\S+) address=(\\S+) event-loops=(\\d+)");
  /** How long a JVM may take to start and join the cluster on a busy machine of two cores. */
  private static final Duration START = Duration.ofSeconds(90);
  /** The default hub's timeout for app.orders (DefaultHub.ORDER_TIMEOUT_MS, 3,000 ms) plus a margin. */
  private static final long UNAVAILABLE_WITHIN_MS = 6_000;
  private static final String ROOM = "shop";
  private static final int ORDERS = 20;

  private final List<ChildProcess> processes = new ArrayList<>();
  private final List<WsClient> clients = new ArrayList<>();
  private Path gatewayJar;
  private Path serviceJar;
  private Path clusterConfig;
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    gatewayJar = ChildProcess.jar("roomcast.jar");
    serviceJar = ChildProcess.jar("roomcast.example.jar");
    clusterConfig = ClusterConfig.write(gatewayJar);
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    for (WsClient c : clients) {
      try {
        c.close();
      } catch (RuntimeException | AssertionError ignored) {
        // its node is gone
      }
    }
    for (ChildProcess p : processes) {
      try {
        p.close();
      } catch (RuntimeException | AssertionError e) {
        System.err.println("OrderServiceProcessIT: could not stop " + p + ": " + e);
      }
    }
    if (vertx != null) {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (TimeoutException | RuntimeException ignored) {
        // the test JVM ends soon anyway
      }
    }
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void servicesInProcessesOfTheirOwnServeTheClientsOfEveryNode() {
    long begin = System.nanoTime();

    // 1. Two nodes and service a. The first node starts alone: it founds the cluster, and the
    //    others, started together, join it.
    ChildProcess node1 = node("node1");
    int port1 = port(node1);
    ChildProcess node2 = node("node2");
    ChildProcess a = service("a");
    int port2 = port(node2);
    assertEquals("1", awaitService(a, "a").group(3), "service a's event loops, by default");
    System.out.printf("OrderServiceProcessIT: 2 nodes and service a ready in %d ms%n", msSince(begin));

    WsClient onNode1 = client(port1);
    WsClient onNode2 = client(port2);
    List<WsClient> both = List.of(onNode1, onNode2);
    for (WsClient c : both) {
      ok(c.request(new JsonObject().put("event", "join").put("room", ROOM)), "join " + ROOM);
    }

    long sent = System.nanoTime();
    JsonObject tea = ok(onNode1.request(order("tea")), "order.create on node1");
    long firstOrderMs = msSince(sent);
    JsonObject coffee = ok(onNode2.request(order("coffee")), "order.create on node2");
    assertEquals("a", tea.getString("by"), tea.encode());
    assertEquals("tea", tea.getString("item"), tea.encode());
    assertEquals("a", coffee.getString("by"), coffee.encode());
    assertEquals("coffee", coffee.getString("item"), coffee.encode());
    // The service publishes order.created through the hub's api: it reaches the room on both nodes.
    for (WsClient c : both) {
      assertEquals(onNode1.id(), created(c, tea.getString("order")).getString("client"));
      assertEquals(onNode2.id(), created(c, coffee.getString("order")).getString("client"));
    }
    System.out.printf("OrderServiceProcessIT: the first order was answered in %d ms%n", firstOrderMs);

    JsonObject noItem = error(onNode1.request(new JsonObject().put("event", "order.create").put("room", ROOM)
      .put("data", new JsonObject())), "order.create without an item");
    assertEquals("bad_request", noItem.getString("code"), noItem.encode());
    assertEquals("order.create needs data.item, a name of 1 to " + MAX_ITEM + " characters",
      noItem.getString("message"));

    JsonObject cancel = error(onNode2.request(new JsonObject().put("event", "order.cancel").put("room", ROOM)
      .put("data", new JsonObject().put("order", tea.getString("order")))), "order.cancel");
    assertEquals("unknown_event", cancel.getString("code"), cancel.encode());
    assertTrue(cancel.getString("message", "").contains("order.cancel"), cancel.encode());

    // Without an id: a one-way send. The service still takes the order and publishes it; the
    // client gets no reply.
    onNode1.send(order("cake"));
    for (WsClient c : both) {
      JsonObject cake = c.take(f -> "order.created".equals(f.getString("event")) && "cake".equals(data(f).getString("item")),
        WsClient.TIMEOUT);
      assertEquals(onNode1.id(), data(cake).getString("client"), cake.encode());
    }
    ok(onNode1.request(new JsonObject().put("event", "ping")), "ping");
    assertEquals(List.of(), onNode1.inbox().stream()
      .filter(f -> "reply".equals(f.getString("event")) || "error".equals(f.getString("event"))).toList(),
      "a one-way order.create is answered nothing");

    // 2. kill -9 of the only service: the clients are told unavailable within the hub's timeout.
    //    Until Hazelcast declares the process dead, the nodes may still route to its registration
    //    (then: no answer within 3,000 ms); after, no one consumes app.orders. Both are unavailable.
    a.kill();
    long killed = System.nanoTime();
    int r1 = onNode1.sendRequest(order("tea"));
    int r2 = onNode2.sendRequest(order("tea"));
    JsonObject down1 = error(onNode1.reply(r1, Duration.ofSeconds(15)), "order.create on node1 after the kill");
    long down1Ms = msSince(killed);
    JsonObject down2 = error(onNode2.reply(r2, Duration.ofSeconds(15)), "order.create on node2 after the kill");
    long down2Ms = msSince(killed);
    System.out.printf("OrderServiceProcessIT: after kill -9 of service a, node1 answered %s (%s) in %d ms, node2 %s (%s) in %d ms%n",
      down1.getString("code"), down1.getString("message"), down1Ms, down2.getString("code"), down2.getString("message"), down2Ms);
    for (JsonObject down : List.of(down1, down2)) {
      assertEquals("unavailable", down.getString("code"), down.encode());
      assertTrue(down.getString("message", "").contains(ADDRESS), down.encode());
    }
    assertTrue(down1Ms < UNAVAILABLE_WITHIN_MS, "node1 took " + down1Ms + " ms to answer unavailable");
    assertTrue(down2Ms < UNAVAILABLE_WITHIN_MS, "node2 took " + down2Ms + " ms to answer unavailable");

    // 3. Two new service processes, nothing else changed: once they serve, they share the orders
    //    (c on three event loops: the consumer's loop apart from the event bus's).
    long started = System.nanoTime();
    ChildProcess b = service("b");
    ChildProcess c = service("c", "--event-loops", "3");
    awaitService(b, "b");
    assertEquals("3", awaitService(c, "c").group(3), "service c's event loops");
    long readyMs = msSince(started);
    int attempts1 = awaitServed(onNode1, Duration.ofSeconds(30));
    int attempts2 = awaitServed(onNode2, Duration.ofSeconds(30));
    System.out.printf("OrderServiceProcessIT: services b and c ready in %d ms, serving both nodes %d ms after their start"
      + " (%d and %d attempts)%n", readyMs, msSince(started), attempts1, attempts2);

    long ordersStart = System.nanoTime();
    WsClient[] from = new WsClient[ORDERS];
    int[] ids = new int[ORDERS];
    for (int i = 0; i < ORDERS; i++) {
      from[i] = i % 2 == 0 ? onNode1 : onNode2;
      ids[i] = from[i].sendRequest(order("item-" + i));
    }
    Map<String, Integer> byInstance = new TreeMap<>();
    List<String> orders = new ArrayList<>();
    for (int i = 0; i < ORDERS; i++) {
      JsonObject served = ok(from[i].reply(ids[i], WsClient.TIMEOUT), "order " + i);
      assertEquals("item-" + i, served.getString("item"), served.encode());
      byInstance.merge(served.getString("by"), 1, Integer::sum);
      orders.add(served.getString("order"));
    }
    long ordersMs = msSince(ordersStart);
    System.out.printf("OrderServiceProcessIT: %d orders answered in %d ms, served by %s%n", ORDERS, ordersMs, byInstance);
    assertEquals(Set.of("b", "c"), byInstance.keySet(), "the instances that served " + ORDERS + " orders: " + byInstance);
    assertEquals(ORDERS, new HashSet<>(orders).size(), "order names: " + orders);
    for (WsClient client : both) {
      for (String order : orders) {
        created(client, order);
      }
    }
    assertTrue(node1.isAlive() && node2.isAlive() && b.isAlive() && c.isAlive(), "every process but a still runs");
    System.out.printf("OrderServiceProcessIT: the whole scenario took %d ms%n", msSince(begin));
  }

  private ChildProcess node(String name) {
    ChildProcess node = ChildProcess.start(name, gatewayJar, NODE_READY, List.of("--cluster", "--cluster-config", clusterConfig.toString(),
      "--port", "0", "--management-port", "0", "--host", "127.0.0.1"));
    processes.add(node);
    return node;
  }

  private ChildProcess service(String instance, String... more) {
    List<String> args = new ArrayList<>(List.of("--cluster-config", clusterConfig.toString(), "--instance", instance));
    args.addAll(List.of(more));
    ChildProcess service = ChildProcess.start("service-" + instance, serviceJar, SERVICE_READY, args);
    processes.add(service);
    return service;
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void badOptionsStopTheServiceBeforeItJoinsTheCluster() {
    Map<List<String>, String> refusals = Map.of(
      List.of("--event-loops", "0"), "--event-loops needs a whole number from 1 to 64, not \"0\"",
      List.of("--event-loops", "65"), "--event-loops needs a whole number from 1 to 64, not \"65\"",
      List.of("--event-loops", "two"), "--event-loops needs a whole number from 1 to 64, not \"two\"",
      List.of("--colour", "blue"), "unknown option --colour",
      List.of("--instance"), "option --instance needs a value");
    refusals.forEach((args, message) -> {
      ChildProcess service = ChildProcess.start("service-refused", serviceJar, SERVICE_READY, args);
      processes.add(service);
      assertEquals(2, service.awaitExit(START), args + ": the exit code");
      assertTrue(service.logTail().contains("order-service: " + message), args + ": " + service.logTail());
      assertEquals(List.of(), service.stdout(), args + ": it said it was ready");
    });
  }

  /** @return the WebSocket port of a node, once it serves */
  private static int port(ChildProcess node) {
    return Integer.parseInt(node.awaitReady(START).group(1));
  }

  /** @return the service's ready line, once it says it serves */
  private static Matcher awaitService(ChildProcess service, String instance) {
    Matcher ready = service.awaitReady(START);
    assertEquals(instance, ready.group(1), "the instance's ready line");
    assertEquals(ADDRESS, ready.group(2), "the instance's ready line");
    return ready;
  }

  private WsClient client(int port) {
    WsClient c = WsClient.connect(vertx, port, "/ws");
    clients.add(c);
    return c;
  }

  /**
   * Orders until one is served: a new service's registration reaches the nodes a moment after it
   * says it is ready, and a node may try a dead one's until Hazelcast drops it.
   *
   * @return the attempts it took
   */
  private static int awaitServed(WsClient client, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    for (int attempt = 1; ; attempt++) {
      JsonObject reply = client.request(order("warm-up"));
      if ("ok".equals(reply.getString("status"))) {
        return attempt;
      }
      assertEquals("unavailable", reply.getJsonObject("error", new JsonObject()).getString("code"), reply.encode());
      if (System.nanoTime() > deadline) {
        fail("no order served within " + within.toSeconds() + " s on client " + client.id() + "; the last reply: " + reply.encode());
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
  }

  private static JsonObject order(String item) {
    return new JsonObject().put("event", "order.create").put("room", ROOM).put("data", new JsonObject().put("item", item));
  }

  /** Takes the order.created of an order from the client's inbox, waiting for it; @return its data */
  private static JsonObject created(WsClient client, String order) {
    JsonObject frame = client.take(f -> "order.created".equals(f.getString("event")) && ROOM.equals(f.getString("room"))
      && order.equals(data(f).getString("order")), WsClient.TIMEOUT);
    return data(frame);
  }

  private static JsonObject data(JsonObject frame) {
    return frame.getValue("data") instanceof JsonObject data ? data : new JsonObject();
  }

  /** Asserts an ok reply; @return its data */
  private static JsonObject ok(JsonObject reply, String what) {
    assertEquals("ok", reply.getString("status"), what + ": " + reply.encode());
    return data(reply);
  }

  /** Asserts an error reply; @return its error, {"code","message"} */
  private static JsonObject error(JsonObject reply, String what) {
    assertEquals("error", reply.getString("status"), what + ": " + reply.encode());
    return reply.getJsonObject("error", new JsonObject());
  }

  private static long msSince(long nanoTime) {
    return (System.nanoTime() - nanoTime) / 1_000_000;
  }
}
