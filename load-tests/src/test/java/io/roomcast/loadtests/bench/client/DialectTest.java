package io.roomcast.loadtests.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two dialects read what their servers send, without sockets: frames in, callbacks and replies out. */
class DialectTest {

  private final List<String> heard = new ArrayList<>();
  private final EmbeddedChannel channel = new EmbeddedChannel();

  private ClientConnection open(Dialect dialect) {
    ClientConnection c = new ClientConnection(0, URI.create("ws://127.0.0.1:1/ws"), dialect, new ConnectionListener() {
      @Override
      public void onReady(ClientConnection c) {
        heard.add("ready " + c.clientId());
      }

      @Override
      public void onAck(ClientConnection c, int requestId, boolean ok) {
        heard.add("ack " + requestId + " " + ok);
      }

      @Override
      public void onDelivery(ClientConnection c, ByteBuf frame, long receivedNanos) {
        heard.add("delivery " + frame.toString(StandardCharsets.UTF_8));
      }

      @Override
      public void onServerError(ClientConnection c, String frame) {
        heard.add("error");
      }
    });
    c.connecting(channel);
    c.opened();
    return c;
  }

  private static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  private String sent() {
    ByteBuf frame = channel.readOutbound();
    try {
      return frame == null ? null : Frames2.unmask(frame);
    } finally {
      if (frame != null) {
        frame.release();
      }
    }
  }

  @Test
  void roomcastWelcomeRepliesAndDeliveries() {
    ClientConnection c = open(new RoomcastDialect());
    c.text(text("{\"event\":\"welcome\",\"data\":{\"id\":\"n1.0.1\",\"node\":\"n1\",\"rooms\":[\"root\"]}}"));
    c.text(text("{\"event\":\"reply\",\"id\":1,\"status\":\"ok\",\"data\":{\"room\":\"bench-0\"}}"));
    c.text(text("{\"event\":\"reply\",\"id\":2,\"status\":\"error\",\"error\":{\"code\":\"forbidden\"}}"));
    c.text(text("{\"event\":\"m\",\"room\":\"bench-0\",\"from\":\"n1.0.2\",\"data\":{\"p\":0,\"s\":1,\"t\":2}}"));
    c.text(text("{\"event\":\"pong\"}"));
    assertEquals(List.of("ready n1.0.1", "ack 1 true", "error", "ack 2 false",
      "delivery {\"event\":\"m\",\"room\":\"bench-0\",\"from\":\"n1.0.2\",\"data\":{\"p\":0,\"s\":1,\"t\":2}}"), heard);
    assertEquals("{\"event\":\"join\",\"room\":\"bench-0\",\"id\":1}", new RoomcastDialect().join("bench-0", 1));
    assertEquals("{\"event\":\"join\",\"room\":\"presence:big\",\"id\":3,\"data\":{\"info\":{\"name\":\"m0\"}}}",
      new RoomcastDialect().join("presence:big", 3, "{\"info\":{\"name\":\"m0\"}}"));
  }

  @Test
  void roomcastRepliesReachTheListenerWithTheirFrame() {
    List<String> replies = new ArrayList<>();
    ClientConnection c = new ClientConnection(0, URI.create("ws://127.0.0.1:1/ws"), new RoomcastDialect(), new ConnectionListener() {
      @Override
      public void onReply(ClientConnection c, int requestId, boolean ok, ByteBuf frame) {
        replies.add(requestId + " " + ok + " count " + Frames.numberAfter(frame, Frames.ascii("\"count\":"))
          + " listed " + Frames.count(frame, Frames.ascii("\"client\":")));
      }
    });
    c.connecting(channel);
    c.opened();
    c.text(text("{\"event\":\"welcome\",\"data\":{\"id\":\"n1.0.1\"}}"));
    c.text(text("{\"event\":\"reply\",\"id\":7,\"status\":\"ok\",\"data\":{\"room\":\"presence:big\",\"count\":2,\"users\":0,"
      + "\"members\":[{\"client\":\"a\",\"info\":{\"name\":\"m0\"}},{\"client\":\"b\",\"info\":{\"name\":\"m1\"}}]}}"));
    c.text(text("{\"event\":\"reply\",\"id\":8,\"status\":\"error\",\"error\":{\"code\":\"bad_request\"}}"));
    assertEquals(List.of("7 true count 2 listed 2", "8 false count -1 listed 0"), replies);
  }

  @Test
  void socketIoHandshakePingsAcksAndEvents() {
    ClientConnection c = open(new SocketIoDialect());
    c.text(text("0{\"sid\":\"eio\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":65536}"));
    assertEquals("40", sent());
    c.text(text("40{\"sid\":\"Gln3L_PHYElEdEoa\"}"));
    c.text(text("2"));
    assertEquals("3", sent());
    c.text(text("431[{\"status\":\"ok\",\"room\":\"bench-0\"}]"));
    c.text(text("4312[{\"status\":\"error\",\"error\":{\"code\":\"not_member\"}}]"));
    c.text(text("42[\"m\",{\"room\":\"bench-0\",\"from\":\"x\",\"data\":{\"p\":0,\"s\":1,\"t\":2}}]"));
    assertEquals("ready Gln3L_PHYElEdEoa", heard.get(0));
    assertEquals("ack 1 true", heard.get(1));
    assertEquals(List.of("error", "ack 12 false"), heard.subList(2, 4));
    assertTrue(heard.get(4).startsWith("delivery 42[\"m\""));
    assertEquals("421[\"join\",\"bench-0\"]", new SocketIoDialect().join("bench-0", 1));
    assertEquals("42[\"m\",{\"room\":\"r\",\"data\":{}}]", new SocketIoDialect().publish("m", "r", "{}"));
  }
}
