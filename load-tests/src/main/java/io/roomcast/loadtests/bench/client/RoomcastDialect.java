package io.roomcast.loadtests.bench.client;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Roomcast's JSON protocol (docs/PROTOCOL.md), which the {@code ws} peer speaks too: the
 * welcome frame carries the client id, requests with an {@code id} are answered by a
 * {@code reply}, and any other event is a delivery.
 */
public final class RoomcastDialect implements Dialect {

  private static final byte[] WELCOME = Frames.ascii("{\"event\":\"welcome\"");
  private static final byte[] REPLY = Frames.ascii("{\"event\":\"reply\"");
  private static final byte[] ERROR = Frames.ascii("{\"event\":\"error\"");
  private static final byte[] PONG = Frames.ascii("{\"event\":\"pong\"");
  private static final byte[] ID_STRING = Frames.ascii("\"id\":\"");
  private static final byte[] ID_NUMBER = Frames.ascii("\"id\":");
  private static final byte[] OK = Frames.ascii("\"status\":\"ok\"");

  @Override
  public String subprotocol() {
    return "roomcast.v1.json";
  }

  @Override
  public void onOpen(ClientConnection c) {
    // The server speaks first: its welcome makes the session ready.
  }

  @Override
  public void onText(ClientConnection c, ByteBuf text) {
    long now = HarnessClock.nanos();
    if (Frames.startsWith(text, WELCOME)) {
      String id = Frames.stringAfter(text, ID_STRING);
      if (id == null) {
        c.failed("welcome without an id");
      } else {
        c.ready(id, now);
      }
    } else if (Frames.startsWith(text, REPLY)) {
      long id = Frames.numberAfter(text, ID_NUMBER);
      boolean ok = Frames.indexOf(text, OK, text.readerIndex()) >= 0;
      if (!ok) {
        c.serverError(text.toString(StandardCharsets.UTF_8));
      }
      c.replied((int) id, ok, text);
    } else if (Frames.startsWith(text, ERROR)) {
      c.serverError(text.toString(StandardCharsets.UTF_8));
    } else if (!Frames.startsWith(text, PONG)) {
      c.delivered(text, now);
    }
  }

  @Override
  public String join(String room, int requestId) {
    return "{\"event\":\"join\",\"room\":\"" + room + "\",\"id\":" + requestId + "}";
  }

  @Override
  public String join(String room, int requestId, String dataJson) {
    return "{\"event\":\"join\",\"room\":\"" + room + "\",\"id\":" + requestId + ",\"data\":" + dataJson + "}";
  }

  @Override
  public String leave(String room, int requestId) {
    return "{\"event\":\"leave\",\"room\":\"" + room + "\",\"id\":" + requestId + "}";
  }

  @Override
  public String publish(String event, String room, String dataJson) {
    return "{\"event\":\"" + event + "\",\"room\":\"" + room + "\",\"data\":" + dataJson + "}";
  }

  @Override
  public String direct(String event, String to, String dataJson, int requestId) {
    return "{\"event\":\"" + event + "\",\"to\":\"" + to + "\",\"data\":" + dataJson + ",\"id\":" + requestId + "}";
  }
}
