package io.roomcast.gateway.node;

import io.roomcast.gateway.Encoding;
import io.roomcast.gateway.HubOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The warm-up's fan-out: a few rooms of a dozen members, each with a publisher that keeps a few
 * publishes in flight until it has sent its share. Connect-and-close clients alone leave the
 * delivery path (a publish read and parsed, the room's loop, a frame encoded and flushed per
 * member) to be compiled once the node serves, under its first rooms' load; this runs it a few
 * hundred thousand times, and the publish path tens of thousands, first. Runs on the warm-up's
 * context, which opened every client.
 */
final class WarmupFanout {

  // Many publishes rather than many members: on one core C2 takes the publish path (a read
  // parsed, a bus publish, a shard's consumer) only at tens of thousands of calls while its queue
  // is long, and 6,000 publishes in rooms of 50 left it to compile under the first clients' load.
  private static final int ROOMS = 8;
  static final int MEMBERS = 12;
  private static final int MAX_PUBLISHES_PER_ROOM = 4_000;
  private static final int IN_FLIGHT = 8;

  private final Vertx vertx;
  private final int port;
  private final int publishesPerRoom;
  private final Promise<Long> done = Promise.promise();
  private final List<WebSocket> sockets = new ArrayList<>();
  private final List<Publisher> publishers = new ArrayList<>();
  private WebSocketClient client;
  private int joined;
  private int publishersDone;
  private long deliveries;

  private WarmupFanout(Vertx vertx, int port, int publishesPerRoom) {
    this.vertx = vertx;
    this.port = port;
    this.publishesPerRoom = publishesPerRoom;
  }

  /**
   * @param vertx the warm-up's Vert.x, called on the context that runs the warm-up
   * @param port the warm-up gateway's port
   * @param scale the warm-up's clients: a small warm-up publishes as many per room, at most 4,000
   * @return the fan-out, started
   */
  static WarmupFanout start(Vertx vertx, int port, int scale) {
    WarmupFanout fanout = new WarmupFanout(vertx, port, Math.min(MAX_PUBLISHES_PER_ROOM, Math.max(1, scale)));
    fanout.connectAll();
    return fanout;
  }

  /**
   * @return the deliveries its members received, once every publish is confirmed and delivered
   *     (or {@link #stop()}); failed if a client could not connect or join
   */
  Future<Long> done() {
    return done.future();
  }

  private void connectAll() {
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(ROOMS * MEMBERS));
    for (int room = 0; room < ROOMS; room++) {
      for (int member = 0; member < MEMBERS; member++) {
        connect("warmup-fanout-" + room, member == 0);
      }
    }
  }

  /** Stops early (the warm-up's time limit): closes every socket. */
  void stop() {
    finish();
  }

  private void connect(String room, boolean publisher) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(HubOptions.DEFAULT_PATH)
      .setSubProtocols(List.of(Encoding.JSON.subprotocol()));
    client.connect(options).onComplete(ar -> {
      if (ar.failed()) {
        fail("a fan-out client could not connect: " + ar.cause().getMessage());
        return;
      }
      WebSocket ws = ar.result();
      sockets.add(ws);
      Member m = publisher ? new Publisher(ws, room) : new Member(ws, room);
      if (m instanceof Publisher p) {
        publishers.add(p);
      }
      ws.textMessageHandler(m::onText);
      ws.exceptionHandler(t -> ws.close());
    });
  }

  /** A member: joins its room, then only counts what it is sent, parsing nothing. */
  private class Member {
    final WebSocket ws;
    final String room;
    boolean inRoom;

    Member(WebSocket ws, String room) {
      this.ws = ws;
      this.room = room;
    }

    void onText(String text) {
      if (inRoom) {
        delivered();
        return;
      }
      JsonObject frame = new JsonObject(text);
      if ("welcome".equals(frame.getString("event"))) {
        ws.writeTextMessage(new JsonObject().put("event", "join").put("room", room).put("id", 0).encode());
      } else if ("reply".equals(frame.getString("event"))) {
        if (!"ok".equals(frame.getString("status"))) {
          fail("a fan-out client could not join: " + text);
          return;
        }
        inRoom = true;
        if (++joined == ROOMS * MEMBERS) {
          publishers.forEach(Publisher::publish);
        }
      }
    }
  }

  /** The room's publisher: up to {@link #IN_FLIGHT} publishes unconfirmed, until its share is out. */
  private final class Publisher extends Member {
    int sent;
    int confirmed;

    Publisher(WebSocket ws, String room) {
      super(ws, room);
    }

    @Override
    void onText(String text) {
      if (!inRoom) {
        super.onText(text);
        return;
      }
      JsonObject frame = new JsonObject(text);
      if (!"reply".equals(frame.getString("event"))) {
        delivered();
      } else if (++confirmed == publishesPerRoom) {
        publishersDone++;
        finishIfAllArrived();
      } else {
        publish();
      }
    }

    void publish() {
      while (sent < publishesPerRoom && sent - confirmed < IN_FLIGHT) {
        sent++;
        ws.writeTextMessage(new JsonObject().put("event", "warmup").put("room", room).put("id", sent)
          .put("data", new JsonObject().put("n", sent).put("text", "hello")).encode());
      }
    }
  }

  private void delivered() {
    deliveries++;
    finishIfAllArrived();
  }

  /** Over once every publish is confirmed and every other member of its room has it. */
  private void finishIfAllArrived() {
    if (publishersDone == ROOMS && deliveries >= (long) ROOMS * publishesPerRoom * (MEMBERS - 1)) {
      finish();
    }
  }

  private void fail(String why) {
    if (!done.future().isComplete()) {
      closeAll();
      done.fail(why);
    }
  }

  private void finish() {
    if (!done.future().isComplete()) {
      closeAll();
      done.complete(deliveries);
    }
  }

  private void closeAll() {
    sockets.forEach(WebSocket::close);
    client.close();
  }
}
