package io.roomcast.gateway.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client written by hand on a TCP socket, for what a client library would refuse or
 * hide: it sends a handshake with exactly the headers asked for, reports the server's answer as
 * it is (status, headers), then only reads the frames the server sends. It never writes a frame,
 * so it never answers a ping or a close: a client too slow to finish a close handshake.
 */
public final class BareClient implements AutoCloseable {

  /** A frame from the server: its opcode (1 text, 2 binary, 8 close, 9 ping) and payload. */
  public record Frame(int opcode, Buffer payload) {

    /** @return the close code of a close frame */
    public int closeCode() {
      return payload.getUnsignedShort(0);
    }

    /** @return the reason of a close frame */
    public String closeReason() {
      return payload.getString(2, payload.length(), "UTF-8");
    }
  }

  private final NetClient client;
  private NetSocket socket;
  private final Promise<Void> answered = Promise.promise();
  private final Buffer received = Buffer.buffer();
  private final List<Frame> frames = new ArrayList<>();
  private int read;
  private int status;
  private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();

  private BareClient(Vertx vertx) {
    this.client = vertx.createNetClient();
  }

  /**
   * Sends a handshake for {@code path} on loopback and waits for the server's answer.
   *
   * @param subprotocols the value of {@code Sec-WebSocket-Protocol}, or {@code null} to send none
   */
  public static BareClient upgrade(Vertx vertx, int port, String path, String subprotocols) {
    BareClient c = new BareClient(vertx);
    try {
      c.handshake(port, path, subprotocols);
    } catch (RuntimeException | AssertionError e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void handshake(int port, String path, String subprotocols) {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    StringBuilder request = new StringBuilder()
      .append("GET ").append(path).append(" HTTP/1.1\r\n")
      .append("Host: 127.0.0.1:").append(port).append("\r\n")
      .append("Upgrade: websocket\r\n")
      .append("Connection: Upgrade\r\n")
      .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n")
      .append("Sec-WebSocket-Version: 13\r\n");
    if (subprotocols != null) {
      request.append("Sec-WebSocket-Protocol: ").append(subprotocols).append("\r\n");
    }
    request.append("\r\n");
    socket = Await.result(client.connect(port, "127.0.0.1"));
    socket.handler(this::onData);
    socket.closeHandler(v -> answered.tryFail("the server closed the socket before answering"));
    socket.write(request.toString());
    Await.result(answered.future());
  }

  private void onData(Buffer chunk) {
    synchronized (frames) {
      received.appendBuffer(chunk);
      if (status == 0) {
        String text = received.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
          return;
        }
        String[] lines = text.substring(0, end).split("\r\n");
        for (int i = 1; i < lines.length; i++) {
          int colon = lines[i].indexOf(':');
          headers.add(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
        }
        status = Integer.parseInt(lines[0].split(" ")[1]);
        read = end + 4;
        answered.tryComplete();
        if (status != 101) {
          return;
        }
      }
      while (parseFrame()) {
        frames.notifyAll();
      }
    }
  }

  /** Parses one whole frame from what was received, if there is one; servers do not mask. */
  private boolean parseFrame() {
    int available = received.length() - read;
    if (available < 2) {
      return false;
    }
    int opcode = received.getByte(read) & 0x0F;
    long length = received.getByte(read + 1) & 0x7F;
    int header = 2;
    if (length == 126) {
      if (available < 4) {
        return false;
      }
      length = received.getUnsignedShort(read + 2);
      header = 4;
    } else if (length == 127) {
      if (available < 10) {
        return false;
      }
      length = received.getLong(read + 2);
      header = 10;
    }
    if (available < header + length) {
      return false;
    }
    frames.add(new Frame(opcode, received.getBuffer(read + header, read + header + (int) length)));
    read += header + (int) length;
    return true;
  }

  /** @return the HTTP status of the answer */
  public int status() {
    return status;
  }

  /** @return the headers of the answer */
  public MultiMap headers() {
    return headers;
  }

  /** @return the selected subprotocol, or {@code null} */
  public String subprotocol() {
    return headers.get("Sec-WebSocket-Protocol");
  }

  /** Waits for the next frame from the server and takes it. */
  public Frame takeFrame() {
    long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
    synchronized (frames) {
      while (frames.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no frame in " + TestClient.TIMEOUT.toMillis() + " ms");
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(frames, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
      return frames.remove(0);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      socket.close();
    }
    client.close();
  }
}
