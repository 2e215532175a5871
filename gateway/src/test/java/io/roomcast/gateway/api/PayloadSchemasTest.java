package io.roomcast.gateway.api;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.SchemaOptions;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Payload schemas (the hub option {@code schemas}): client events whose data does not match their
 * schema are refused with {@code bad_request} and the validator's message, and reach no handler
 * and no room; events without a schema, and built-in ones, are untouched; a schema the validator
 * cannot use is refused in the configuration.
 */
class PayloadSchemasTest extends GatewayTestBase {

  private static final JsonObject ORDER = new JsonObject()
    .put("type", "object")
    .put("required", new JsonArray().add("item"))
    .put("properties", new JsonObject()
      .put("item", new JsonObject().put("type", "string").put("minLength", 1).put("maxLength", 20))
      .put("qty", new JsonObject().put("type", "integer").put("minimum", 1)))
    .put("additionalProperties", false);

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(new HubOptions().setSchemas(List.of(
      new SchemaOptions("order.*", ORDER),
      new SchemaOptions("chat", new JsonObject().put("type", "string").put("maxLength", 10))))));
  }

  @Override
  protected void configure(Gateway gateway) {
    gateway.hubs().get(0).on("order.create", ctx -> ctx.reply(new JsonObject().put("taken", ctx.envelope().data())));
  }

  @Test
  void dataThatMatchesGoesOnAndDataThatDoesNotIsRefusedWithTheValidatorsReason() {
    TestClient c = connect();
    JsonObject good = new JsonObject().put("item", "tea").put("qty", 2);
    Msg taken = Wire.JSON.request(c, Envelope.of("order.create").withData(good));
    assertEquals("ok", taken.status(), taken.toString());
    assertEquals(good, taken.dataObject().getJsonObject("taken"));

    Map<Object, String> refused = Map.of(
      new JsonObject().put("qty", 2), "item",
      new JsonObject().put("item", "tea").put("qty", "two"), "/qty",
      new JsonObject().put("item", "tea").put("qty", 0), "/qty",
      new JsonObject().put("item", "").put("qty", 1), "/item",
      new JsonObject().put("item", "tea").put("colour", "red"), "colour",
      new JsonArray().add("tea"), "data",
      "tea", "data");
    refused.forEach((data, where) -> {
      Msg reply = Wire.JSON.request(c, Envelope.of("order.create").withData(data));
      assertEquals("bad_request", reply.errorCode(), data + ": " + reply);
      String message = reply.error().getString("message");
      assertTrue(message.startsWith("the data of \"order.create\" does not match the schema of \"order.*\": "), message);
      assertTrue(message.contains(where), data + ": " + message);
    });
    Msg none = Wire.JSON.request(c, Envelope.of("order.create"));
    assertEquals("bad_request", none.errorCode(), "no data is not an object: " + none);
    assertEquals("ok", Wire.JSON.request(c, Envelope.of("order.create").withData(good)).status(), "still served");
  }

  @Test
  void aRefusedPublishReachesNoOneAndEventsWithoutASchemaAreUntouched() {
    TestClient sender = connect();
    TestClient member = connect();
    Wire.JSON.join(sender, "lobby");
    Wire.JSON.join(member, "lobby");

    Msg tooLong = Wire.JSON.request(sender, Envelope.of("chat").withRoom("lobby").withData("far too long a line"));
    assertEquals("bad_request", tooLong.errorCode());
    assertTrue(tooLong.error().getString("message").contains("schema of \"chat\""), tooLong.toString());
    assertEquals("ok", Wire.JSON.request(sender, Envelope.of("chat").withRoom("lobby").withData("hi")).status());
    Msg delivered = member.takeEvent("chat");
    assertEquals("hi", delivered.data(), "the first chat the member sees is the valid one");

    assertEquals("ok", Wire.JSON.request(sender, Envelope.of("note").withRoom("lobby").withData(new JsonArray().add(1))).status(),
      "no schema, no check");
    assertEquals("note", member.takeEvent("note").event());
    assertFalse(member.inbox().stream().anyMatch(m -> "far too long a line".equals(m.data())), member.inbox().toString());
  }

  @Test
  void binaryDataIsRefusedForAnEventWithASchema() {
    TestClient c = connect(Wire.BINARY.subprotocol());
    Msg refused = Wire.BINARY.failure(c, Envelope.of("order.create").withData(Buffer.buffer(new byte[] {1, 2, 3})));
    assertEquals("bad_request", refused.errorCode(), refused.toString());
    assertTrue(refused.error().getString("message").contains("not binary data"), refused.toString());
    c.sendBinary(Envelope.of("order.create").withData(new JsonObject().put("item", "tea")));
    Msg taken = c.take(m -> "reply".equals(m.event()));
    assertEquals(new JsonObject().put("item", "tea"), taken.dataObject().getJsonObject("data").getJsonObject("taken"),
      "JSON data in a binary envelope is checked like any: " + taken);
  }

  @Test
  void schemasTheValidatorCannotUseAreRefusedAndTheJsonFormReadsBack() {
    Map<JsonObject, String> bad = Map.of(
      new JsonObject().put("events", "x"), "\"schemas[0].schema\" is required",
      new JsonObject().put("schema", ORDER), "\"schemas[0].events\" is required",
      new JsonObject().put("events", "x").put("schema", "string"), "schemas[0].schema",
      new JsonObject().put("events", "x").put("schema", ORDER).put("strict", true), "strict",
      new JsonObject().put("events", "x").put("schema", new JsonObject().put("$ref", "https://elsewhere.invalid/s.json")),
      "cannot be used");
    bad.forEach((rule, reason) -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new HubOptions(new JsonObject().put("schemas", new JsonArray().add(rule))), rule.encode());
      assertTrue(e.getMessage().contains(reason), rule.encode() + ": " + e.getMessage());
    });
    HubOptions read = new HubOptions(new JsonObject().put("schemas", new JsonArray()
      .add(new JsonObject().put("events", "order.*").put("schema", ORDER))));
    assertEquals(ORDER, read.getSchemas().get(0).getSchema());
    assertEquals(read.toJson(), new HubOptions(read.toJson()).toJson());
  }
}
