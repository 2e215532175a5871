package io.roomcast.cluster;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Vert.x clustered event bus over two HazelcastClusterManager instances built from {@code loopback}. */
@Timeout(90)
class ClusteredEventBusTest {

  private final ClusteredVertx nodes = new ClusteredVertx();

  @AfterEach
  void closeNodes() {
    nodes.close();
  }

  @Test
  void aMessageSentOnOneNodeIsDeliveredOnTheOtherAndAnswered() throws Exception {
    String cluster = Members.randomClusterName();
    ClusteredVertx.Node a = nodes.start(cluster);
    ClusteredVertx.Node b = nodes.start(cluster);
    assertEquals(2, b.clusterManager().getNodes().size());

    MessageConsumer<JsonObject> consumer = b.vertx().eventBus().<JsonObject>consumer("roomcast.default.room.lobby",
        msg -> msg.reply(new JsonObject().put("seenBy", b.clusterManager().getNodeId()).put("echo", msg.body())));
    ClusteredVertx.await(consumer.completion());

    JsonObject sent = new JsonObject().put("event", "chat").put("data", "hello");
    Message<JsonObject> reply = requestUntilRegistered(a, "roomcast.default.room.lobby", sent);
    assertEquals(b.clusterManager().getNodeId(), reply.body().getString("seenBy"));
    assertEquals(sent, reply.body().getJsonObject("echo"));

    // publish reaches the remote subscriber too, the path a room broadcast takes.
    CompletableFuture<String> published = new CompletableFuture<>();
    MessageConsumer<String> subscriber = b.vertx().eventBus().consumer("roomcast.default.room.news",
        msg -> published.complete(msg.body()));
    ClusteredVertx.await(subscriber.completion());
    Deadline.await(Duration.ofSeconds(10), () -> {
      a.vertx().eventBus().publish("roomcast.default.room.news", "extra");
      return published.isDone();
    }, () -> "publish from the other node never arrived");
    assertEquals("extra", published.get());
  }

  @Test
  void theEventBusListensOnLoopbackOnly() throws IOException {
    ClusteredVertx.Node a = nodes.start(Members.randomClusterName());
    // The cluster manager hands the member's address to the event bus, which binds it when the node sets no host.
    assertEquals("127.0.0.1", a.clusterManager().getNodeInfo().host());
    int port = a.clusterManager().getNodeInfo().port();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
    }
    List<java.net.InetAddress> others = NetworkInterface.networkInterfaces()
        .flatMap(NetworkInterface::inetAddresses)
        .filter(addr -> addr instanceof java.net.Inet4Address && !addr.isLoopbackAddress())
        .collect(Collectors.toList());
    for (java.net.InetAddress other : others) {
      assertThrows(IOException.class, () -> {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(other, port), 2_000);
        }
      }, "event bus port " + port + " answers on " + other.getHostAddress());
    }
  }

  /**
   * Sends a request, again while the remote registration has not reached this node: a consumer's completion
   * means its row is written, not that every node has seen it.
   */
  private static Message<JsonObject> requestUntilRegistered(ClusteredVertx.Node from, String address, JsonObject body) {
    AtomicReference<Message<JsonObject>> reply = new AtomicReference<>();
    AtomicReference<Throwable> last = new AtomicReference<>();
    Deadline.await(Duration.ofSeconds(10), () -> {
      Future<Message<JsonObject>> answer = from.vertx().eventBus().request(address, body);
      try {
        reply.set(ClusteredVertx.await(answer));
        return true;
      } catch (ReplyException e) {
        if (e.failureType() != ReplyFailure.NO_HANDLERS) {
          throw e;
        }
        last.set(e);
        return false;
      }
    }, () -> "no handler seen for " + address + ": " + last.get());
    return reply.get();
  }
}
