package io.roomcast.gateway.hostile;

import io.roomcast.gateway.impl.codec.Utf8Validator;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.RawSocketClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import static io.roomcast.gateway.testing.RawSocketClient.BINARY;
import static io.roomcast.gateway.testing.RawSocketClient.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Envelopes that only lenient parsers take, or that try to pass for the server: bad requests, or
 * delivered marked with their sender.
 */
class HostileEnvelopesTest extends HostileInputTestBase {

  @Test
  void jsonNestedThirtyThousandDeepIsABadRequestAndTheConnectionGoesOn() {
    String deep = "[".repeat(30_000) + "]".repeat(30_000);
    try (RawSocketClient c = attacker()) {
      JsonObject reply = request(c, new JsonObject().put("event", "chat").put("room", ROOM), "\"data\":" + deep);
      assertEquals("bad_request", reply.getJsonObject("error").getString("code"), reply.encode());
      assertEquals("ok", request(c, new JsonObject().put("event", "ping")).getString("status"));
    }
    assertUnharmed();
  }

  @Test
  void aSixtyThousandDigitNumberIsABadRequest() {
    try (RawSocketClient c = attacker()) {
      JsonObject reply = request(c, new JsonObject().put("event", "chat").put("room", ROOM), "\"data\":" + "9".repeat(60_000));
      assertEquals("bad_request", reply.getJsonObject("error").getString("code"), reply.encode());
    }
    assertUnharmed();
  }

  @Test
  void aBinaryPayloadNestedThirtyThousandDeepReachesJsonMembersAsBase64() {
    // A JSON member gets a binary payload as data only when it parses as JSON within the
    // nesting limit; deeper, it gets the bytes in base64, and nothing parses them deeper.
    byte[] deep = bytes("[".repeat(30_000) + "]".repeat(30_000));
    try (RawSocketClient c = attacker()) {
      c.sendFrame(true, BINARY, binaryEnvelope(ROOM, "blob", deep));
      Msg blob = bystander.takeEvent("blob");
      assertEquals("base64", blob.encoding());
      assertEquals(Base64.getEncoder().encodeToString(deep), blob.data());
      assertEquals("ok", request(c, new JsonObject().put("event", "ping")).getString("status"));
    }
    assertUnharmed();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"\"data\":NaN", "\"data\":Infinity", "\"data\":'single'", "\"data\":[1,]", "/* comment */ \"data\":1",
    "data:1"})
  void jsonThatOnlyLenientParsersTakeIsABadRequest(String member) {
    try (RawSocketClient c = attacker()) {
      String id = UUID.randomUUID().toString();
      c.sendText("{\"id\":\"" + id + "\",\"event\":\"chat\",\"room\":\"lobby\"," + member + "}");
      JsonObject reply = new JsonObject(c.readUntil(TEXT).text());
      assertEquals("error", reply.getString("status", reply.getString("event")), reply.encode());
      assertEquals("bad_request", reply.getJsonObject("error").getString("code"), reply.encode());
      assertEquals("ok", request(c, new JsonObject().put("event", "ping")).getString("status"));
    }
    assertUnharmed();
  }

  @Test
  void aLoneSurrogateEscapeInDataReachesMembersAsValidUtf8() {
    // An escaped lone surrogate (backslash, u, D800) is valid JSON but no character: re-encoded
    // carelessly it becomes bytes that are not UTF-8, and every browser in the room closes with 1007.
    try (RawSocketClient c = attacker()) {
      c.sendText("{\"event\":\"chat\",\"room\":\"lobby\",\"data\":{\"text\":\"a\\ud800b\\udc00\"}}");
      Msg chat = bystander.takeEvent("chat");
      assertTrue(Utf8Validator.isValid(chat.raw().getBytes()), "the delivery is not valid UTF-8: " + chat.raw());
    }
    assertUnharmed();
  }

  @Test
  void anEventNamedLikeAServerFrameReachesOthersMarkedWithItsSender() {
    try (RawSocketClient c = attacker()) {
      String attackerId = attackerId(c);
      // "presence" is a built-in request since version 1.1: it cannot be published (HostileEnvelopesTest#aPresenceRequestInARoomWithoutPresenceIsRefusedAndReachesNobody).
      for (String event : List.of("welcome", "reply", "error", "pong")) {
        c.sendText(new JsonObject().put("event", event).put("room", ROOM).put("id", "x")
          .put("data", new JsonObject().put("id", "spoofed").put("joined", "spoofed")).encode());
        Msg got = bystander.takeEvent(event);
        assertEquals(attackerId, got.from(), "a client's " + event + " must carry its sender");
      }
    }
    assertUnharmed();
  }

  @Test
  void aPresenceRequestInARoomWithoutPresenceIsRefusedAndReachesNobody() {
    try (RawSocketClient c = attacker()) {
      c.sendText(new JsonObject().put("event", "presence").put("room", ROOM).put("id", "p")
        .put("data", new JsonObject().put("joined", "spoofed")).encode());
      JsonObject reply = new JsonObject(c.readUntil(TEXT).text());
      while (!"reply".equals(reply.getString("event"))) {
        reply = new JsonObject(c.readUntil(TEXT).text());
      }
      assertEquals("error", reply.getString("status"), reply.encode());
      assertEquals("bad_request", reply.getJsonObject("error").getString("code"), reply.encode());
    }
    assertTrue(bystander.sync().stream().noneMatch(m -> "presence".equals(m.event())), "nothing reached the room");
    assertUnharmed();
  }

  @Test
  void aFromFieldSetByTheClientIsReplacedByTheSender() {
    try (RawSocketClient c = attacker()) {
      String attackerId = attackerId(c);
      c.sendText(new JsonObject().put("event", "chat").put("room", ROOM).put("from", bystander.id()).put("data", "hi").encode());
      assertEquals(attackerId, bystander.takeEvent("chat").from());
    }
    assertUnharmed();
  }
}
