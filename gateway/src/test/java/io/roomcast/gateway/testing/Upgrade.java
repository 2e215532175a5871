package io.roomcast.gateway.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket handshake written by hand on a TCP socket, for what a client library would refuse
 * or hide: the exact status and headers of the answer, and the first frame the server sends
 * after a successful upgrade (whatever subprotocol, if any, it selected).
 *
 * @param status the HTTP status of the answer
 * @param headers its headers
 * @param opcode the opcode of the first frame after a 101 (1 text, 2 binary), or -1
 * @param payload the payload of that frame, or {@code null}
 */
public record Upgrade(int status, MultiMap headers, int opcode, Buffer payload) {

  /**
   * Sends a handshake for {@code path} and waits for the answer (and, after a 101, for the first frame).
   *
   * @param subprotocols the value of {@code Sec-WebSocket-Protocol}, or {@code null} to send none
   */
  public static Upgrade request(Vertx vertx, int port, String path, String subprotocols) {
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
    NetClient client = vertx.createNetClient();
    try {
      NetSocket socket = Await.result(client.connect(port, "127.0.0.1"));
      Promise<Upgrade> answer = Promise.promise();
      Buffer received = Buffer.buffer();
      socket.handler(chunk -> {
        received.appendBuffer(chunk);
        Upgrade parsed = parse(received);
        if (parsed != null) {
          answer.tryComplete(parsed);
        }
      });
      socket.closeHandler(v -> answer.tryFail("the server closed the socket; received: " + received));
      socket.write(request.toString());
      Upgrade upgrade = Await.result(answer.future());
      socket.close();
      return upgrade;
    } finally {
      client.close();
    }
  }

  /** @return the answer once enough has been received, else {@code null} */
  private static Upgrade parse(Buffer received) {
    String text = received.toString(StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return null;
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.add(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
    }
    if (status != 101) {
      return new Upgrade(status, headers, -1, null);
    }
    // The first frame: servers do not mask, and a welcome is one unfragmented frame.
    int pos = end + 4;
    if (received.length() < pos + 2) {
      return null;
    }
    int opcode = received.getByte(pos) & 0x0F;
    int length = received.getByte(pos + 1) & 0x7F;
    int header = 2;
    if (length == 126) {
      if (received.length() < pos + 4) {
        return null;
      }
      length = received.getUnsignedShort(pos + 2);
      header = 4;
    } else if (length == 127) {
      throw new AssertionError("unexpectedly large first frame");
    }
    if (received.length() < pos + header + length) {
      return null;
    }
    return new Upgrade(status, headers, opcode, received.getBuffer(pos + header, pos + header + length));
  }

  /** @return the selected subprotocol, or {@code null} */
  public String subprotocol() {
    return headers.get("Sec-WebSocket-Protocol");
  }
}
