package io.roomcast.gateway.rooms;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.History;
import io.roomcast.gateway.HistoryOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.Position;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * History and recovery on one node (PROTOCOL.md, section 6): positions on deliveries and replies,
 * recovery with {@code since}, the {@code history} request, idempotent publishes, the binary meta
 * field, a new epoch after {@code ttl}, and the Java API.
 */
class HistoryTest extends GatewayTestBase {

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(new HubOptions()
      .setHistory(List.of(new HistoryOptions("chat.*").setSize(5), new HistoryOptions("brief.*").setTtl(1000)))
      .setPermissions(new JsonArray().add(new JsonObject().put("room", "chat.secret*").put("join", false))
        .add(new JsonObject().put("room", "*").put("join", true).put("publish", true)))));
  }

  private static Msg joinReply(TestClient c, String room, Position since) {
    Msg reply = Wire.JSON.request(c, Envelope.of("join").withRoom(room).withSince(since));
    assertEquals("ok", reply.status(), reply.toString());
    return reply;
  }

  private static Position positionOf(Msg reply) {
    return new Position(reply.dataObject().getLong("offset"), reply.dataObject().getString("epoch"));
  }

  private static Position publish(TestClient c, String room, Object data) {
    Msg reply = Wire.JSON.request(c, Envelope.of("msg").withRoom(room).withData(data));
    assertEquals("ok", reply.status(), reply.toString());
    return positionOf(reply);
  }

  @Test
  void deliveriesCarryConsecutiveOffsetsAndTheJoinReplyTheRoomsPosition() {
    TestClient publisher = connect();
    TestClient member = connect();
    Msg first = joinReply(publisher, "chat.a", null);
    assertEquals(0, first.dataObject().getLong("offset"));
    String epoch = first.dataObject().getString("epoch");
    assertNotNull(epoch);
    assertFalse(first.dataObject().containsKey("recovered"), "recovered without since");
    joinReply(member, "chat.a", null);
    for (int i = 1; i <= 3; i++) {
      assertEquals(new Position(i, epoch), publish(publisher, "chat.a", i));
    }
    for (int i = 1; i <= 3; i++) {
      Msg m = member.takeEvent("msg");
      assertEquals(new JsonObject().put("event", "msg").put("room", "chat.a").put("from", publisher.id()).put("data", i)
        .put("offset", i).put("epoch", epoch), new JsonObject(m.raw()));
    }
    TestClient late = connect();
    assertEquals(3, joinReply(late, "chat.a", null).dataObject().getLong("offset"));
    assertTrue(late.sync().isEmpty(), "a join without since replays nothing");
  }

  @Test
  void roomsWithoutHistoryAreUnchanged() {
    TestClient a = connect();
    TestClient b = connect();
    assertEquals(new JsonObject().put("room", "plain"), Wire.JSON.request(a, Envelope.of("join").withRoom("plain")).dataObject());
    Wire.JSON.join(b, "plain");
    Msg reply = Wire.JSON.request(a, Envelope.of("msg").withRoom("plain").withData(1));
    assertEquals(new JsonObject(), reply.dataObject());
    assertNull(b.takeEvent("msg").position());
  }

  @Test
  void aMemberThatComesBackWithSinceGetsWhatItMissedThenTheReplyThenLiveMessages() {
    TestClient publisher = connect();
    TestClient member = connect();
    joinReply(publisher, "chat.b", null);
    joinReply(member, "chat.b", null);
    publish(publisher, "chat.b", "one");
    Msg seen = member.takeEvent("msg");
    Position last = new Position(seen.offset(), seen.position().getString("epoch"));
    member.close();
    publish(publisher, "chat.b", "two");
    publish(publisher, "chat.b", "three");
    TestClient back = connect();
    String id = TestClient.newRequestId();
    back.sendJson(Envelope.of("join").withRoom("chat.b").withSince(last).withId(id));
    publish(publisher, "chat.b", "four");
    List<Msg> frames = new ArrayList<>();
    Msg next;
    do {
      next = back.take(m -> "msg".equals(m.event()) || "reply".equals(m.event()));
      frames.add(next);
    } while (!("msg".equals(next.event()) && "four".equals(next.data())));
    List<String> seenOrder = new ArrayList<>();
    frames.forEach(f -> seenOrder.add("reply".equals(f.event()) ? "reply" : (String) f.data()));
    assertEquals(List.of("two", "three", "reply", "four"), seenOrder);
    JsonObject reply = frames.get(2).dataObject();
    assertEquals(new JsonObject().put("room", "chat.b").put("offset", 3).put("epoch", last.epoch()).put("recovered", true), reply);
    assertEquals(List.of(2L, 3L, 4L), List.of(frames.get(0).offset(), frames.get(1).offset(), frames.get(3).offset()));
  }

  @Test
  void sinceOfAnotherEpochOrTooFarBackIsNotRecovered() {
    TestClient publisher = connect();
    Position start = positionOf(joinReply(publisher, "chat.c", null));
    for (int i = 0; i < 8; i++) {
      publish(publisher, "chat.c", i);
    }
    TestClient other = connect();
    Msg wrongEpoch = joinReply(other, "chat.c", new Position(3, "not-the-epoch"));
    assertEquals(new JsonObject().put("room", "chat.c").put("offset", 8).put("epoch", start.epoch()).put("recovered", false),
      wrongEpoch.dataObject());
    assertTrue(other.sync().isEmpty(), "nothing old is sent when not recovered");
    TestClient tooOld = connect();
    // Size 5 keeps offsets 4..8: from 1 on, offsets 2 and 3 are gone.
    assertFalse(joinReply(tooOld, "chat.c", new Position(1, start.epoch())).dataObject().getBoolean("recovered"));
    assertTrue(tooOld.sync().isEmpty());
    TestClient justEnough = connect();
    assertTrue(joinReply(justEnough, "chat.c", new Position(3, start.epoch())).dataObject().getBoolean("recovered"));
    List<Msg> replayed = justEnough.inbox();
    assertEquals(5, replayed.stream().filter(m -> "msg".equals(m.event())).count(), replayed.toString());
    TestClient ahead = connect();
    assertFalse(joinReply(ahead, "chat.c", new Position(99, start.epoch())).dataObject().getBoolean("recovered"),
      "an offset the room never reached is not recovered");
  }

  @Test
  void theHistoryRequestListsTheNewestMessagesOldestFirst() {
    TestClient publisher = connect();
    joinReply(publisher, "chat.d", null);
    for (int i = 1; i <= 7; i++) {
      publish(publisher, "chat.d", i);
    }
    TestClient reader = connect();
    Msg all = Wire.JSON.request(reader, Envelope.of("history").withRoom("chat.d"));
    assertEquals("ok", all.status(), all.toString());
    JsonObject data = all.dataObject();
    assertEquals(7, data.getLong("offset"));
    assertEquals(List.of(3, 4, 5, 6, 7), data.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getInteger("data")).toList());
    assertEquals(new JsonObject().put("offset", 3).put("event", "msg").put("from", publisher.id()).put("data", 3),
      data.getJsonArray("messages").getJsonObject(0));
    Msg some = Wire.JSON.request(reader, Envelope.of("history").withRoom("chat.d").withData(new JsonObject().put("limit", 2).put("before", 6)));
    assertEquals(List.of(4, 5), some.dataObject().getJsonArray("messages").stream().map(m -> ((JsonObject) m).getInteger("data")).toList());
    assertTrue(reader.sync().isEmpty(), "the history request is not a membership");
  }

  @Test
  void badHistoryRequestsAreRefusedAndChangeNothing() {
    TestClient c = connect();
    Wire.JSON.join(c, "plain");
    assertEquals("bad_request", Wire.JSON.failure(c, Envelope.of("history").withRoom("plain")).errorCode());
    assertEquals("bad_request", Wire.JSON.failure(c, Envelope.of("history")).errorCode());
    assertEquals("invalid_room", Wire.JSON.failure(c, Envelope.of("history").withRoom("bad room")).errorCode());
    for (JsonObject data : List.of(new JsonObject().put("limit", 0), new JsonObject().put("limit", 6), new JsonObject().put("limit", "2"),
        new JsonObject().put("limit", 1.5), new JsonObject().put("before", 0), new JsonObject().put("before", -1))) {
      assertEquals("bad_request", Wire.JSON.failure(c, Envelope.of("history").withRoom("chat.e").withData(data)).errorCode(), data.encode());
    }
    assertEquals("bad_request", Wire.JSON.failure(c, Envelope.of("history").withRoom("chat.e").withData("text")).errorCode());
    assertEquals("forbidden", Wire.JSON.failure(c, Envelope.of("history").withRoom("chat.secret")).errorCode());
    assertEquals("bad_request", Wire.JSON.failure(c, Envelope.of("join").withRoom("plain").withSince(new Position(0, "e"))).errorCode());
    for (String since : List.of("{\"offset\":-1,\"epoch\":\"e\"}", "{\"offset\":1}", "{\"epoch\":\"e\"}", "\"x\"", "{\"offset\":1.5,\"epoch\":\"e\"}",
        "{\"offset\":1,\"epoch\":\"" + "e".repeat(65) + "\"}", "{\"offset\":1,\"epoch\":\"\"}", "{\"offset\":1,\"epoch\":\"e\",\"x\":1}")) {
      c.sendText("{\"event\":\"join\",\"id\":\"s\",\"room\":\"chat.e\",\"since\":" + since + "}");
      Msg reply = c.takeReply("s");
      assertEquals("bad_request", reply.errorCode(), since);
    }
    Wire.JSON.join(c, "chat.e");
    for (String key : List.of("", "k".repeat(65))) {
      assertEquals("bad_request", Wire.JSON.failure(c, Envelope.of("msg").withRoom("chat.e").withKey(key)).errorCode(), key);
    }
    c.sendText("{\"event\":\"msg\",\"id\":\"k\",\"room\":\"chat.e\",\"key\":5}");
    assertEquals("bad_request", c.takeReply("k").errorCode());
    assertEquals("bad_request", Wire.JSON.failure(c, Envelope.of("msg").withRoom("plain").withKey("k")).errorCode());
    // Nothing was published by any of it.
    assertEquals(0, Await.result(hub.history("chat.e", 5, 0)).position().offset());
    assertEquals(1, publish(c, "chat.e", "fine").offset());
  }

  @Test
  void aRepeatedKeyIsDeliveredOnceAndAnsweredAsTheFirst() {
    TestClient publisher = connect();
    TestClient member = connect();
    joinReply(publisher, "chat.f", null);
    joinReply(member, "chat.f", null);
    Msg first = Wire.JSON.request(publisher, Envelope.of("order").withRoom("chat.f").withData("buy").withKey("order-1"));
    Msg again = Wire.JSON.request(publisher, Envelope.of("order").withRoom("chat.f").withData("buy").withKey("order-1"));
    Msg other = Wire.JSON.request(publisher, Envelope.of("order").withRoom("chat.f").withData("sell").withKey("order-2"));
    assertEquals(first.dataObject(), again.dataObject());
    assertEquals(1, first.dataObject().getLong("offset"));
    assertEquals(2, other.dataObject().getLong("offset"));
    // The member may be on another shard than the publisher: its own ping reply is no barrier for
    // the room's deliveries, a later publish into the room is (one publisher's arrive in order).
    publish(publisher, "chat.f", "end");
    member.takeEvent("msg");
    List<Msg> got = member.inbox();
    assertEquals(List.of("buy", "sell"), got.stream().filter(m -> "order".equals(m.event())).map(Msg::data).toList());
  }

  @Test
  void binaryClientsGetTheMetaFieldAndRecoverWithAJsonPayload() {
    TestClient publisher = connect();
    TestClient member = connect(Wire.BINARY.subprotocol());
    joinReply(publisher, "chat.g", null);
    Msg joined = Wire.BINARY.request(member, Envelope.of("join").withRoom("chat.g"));
    assertEquals("ok", joined.status());
    String epoch = joined.dataObject().getString("epoch");
    assertEquals(0, joined.dataObject().getLong("offset"));
    publish(publisher, "chat.g", new JsonObject().put("n", 1));
    Msg m = member.takeEvent("msg");
    assertEquals(new JsonObject().put("offset", 1).put("epoch", epoch), m.position());
    assertEquals(new JsonObject().put("n", 1), m.data());
    publish(publisher, "chat.g", new JsonObject().put("n", 2));
    TestClient back = connect(Wire.BINARY.subprotocol());
    Msg recovered = Wire.BINARY.request(back, Envelope.of("join").withRoom("chat.g")
      .withData(new JsonObject().put("since", new JsonObject().put("offset", 1).put("epoch", epoch))));
    assertTrue(recovered.dataObject().getBoolean("recovered"), recovered.toString());
    Msg replayed = back.takeEvent("msg");
    assertEquals(2, replayed.offset());
    Msg history = Wire.BINARY.request(back, Envelope.of("history").withRoom("chat.g").withData(new JsonObject().put("limit", 1)));
    assertEquals(1, history.dataObject().getJsonArray("messages").size());
    assertEquals(2, history.dataObject().getJsonArray("messages").getJsonObject(0).getLong("offset"));
  }

  @Test
  void aRoomSilentForItsTtlStartsANewEpoch() throws InterruptedException {
    TestClient publisher = connect();
    Position start = positionOf(joinReply(publisher, "brief.a", null));
    publish(publisher, "brief.a", 1);
    Thread.sleep(1300);
    Position after = publish(publisher, "brief.a", 2);
    assertNotEquals(start.epoch(), after.epoch());
    assertEquals(1, after.offset());
    TestClient back = connect();
    Msg reply = joinReply(back, "brief.a", new Position(1, start.epoch()));
    assertFalse(reply.dataObject().getBoolean("recovered"));
    assertEquals(after, positionOf(reply));
  }

  @Test
  void theJavaApiReturnsPositionsAndReadsHistory() {
    TestClient member = connect();
    joinReply(member, "chat.h", null);
    Position p1 = Await.result(hub.broadcast("chat.h", "news", "one"));
    Position p2 = Await.result(hub.broadcast("chat.h", "news", Buffer.buffer(new byte[] {1, 2})));
    assertEquals(1, p1.offset());
    assertEquals(2, p2.offset());
    assertNull(Await.result(hub.broadcast("plain", "news", "x")), "no position in a room without history");
    History h = Await.result(hub.history("chat.h", 5, 0));
    assertEquals(p2, h.position());
    assertEquals(2, h.messages().size());
    assertEquals("one", h.messages().get(0).data());
    assertInstanceOf(Buffer.class, h.messages().get(1).data());
    assertEquals(2, member.takeEvent("news").offset() + member.takeEvent("news").offset() - 1);
    assertInstanceOf(IllegalArgumentException.class, Await.failure(hub.history("plain", 5, 0)));
    assertInstanceOf(IllegalArgumentException.class, Await.failure(hub.history("chat.h", 6, 0)));
  }
}
