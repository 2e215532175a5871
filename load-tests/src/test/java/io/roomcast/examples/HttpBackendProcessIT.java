package io.roomcast.examples;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The example backend in another language (examples/http-backend: Node.js, no packages, written
 * from the docs alone) serving a node started from the jar with the example's own configuration:
 * orders answered over HTTP with their error codes and announced to their room through the
 * management API with a publish-only key, joins and publishes in vip rooms decided by it, and
 * every lifecycle event of a client received by it through the signed webhook, each id once and
 * in order. Only the ports differ from the example's.
 */
class HttpBackendProcessIT {

  private static final Pattern NODE_READY = Pattern.compile("roomcast ready ws=(\\d+) management=(\\d+) node=(\\S+)");
  private static final Pattern BACKEND_READY = Pattern.compile("http-backend ready port=(\\d+)");
  private static final Duration START = Duration.ofSeconds(90);
  private static final String EXAMPLE_PORT = "127.0.0.1:8000";

  private final List<ChildProcess> processes = new ArrayList<>();
  private final List<WsClient> clients = new ArrayList<>();
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws TimeoutException {
    for (WsClient c : clients) {
      try {
        c.close();
      } catch (RuntimeException | AssertionError ignored) {
        // closed by the test
      }
    }
    processes.forEach(ChildProcess::close);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aBackendInNodeJsServesTheClientsDecidesTheVipRoomsAndReceivesTheSignedWebhooks() throws IOException {
    Path example = Path.of(System.getProperty("roomcast.http.backend", "../examples/http-backend"));
    int managementPort = freePort();
    ChildProcess backend = start(ChildProcess.start("http-backend", List.of("node", example.resolve("backend.mjs").toString(),
      "--port", "0", "--management", "http://127.0.0.1:" + managementPort), BACKEND_READY));
    int backendPort = Integer.parseInt(backend.awaitReady(START).group(1));

    String conf = Files.readString(example.resolve("roomcast.json"));
    assertTrue(conf.contains(EXAMPLE_PORT), "the example's configuration names the backend at " + EXAMPLE_PORT);
    Path nodeConf = Files.createTempFile(ChildProcess.LOGS, "http-backend-node-", ".json");
    Files.writeString(nodeConf, conf.replace(EXAMPLE_PORT, "127.0.0.1:" + backendPort));
    ChildProcess node = start(ChildProcess.start("http-backend-node", ChildProcess.jar("roomcast.jar"), NODE_READY,
      List.of("--conf", nodeConf.toString(), "--port", "0", "--management-port", String.valueOf(managementPort), "--host", "127.0.0.1")));
    int port = Integer.parseInt(node.awaitReady(START).group(1));

    WsClient ann = WsClient.connect(vertx, port, "/ws");
    clients.add(ann);
    WsClient bob = WsClient.connect(vertx, port, "/ws");
    clients.add(bob);

    // Orders: the backend's answers are the replies, announced to the room; its statuses are error codes.
    ok(bob.request(new JsonObject().put("event", "join").put("room", "shop")), "join shop");
    JsonObject tea = ok(ann.request(order(new JsonObject().put("item", "tea"))), "order.create");
    assertEquals("tea", tea.getString("item"), tea.encode());
    assertEquals(ann.id(), tea.getString("client"), "the backend read the client from the body");
    assertTrue(tea.getString("order").startsWith("o-"), tea.encode());
    JsonObject created = bob.take(f -> "order.created".equals(f.getString("event")), WsClient.TIMEOUT);
    assertEquals("shop", created.getString("room"), created.encode());
    assertEquals(tea, created.getJsonObject("data"), "published by the backend with its publish-only key");
    JsonObject noItem = error(ann.request(order(new JsonObject())), "order.create without an item");
    assertEquals("bad_request", noItem.getString("code"), noItem.encode());
    assertEquals("order.create needs data.item, a name of 1 to 100 characters", noItem.getString("message"));
    JsonObject cancel = error(ann.request(new JsonObject().put("event", "order.cancel").put("room", "shop")), "order.cancel");
    assertEquals("unknown_event", cancel.getString("code"), cancel.encode());
    assertEquals("no such order event: order.cancel", cancel.getString("message"));

    // The vip rooms: the backend decides joins and publishes.
    ok(ann.request(new JsonObject().put("event", "join").put("room", "vip-lounge")), "join vip-lounge");
    ok(bob.request(new JsonObject().put("event", "join").put("room", "vip-lounge")), "join vip-lounge");
    JsonObject closed = error(ann.request(new JsonObject().put("event", "join").put("room", "vip-closed")), "join vip-closed");
    assertEquals("forbidden", closed.getString("code"), closed.encode());
    ok(ann.request(new JsonObject().put("event", "chat").put("room", "vip-lounge").put("data", "hi")), "chat in vip-lounge");
    JsonObject chat = bob.take(f -> "chat".equals(f.getString("event")), WsClient.TIMEOUT);
    assertEquals("hi", chat.getString("data"), chat.encode());
    JsonObject shout = error(ann.request(new JsonObject().put("event", "shout").put("room", "vip-lounge").put("data", "HI")),
      "shout in vip-lounge");
    assertEquals("forbidden", shout.getString("code"), shout.encode());

    // Webhooks: ann's whole life, signed, each id once, in the order it happened.
    String annId = ann.id();
    ann.close();
    JsonObject received = awaitEvents(backendPort, annId, "disconnect");
    assertEquals(0, received.getInteger("badSignatures"), "every batch carried the HMAC of its body");
    List<String> lifeOfAnn = received.getJsonArray("events").stream().map(JsonObject.class::cast)
      .filter(e -> annId.equals(e.getJsonObject("client", new JsonObject()).getString("id")))
      .map(e -> e.getString("type") + (e.containsKey("room") ? " " + e.getString("room") : "")).toList();
    assertEquals(List.of("connect", "join vip-lounge", "leave vip-lounge", "disconnect"), lifeOfAnn, received.encode());
    assertTrue(node.isAlive() && backend.isAlive(), "both processes still run");
  }

  /**
   * @return a port free now below the ephemeral ports, so that no outgoing connection takes it
   *     before the node binds it
   */
  private static int freePort() {
    for (int tries = 0; tries < 100; tries++) {
      int port = 10_000 + ThreadLocalRandom.current().nextInt(10_000);
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        return port;
      } catch (IOException taken) {
        // the next one
      }
    }
    throw new AssertionError("no free port in 10000-19999");
  }

  private ChildProcess start(ChildProcess process) {
    processes.add(process);
    return process;
  }

  /** Polls the backend's GET /events until the client's event of that type is there; @return the answer */
  private static JsonObject awaitEvents(int backendPort, String client, String type) {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      JsonObject answer;
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backendPort + "/events")).build(),
          HttpResponse.BodyHandlers.ofString());
        answer = new JsonObject(r.body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      JsonArray events = answer.getJsonArray("events");
      boolean there = events.stream().map(JsonObject.class::cast).anyMatch(e -> type.equals(e.getString("type"))
        && client.equals(e.getJsonObject("client", new JsonObject()).getString("id")));
      if (there) {
        return answer;
      }
      if (System.nanoTime() > deadline) {
        fail("no " + type + " of " + client + " at the backend within 15 s: " + answer.encode());
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
  }

  private static JsonObject order(JsonObject data) {
    return new JsonObject().put("event", "order.create").put("room", "shop").put("data", data);
  }

  private static JsonObject ok(JsonObject reply, String what) {
    assertEquals("ok", reply.getString("status"), what + ": " + reply.encode());
    return reply.getValue("data") instanceof JsonObject data ? data : new JsonObject();
  }

  private static JsonObject error(JsonObject reply, String what) {
    assertEquals("error", reply.getString("status"), what + ": " + reply.encode());
    return reply.getJsonObject("error", new JsonObject());
  }
}
