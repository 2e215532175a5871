package io.roomcast.loadtests.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-written client side of RFC 6455, without sockets. */
class WsClientCodecTest {

  private final List<String> heard = new ArrayList<>();

  private ClientConnection connection() {
    return new ClientConnection(0, URI.create("ws://127.0.0.1:8080/ws?x=1"), new RoomcastDialect(), new ConnectionListener() {
      @Override
      public void onReady(ClientConnection c) {
        heard.add("ready " + c.clientId());
      }

      @Override
      public void onDelivery(ClientConnection c, ByteBuf frame, long receivedNanos) {
        heard.add(frame.toString(StandardCharsets.UTF_8));
      }

      @Override
      public void onFailure(ClientConnection c, String reason) {
        heard.add("failed " + reason);
      }
    });
  }

  private static ByteBuf serverText(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteBuf frame = Unpooled.buffer();
    frame.writeByte(0x81);
    if (bytes.length < 126) {
      frame.writeByte(bytes.length);
    } else {
      frame.writeByte(126).writeShort(bytes.length);
    }
    return frame.writeBytes(bytes);
  }

  @Test
  void acceptKeyIsTheOneOfTheRfc() {
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WsClientCodec.accept("dGhlIHNhbXBsZSBub25jZQ=="));
  }

  @Test
  void upgradesThenReadsFramesSplitAnyhowAndAnswersPings() {
    ClientConnection c = connection();
    EmbeddedChannel ch = new EmbeddedChannel();
    c.connecting(ch);
    ch.pipeline().addLast(new WsClientCodec(c));
    ch.pipeline().fireChannelActive();
    ByteBuf request = ch.readOutbound();
    String upgrade = request.toString(StandardCharsets.US_ASCII);
    request.release();
    assertTrue(upgrade.startsWith("GET /ws?x=1 HTTP/1.1\r\n"), upgrade);
    assertTrue(upgrade.contains("Sec-WebSocket-Protocol: roomcast.v1.json\r\n"), upgrade);
    Matcher key = Pattern.compile("Sec-WebSocket-Key: (\\S+)\r\n").matcher(upgrade);
    assertTrue(key.find());

    // The 101, the welcome and half of a long delivery arrive together; the rest later.
    String delivery = "{\"event\":\"m\",\"room\":\"r\",\"data\":{\"p\":0,\"s\":1,\"t\":2,\"x\":\"" + "x".repeat(200) + "\"}}";
    ByteBuf all = Unpooled.buffer()
      .writeBytes(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + WsClientCodec.accept(key.group(1)) + "\r\n"
        + "Sec-WebSocket-Protocol: roomcast.v1.json\r\n\r\n").getBytes(StandardCharsets.US_ASCII))
      .writeBytes(serverText("{\"event\":\"welcome\",\"data\":{\"id\":\"n.1\"}}"))
      .writeBytes(serverText(delivery))
      .writeBytes(new byte[] {(byte) 0x89, 0});
    int cut = all.readableBytes() - 150;
    ch.writeInbound(all.retainedSlice(0, cut));
    ch.writeInbound(all.retainedSlice(cut, all.readableBytes() - cut));
    all.release();
    assertEquals(List.of("ready n.1", delivery), heard);
    ByteBuf pong = ch.readOutbound();
    assertEquals(0xA, Frames2.opcode(pong));
    pong.release();
  }

  @Test
  void aRefusedUpgradeFails() {
    ClientConnection c = connection();
    EmbeddedChannel ch = new EmbeddedChannel();
    c.connecting(ch);
    ch.pipeline().addLast(new WsClientCodec(c));
    ch.pipeline().fireChannelActive();
    ((ByteBuf) ch.readOutbound()).release();
    ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n", StandardCharsets.US_ASCII));
    assertEquals(List.of("failed upgrade refused: HTTP/1.1 403 Forbidden"), heard);
  }
}
