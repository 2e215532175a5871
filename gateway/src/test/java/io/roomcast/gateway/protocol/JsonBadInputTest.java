package io.roomcast.gateway.protocol;

import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A catalogue of malformed JSON frames (PROTOCOL.md sections 2–3): each is answered with the
 * right error, as a {@code reply} carrying the request id when the id could be read and as an
 * {@code error} event otherwise, and the connection goes on while another client sees nothing.
 */
class JsonBadInputTest extends GatewayTestBase {

  private static final JsonObject HELLO = new JsonObject().put("text", "hello");

  private TestClient sender;
  private TestClient bystander;

  @BeforeEach
  void twoMembersOfOneRoom() {
    sender = connect();
    bystander = connect();
    for (TestClient c : List.of(sender, bystander)) {
      String id = TestClient.newRequestId();
      c.sendJson(new JsonObject().put("id", id).put("event", "join").put("room", "r"));
      assertEquals("ok", c.takeReply(id).status());
    }
  }

  static Stream<Arguments> malformed() {
    String deep = "[".repeat(200) + "]".repeat(200);
    return Stream.of(
      // name, frame, the id the answer must carry (null: an error event), the code
      arguments("not JSON", "{not json", null, "bad_request"),
      arguments("an array", "[{\"id\":\"a1\",\"event\":\"ping\"}]", null, "bad_request"),
      arguments("a string", "\"ping\"", null, "bad_request"),
      arguments("a number", "42", null, "bad_request"),
      arguments("null", "null", null, "bad_request"),
      arguments("an empty object", "{}", null, "bad_request"),
      arguments("an empty text frame", "", null, "bad_request"),
      arguments("event missing", "{\"id\":\"m1\",\"room\":\"r\"}", "m1", "bad_request"),
      arguments("event not a string", "{\"id\":\"m2\",\"event\":5}", "m2", "bad_request"),
      arguments("event an object", "{\"event\":{\"name\":\"ping\"},\"id\":\"m3\"}", "m3", "bad_request"),
      arguments("event empty", "{\"id\":\"m4\",\"event\":\"\"}", "m4", "bad_request"),
      arguments("event too long", "{\"id\":\"m5\",\"event\":\"" + "e".repeat(65) + "\"}", "m5", "bad_request"),
      arguments("event with bad characters", "{\"id\":\"m6\",\"event\":\"chat message\",\"room\":\"r\"}", "m6", "bad_request"),
      arguments("event with non-ASCII characters", "{\"id\":\"m7\",\"event\":\"caf\u00e9\",\"room\":\"r\"}", "m7", "bad_request"),
      arguments("id an object", "{\"id\":{\"n\":1},\"event\":\"ping\"}", null, "bad_request"),
      arguments("id a float", "{\"id\":1.5,\"event\":\"ping\"}", null, "bad_request"),
      arguments("id a boolean", "{\"id\":true,\"event\":\"ping\"}", null, "bad_request"),
      arguments("id an array", "{\"id\":[1],\"event\":\"ping\"}", null, "bad_request"),
      arguments("id a 65-character string", "{\"id\":\"" + "i".repeat(65) + "\",\"event\":\"ping\"}", null, "bad_request"),
      arguments("id an integer over 64 bits", "{\"id\":9223372036854775808,\"event\":\"ping\"}", null, "bad_request"),
      arguments("room a number", "{\"id\":\"m8\",\"event\":\"join\",\"room\":5}", "m8", "bad_request"),
      arguments("room an array", "{\"id\":\"m9\",\"event\":\"chat\",\"room\":[\"r\"]}", "m9", "bad_request"),
      arguments("to an object", "{\"id\":\"m10\",\"event\":\"dm\",\"to\":{\"id\":\"x\"}}", "m10", "bad_request"),
      arguments("channel a boolean", "{\"id\":\"m11\",\"event\":\"subscribe\",\"channel\":true}", "m11", "bad_request"),
      arguments("room and channel disagree", "{\"id\":\"m12\",\"event\":\"join\",\"room\":\"a\",\"channel\":\"b\"}", "m12", "bad_request"),
      arguments("a duplicate key", "{\"id\":\"m13\",\"event\":\"ping\",\"event\":\"ping\"}", "m13", "bad_request"),
      arguments("garbage after the object", "{\"id\":\"m14\",\"event\":\"ping\"} x", "m14", "bad_request"),
      arguments("a second object after the first", "{\"id\":\"m15\",\"event\":\"ping\"}{}", "m15", "bad_request"),
      arguments("200-deep nesting in data", "{\"id\":\"m16\",\"event\":\"chat\",\"room\":\"r\",\"data\":" + deep + "}", "m16", "bad_request"),
      arguments("a truncated object", "{\"id\":\"m17\",\"event\":\"chat\",\"room\":\"r\",\"data\":{\"a\":", "m17", "bad_request"),
      arguments("an integer id with a bad event", "{\"id\":12,\"event\":false}", 12L, "bad_request"),
      arguments("join without room", "{\"id\":\"m18\",\"event\":\"join\"}", "m18", "bad_request"),
      arguments("join of an invalid room", "{\"id\":\"m19\",\"event\":\"join\",\"room\":\"bad room\"}", "m19", "invalid_room"),
      arguments("publish to an invalid room", "{\"id\":\"m20\",\"event\":\"chat\",\"room\":\"" + "r".repeat(129) + "\"}", "m20", "invalid_room"),
      arguments("publish to a room not joined", "{\"id\":\"m21\",\"event\":\"chat\",\"room\":\"elsewhere\"}", "m21", "not_member"),
      arguments("leave root", "{\"id\":\"m22\",\"event\":\"leave\",\"room\":\"root\"}", "m22", "forbidden"),
      arguments("an event with no handler, to or room", "{\"id\":\"m23\",\"event\":\"whatever\"}", "m23", "unknown_event"),
      arguments("a direct message to nobody", "{\"id\":\"m24\",\"event\":\"dm\",\"to\":\"nobody.0.1\"}", "m24", "unknown_client"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void aMalformedFrameIsAnsweredAndChangesNothingElse(String name, String frame, Object id, String code) {
    sender.sendText(frame);
    Msg answer;
    if (id == null) {
      answer = sender.takeNext();
      assertEquals("error", answer.event(), () -> name + ": expected an error event, got " + answer);
      assertNull(answer.id());
    } else {
      answer = sender.takeNext();
      assertEquals("reply", answer.event(), () -> name + ": expected a reply, got " + answer);
      assertEquals("error", answer.status());
      assertSameId(id, answer.id());
    }
    assertEquals(code, answer.errorCode(), name);
    assertTrue(answer.error().getString("message").length() > 0, name);
    assertStillServed();
  }

  /** The sender is still served, and the other member of its room saw nothing but its message. */
  private void assertStillServed() {
    assertFalse(sender.isClosed());
    assertTrue(sender.sync().isEmpty(), "more than one answer");
    sender.sendJson(new JsonObject().put("event", "chat").put("room", "r").put("data", HELLO));
    Msg chat = bystander.takeNext();
    assertEquals("chat", chat.event(), "the other member saw something else first");
    assertEquals(HELLO, chat.data());
    assertTrue(bystander.sync().isEmpty());
  }

  private static void assertSameId(Object expected, Object actual) {
    if (expected instanceof String) {
      assertEquals(expected, actual);
    } else {
      assertInstanceOf(Number.class, actual, "an integer id came back as " + actual);
      assertEquals(((Number) expected).longValue(), ((Number) actual).longValue());
    }
  }

  @Test
  void repliesEchoStringAndIntegerIdsWithTheirType() {
    for (Object id : List.of("7", "", "x".repeat(64), 7L, 0L, -3L, Long.MAX_VALUE, Long.MIN_VALUE)) {
      sender.sendText("{\"id\":" + (id instanceof String ? "\"" + id + "\"" : id) + ",\"event\":\"ping\"}");
      Msg reply = sender.takeNext();
      assertEquals("reply", reply.event());
      assertEquals("ok", reply.status());
      assertSameId(id, reply.id());
      if (id instanceof String) {
        assertTrue(reply.text().contains("\"id\":\"" + id + "\""), reply.text());
      } else {
        assertTrue(reply.text().contains("\"id\":" + id + ","), reply.text());
      }
    }
  }

  @Test
  void joinAndLeaveWithoutIdAreNotReplied() {
    sender.sendText("{\"event\":\"join\",\"room\":\"quiet\"}");
    sender.sendText("{\"event\":\"subscribe\",\"channel\":\"quiet2\"}");
    assertTrue(sender.sync().isEmpty(), "a request without id was replied");
    bystander.sendText("{\"id\":\"j\",\"event\":\"join\",\"room\":\"quiet\"}");
    bystander.takeReply("j");
    bystander.sendJson(new JsonObject().put("event", "chat").put("room", "quiet").put("data", HELLO));
    assertEquals("quiet", sender.takeEvent("chat").room(), "the join without id did not take effect");
    sender.sendText("{\"event\":\"leave\",\"room\":\"quiet\"}");
    sender.sendText("{\"event\":\"unsubscribe\",\"channel\":\"quiet2\"}");
    assertTrue(sender.sync().isEmpty(), "a request without id was replied");
    bystander.sendJson(new JsonObject().put("event", "chat").put("room", "quiet").put("data", HELLO));
    bystander.sync();
    assertTrue(sender.sync().isEmpty(), "the leave without id did not take effect");
  }

  @Test
  void errorsOfRequestsWithoutIdArriveAsErrorEvents() {
    sender.sendText("{\"event\":\"leave\",\"room\":\"root\"}");
    assertEquals("forbidden", sender.takeNext().errorCode());
    sender.sendText("{\"event\":\"join\",\"room\":\"bad room\"}");
    assertEquals("invalid_room", sender.takeNext().errorCode());
    sender.sendText("{\"event\":\"chat\",\"room\":\"elsewhere\"}");
    assertEquals("not_member", sender.takeNext().errorCode());
    List<Msg> rest = sender.sync();
    assertTrue(rest.isEmpty(), rest::toString);
  }

  @Test
  void pingWithoutIdIsAnsweredWithExactlyAPong() {
    sender.sendText("{\"event\":\"ping\"}");
    Msg pong = sender.takeNext();
    assertEquals(new JsonObject().put("event", "pong"), new JsonObject(pong.raw()));
  }
}
