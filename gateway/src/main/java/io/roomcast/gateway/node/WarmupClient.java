package io.roomcast.gateway.node;

import io.roomcast.gateway.Encoding;
import io.roomcast.gateway.HubOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One warm-up client on a plain TCP socket: the upgrade request a browser sends, the welcome, and
 * the close handshake, with a join and a publish between them if it has a room; frames are read
 * and written by hand. Vert.x's own
 * WebSocket client would do the same at about the server's cost again, on the core the warm-up
 * shares with the server, and have the JIT compile a client the node never runs; this one leaves
 * the warm-up's time and the compiler's to the server's handshake path. Talks to the default
 * hub's path, where the warm-up's gateway serves. Runs on the warm-up's context.
 */
final class WarmupClient {

  private static final int TEXT = 0x1;
  private static final int CLOSE = 0x8;
  private static final byte[] NORMAL_CLOSURE = {0x03, (byte) 0xE8};

  private final NetClient client;
  private final int port;
  private final String room;
  private final int n;
  private final Promise<Boolean> done = Promise.promise();
  private NetSocket socket;
  private Buffer pending = Buffer.buffer();
  private boolean upgraded;
  private boolean succeeded;

  private WarmupClient(NetClient client, int port, String room, int n) {
    this.client = client;
    this.port = port;
    this.room = room;
    this.n = n;
  }

  /**
   * @param room the room to join and publish in; null to close right after the welcome
   * @param n the client's number, in what it publishes
   * @return completed once the socket closed: true if it was welcomed and, with a room, its
   *     publish confirmed; false otherwise (the server refused it, the answer to the upgrade was
   *     not 101, or the connection failed); never failed
   */
  static Future<Boolean> run(NetClient client, int port, String room, int n) {
    WarmupClient c = new WarmupClient(client, port, room, n);
    c.connect();
    return c.done.future();
  }

  private void connect() {
    client.connect(port, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        done.tryComplete(false);
        return;
      }
      socket = ar.result();
      socket.handler(this::received);
      socket.exceptionHandler(t -> socket.close());
      socket.closeHandler(v -> done.tryComplete(succeeded));
      socket.write(upgradeRequest());
    });
  }

  private Buffer upgradeRequest() {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    return Buffer.buffer("GET " + HubOptions.DEFAULT_PATH + " HTTP/1.1\r\n"
      + "Host: 127.0.0.1:" + port + "\r\n"
      + "User-Agent: roomcast-warmup\r\n"
      + "Upgrade: websocket\r\n"
      + "Connection: Upgrade\r\n"
      + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
      + "Sec-WebSocket-Version: 13\r\n"
      + "Sec-WebSocket-Protocol: " + Encoding.JSON.subprotocol() + "\r\n"
      + "\r\n");
  }

  private void received(Buffer data) {
    pending = pending.length() == 0 ? data : pending.appendBuffer(data);
    int at = upgraded ? 0 : afterUpgrade();
    if (at < 0) {
      return;
    }
    at = frames(at);
    pending = at == pending.length() ? Buffer.buffer() : pending.getBuffer(at, pending.length());
  }

  /** @return where the frames start, once the whole 101 answer is in; -1 before that */
  private int afterUpgrade() {
    String head = pending.toString(StandardCharsets.ISO_8859_1);
    int end = head.indexOf("\r\n\r\n");
    if (end < 0) {
      return -1;
    }
    if (!head.startsWith("HTTP/1.1 101")) {
      socket.close();
      return -1;
    }
    upgraded = true;
    return end + 4;
  }

  /** Reads the whole frames from {@code at} on (the server's frames are short and unmasked). */
  private int frames(int at) {
    while (pending.length() - at >= 2) {
      int opcode = pending.getByte(at) & 0x0F;
      int length = pending.getByte(at + 1) & 0x7F;
      int header = 2;
      if (length == 126) {
        if (pending.length() - at < 4) {
          break;
        }
        length = pending.getUnsignedShort(at + 2);
        header = 4;
      } else if (length == 127) {
        socket.close();
        return pending.length();
      }
      if (pending.length() - at < header + length) {
        break;
      }
      Buffer payload = pending.getBuffer(at + header, at + header + length);
      at += header + length;
      if (opcode == TEXT) {
        onText(new JsonObject(payload));
      } else if (opcode == CLOSE) {
        socket.close();
      }
    }
    return at;
  }

  /** Welcome, then join (or close); the join's reply, then publish; the publish's reply, then close. Deliveries pass by. */
  private void onText(JsonObject frame) {
    String event = frame.getString("event");
    if ("welcome".equals(event) && room == null) {
      succeeded = true;
      send(CLOSE, Buffer.buffer(NORMAL_CLOSURE));
    } else if ("welcome".equals(event)) {
      send(TEXT, new JsonObject().put("event", "join").put("room", room).put("id", 1).toBuffer());
    } else if ("reply".equals(event) && Integer.valueOf(1).equals(frame.getValue("id"))) {
      send(TEXT, new JsonObject().put("event", "warmup").put("room", room).put("id", 2)
        .put("data", new JsonObject().put("n", n).put("text", "hello")).toBuffer());
    } else if ("reply".equals(event)) {
      succeeded = "ok".equals(frame.getString("status"));
      send(CLOSE, Buffer.buffer(NORMAL_CLOSURE));
    }
  }

  /** Writes one masked frame, as a client must (RFC 6455, 5.3). */
  private void send(int opcode, Buffer payload) {
    int length = payload.length();
    Buffer frame = Buffer.buffer(length + 8).appendByte((byte) (0x80 | opcode));
    if (length < 126) {
      frame.appendByte((byte) (0x80 | length));
    } else {
      frame.appendByte((byte) (0x80 | 126)).appendUnsignedShort(length);
    }
    int mask = ThreadLocalRandom.current().nextInt();
    frame.appendInt(mask);
    for (int i = 0; i < length; i++) {
      frame.appendByte((byte) (payload.getByte(i) ^ (mask >>> (24 - 8 * (i & 3)))));
    }
    socket.write(frame);
  }
}
