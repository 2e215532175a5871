package io.roomcast.loadtests.bench.client;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Socket.IO (protocol 5) over Engine.IO v4 on the WebSocket transport, written by hand: each
 * WebSocket text frame is one Engine.IO packet, whose first character is its type.
 *
 * <pre>
 * Engine.IO:  0{"sid":..,"pingInterval":..}  open (server, first)     2  ping (server)   3  pong (client)
 *             4&lt;socket.io packet&gt;             message                  1  close
 * Socket.IO:  0 CONNECT    client "40", server "40{"sid":"ID"}"   (namespace "/", so no "/nsp,")
 *             2 EVENT      "42" [ack id] ["event", arg...]
 *             3 ACK        "43" ack id [arg...]
 *             4 CONNECT_ERROR
 * </pre>
 *
 * The session is ready at the CONNECT reply, whose {@code sid} is the socket id that other
 * clients address. Binary packets (5, 6) are never used here.
 */
public final class SocketIoDialect implements Dialect {

  private static final byte[] SID = Frames.ascii("\"sid\":\"");
  private static final byte[] OK = Frames.ascii("\"status\":\"ok\"");

  @Override
  public String subprotocol() {
    return null;
  }

  @Override
  public void onOpen(ClientConnection c) {
    // The server speaks first: its Engine.IO open packet.
  }

  @Override
  public void onText(ClientConnection c, ByteBuf text) {
    long now = HarnessClock.nanos();
    int start = text.readerIndex();
    if (text.readableBytes() == 0) {
      return;
    }
    byte engineType = text.getByte(start);
    switch (engineType) {
      case '0':
        c.send("40");
        return;
      case '2':
        c.send("3");
        return;
      case '4':
        break;
      default:
        return;
    }
    if (text.readableBytes() < 2) {
      return;
    }
    byte socketType = text.getByte(start + 1);
    switch (socketType) {
      case '2':
        c.delivered(text, now);
        break;
      case '3': {
        long id = Frames.number(text, start + 2);
        boolean ok = Frames.indexOf(text, OK, start) >= 0;
        if (!ok) {
          c.serverError(text.toString(StandardCharsets.UTF_8));
        }
        c.acked((int) id, ok);
        break;
      }
      case '0': {
        String sid = Frames.stringAfter(text, SID);
        if (sid == null) {
          c.failed("CONNECT reply without a sid");
        } else {
          c.ready(sid, now);
        }
        break;
      }
      case '4':
        c.failed("CONNECT_ERROR " + text.toString(StandardCharsets.UTF_8));
        break;
      default:
    }
  }

  @Override
  public String join(String room, int requestId) {
    return "42" + requestId + "[\"join\",\"" + room + "\"]";
  }

  @Override
  public String publish(String event, String room, String dataJson) {
    return "42[\"" + event + "\",{\"room\":\"" + room + "\",\"data\":" + dataJson + "}]";
  }

  @Override
  public String direct(String event, String to, String dataJson, int requestId) {
    return "42" + requestId + "[\"" + event + "\",{\"to\":\"" + to + "\",\"data\":" + dataJson + "}]";
  }
}
