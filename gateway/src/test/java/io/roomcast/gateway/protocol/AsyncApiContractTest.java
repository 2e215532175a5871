package io.roomcast.gateway.protocol;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HistoryOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.Position;
import io.roomcast.gateway.SchemaOptions;
import io.roomcast.gateway.impl.AsyncApiDocument;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Http;
import io.roomcast.gateway.testing.ServerFrameContract;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.Validator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The AsyncAPI document (gateway/src/main/resources/roomcast/asyncapi.json, served at
 * {@code /asyncapi.json}) against what the gateway really says: every reference in it resolves;
 * every JSON example in docs/PROTOCOL.md validates against its frame schemas; every frame of a
 * conversation that uses every kind of frame (JSON and binary clients, rooms with history and
 * presence, direct messages, errors with and without ids) validates, client frames against
 * {@code ClientFrame} and server frames against {@code ServerFrame} or {@code BinaryEnvelope};
 * the served document has the node's hubs and their payload schemas. Validation is vertx-json-schema's.
 * Beside it, GatewayTestBase holds every server frame of every test built on it to the document
 * (ServerFrameContract).
 */
class AsyncApiContractTest extends GatewayTestBase {

  private static final JsonObject ORDER = new JsonObject().put("type", "object").put("required", new JsonArray().add("item"));
  /** A schema with references to its own parts, a property named as a keyword, and a $ref that is data. */
  private static final JsonObject TICKET = new JsonObject()
    .put("$defs", new JsonObject().put("seat", new JsonObject().put("type", "string").put("pattern", "^[A-Z][0-9]+$")))
    .put("type", "object").put("required", new JsonArray().add("seat"))
    .put("properties", new JsonObject()
      .put("seat", new JsonObject().put("$ref", "#/$defs/seat"))
      .put("const", new JsonObject().put("$ref", "#/$defs/seat"))
      .put("note", new JsonObject().put("const", new JsonObject().put("$ref", "#/not-a-reference"))));
  private static final List<String> BUILT_INS = List.of("join", "subscribe", "leave", "unsubscribe", "ping", "history", "presence",
    "refresh");

  private final JsonObject contract = AsyncApiDocument.contract();

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(new HubOptions().setHistory(List.of(new HistoryOptions("kept.*")))
      .setPresence(List.of("team.*")).setSchemas(List.of(new SchemaOptions("order.*", ORDER), new SchemaOptions("ticket.*", TICKET)))));
  }

  @Test
  void everyReferenceResolvesAndEveryBuiltInEventHasItsMessage() {
    assertEquals("3.0.0", contract.getString("asyncapi"));
    List<String> refs = new ArrayList<>();
    collectRefs(contract, refs);
    assertTrue(refs.size() > 50, "references found: " + refs.size());
    for (String ref : refs) {
      assertTrue(ref.startsWith("#/"), ref);
      Object target = contract;
      for (String part : ref.substring(2).split("/")) {
        target = target instanceof JsonObject o ? o.getValue(part.replace("~1", "/").replace("~0", "~")) : null;
      }
      assertTrue(target != null, "unresolved " + ref);
    }
    Validator client = ServerFrameContract.validator("ClientFrame");
    Validator custom = ServerFrameContract.validator("CustomEvent");
    for (String event : BUILT_INS) {
      JsonObject frame = new JsonObject().put("event", event).put("room", "r").put("data", new JsonObject().put("token", "t"));
      assertEquals(null, ServerFrameContract.problems(client, frame), event);
      assertTrue(ServerFrameContract.problems(custom, frame) != null, event + " is a built-in, not a custom event");
    }
  }

  private static void collectRefs(Object node, List<String> refs) {
    if (node instanceof JsonObject o) {
      o.forEach(e -> {
        if ("$ref".equals(e.getKey()) && e.getValue() instanceof String s) {
          refs.add(s);
        } else {
          collectRefs(e.getValue(), refs);
        }
      });
    } else if (node instanceof JsonArray a) {
      a.forEach(v -> collectRefs(v, refs));
    }
  }

  @Test
  void everyJsonExampleOfTheProtocolPageValidates() throws IOException {
    String page = Files.readString(Path.of("..", "docs", "PROTOCOL.md"), StandardCharsets.UTF_8);
    Validator client = ServerFrameContract.validator("ClientFrame");
    Validator server = ServerFrameContract.validator("ServerFrame");
    Matcher code = Pattern.compile("`(\\{[^`]*})`").matcher(page);
    int checked = 0;
    List<String> failures = new ArrayList<>();
    while (code.find()) {
      JsonObject example;
      try {
        example = new JsonObject(concrete(code.group(1)));
      } catch (DecodeException e) {
        continue; // a shape, not a frame: {"offset","event","from","data"}
      }
      if (!example.containsKey("event")) {
        continue; // a data object
      }
      checked++;
      // A built-in event is a client's request (but a presence event, which says who joined or left).
      JsonObject data = example.getValue("data") instanceof JsonObject d ? d : new JsonObject();
      boolean request = BUILT_INS.contains(example.getString("event")) && !data.containsKey("joined") && !data.containsKey("left");
      String asClient = ServerFrameContract.problems(client, example);
      if (request ? asClient != null : asClient != null && ServerFrameContract.problems(server, example) != null) {
        String asServer = request ? "" : "; server: " + ServerFrameContract.problems(server, example);
        failures.add(example.encode() + " -> client: " + asClient + asServer);
      }
    }
    System.out.printf("AsyncApiContractTest: %d examples of docs/PROTOCOL.md checked%n", checked);
    assertTrue(checked >= 10, "examples checked: " + checked);
    assertEquals(List.of(), failures);
  }

  /**
   * @return a frame of the protocol page with its placeholders ({@code E}, {@code R}, {@code ID},
   *     {@code "<client id>"}, ...) made values of their kind, and its ellipses dropped
   */
  static String concrete(String shape) {
    String s = shape.replace(",…", "").replace("\"code\":C", "\"code\":\"bad_request\"").replace("\"message\":M", "\"message\":\"why\"")
      .replaceAll("\"<[^>\"]*id>\"", "\"abc.0.1\"").replaceAll("\"<[^>\"]*>\"", "\"text\"");
    String[][] values = {{"E", "\"chat\""}, {"R", "\"lobby\""}, {"ID", "\"abc.0.1\""}, {"SENDER", "\"abc.0.1\""}, {"D", "{\"v\":1}"},
      {"V", "{\"v\":1}"}, {"X", "7"}, {"N", "3"}, {"M", "4"}, {"C", "2"}, {"K", "1"}, {"U", "\"ann\""}, {"W", "\"forbidden\""}};
    for (String[] v : values) {
      s = s.replaceAll("(?<=[:\\[,])" + v[0] + "(?=[,}\\]])", java.util.regex.Matcher.quoteReplacement(v[1]));
    }
    return s;
  }

  @Test
  void everyFrameOfAConversationValidates() {
    TestClient ann = connect();
    TestClient bob = connect();
    TestClient bin = connect(Wire.BINARY.subprotocol());
    for (TestClient c : List.of(ann, bob)) {
      Wire.JSON.join(c, "lobby");
      Wire.JSON.join(c, "kept.1");
      Wire.JSON.request(c, Envelope.of("join").withRoom("team.1").withData(new JsonObject().put("info", new JsonObject().put("mood", "ok"))));
    }
    Wire.JSON.request(ann, Envelope.of("chat").withRoom("lobby").withData("hi"));
    Wire.JSON.request(ann, Envelope.of("chat").withRoom("kept.1").withKey("k-1").withData(new JsonObject().put("n", 1)));
    Wire.JSON.request(ann, Envelope.of("dm").withTo(bob.id()).withData(List.of(1, 2)));
    Wire.JSON.request(ann, Envelope.of("history").withRoom("kept.1").withData(new JsonObject().put("limit", 10)));
    Wire.JSON.request(ann, Envelope.of("presence").withRoom("team.1"));
    Wire.JSON.request(bob, Envelope.of("join").withRoom("kept.1").withSince(new Position(1, "nope")));
    ann.sendJson(new JsonObject().put("event", "ping"));
    Wire.JSON.request(ann, Envelope.of("ping"));
    Wire.JSON.request(ann, Envelope.of("leave").withRoom("root"));
    Wire.JSON.request(ann, Envelope.of("nothing.here"));
    Wire.JSON.request(ann, Envelope.of("order.create").withData("not an object"));
    ann.sendText("not json");
    Wire.BINARY.join(bin, "lobby");
    bin.sendBinary(Envelope.of("blob").withRoom("lobby").withData(Buffer.buffer(new byte[] {0, (byte) 0xff, 7})).toBinary());
    Wire.JSON.request(bob, Envelope.of("leave").withRoom("team.1"));
    Wire.JSON.request(ann, Envelope.of("chat").withRoom("lobby").withData("bye"));
    ann.take(m -> "blob".equals(m.event()));
    bin.take(m -> "chat".equals(m.event()));
    bob.take(m -> "chat".equals(m.event()) && "bye".equals(m.data()));

    Validator client = ServerFrameContract.validator("ClientFrame");
    Validator server = ServerFrameContract.validator("ServerFrame");
    Validator binary = ServerFrameContract.validator("BinaryEnvelope");
    Set<String> seen = new TreeSet<>();
    List<String> failures = new ArrayList<>();
    for (TestClient c : List.of(ann, bob, bin)) {
      for (TestClient.Frame f : c.frames()) {
        if (f.sent() && f.bytes().toString(StandardCharsets.UTF_8).equals("not json")) {
          continue; // the bad input the error answers
        }
        Object instance = f.binary() ? fields(f.bytes()) : new JsonObject(f.bytes());
        String problem = ServerFrameContract.problems(f.binary() ? binary : f.sent() ? client : server, instance);
        String kind = (f.sent() ? "sent " : "received ") + (f.binary() ? "binary " : "")
          + (instance instanceof JsonObject o ? o.getString("event") : "?");
        seen.add(kind + (instance instanceof JsonObject o && o.containsKey("status") ? " " + o.getString("status") : ""));
        if (problem != null) {
          failures.add(kind + " " + instance + ": " + problem);
        }
      }
    }
    assertEquals(List.of(), failures);
    for (String expected : List.of("received welcome", "received reply ok", "received reply error", "received error", "received pong",
        "received chat", "received dm", "received presence", "received binary welcome", "received binary chat", "received blob",
        "sent join", "sent history", "sent presence", "sent binary blob")) {
      assertTrue(seen.contains(expected), expected + " not exchanged; exchanged: " + seen);
    }
  }

  private static JsonObject fields(Buffer frame) {
    JsonObject fields = ServerFrameContract.fields(frame);
    if (fields == null) {
      fail("a binary frame whose fields do not add up: " + frame.length() + " bytes");
    }
    return fields;
  }

  @Test
  void theServedDocumentHasTheNodesHubsAndTheirPayloadSchemas() {
    Http.Response r = Http.get(port, "/asyncapi.json");
    assertEquals(200, r.status());
    JsonObject served = new JsonObject(r.body());
    JsonObject channel = served.getJsonObject("channels").getJsonObject("hub:default");
    assertEquals("/ws", channel.getString("address"));
    assertTrue(channel.getJsonObject("messages").containsKey("default:order.*"), channel.encode());
    Validator order = Validator.create(JsonSchema.of(served.copy().put("$ref", "#/components/messages/default:order.*/payload")),
      new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://roomcast.invalid/asyncapi.json"));
    assertTrue(order.validate(new JsonObject().put("event", "order.create").put("data", new JsonObject().put("item", "tea"))).getValid());
    assertFalse(order.validate(new JsonObject().put("event", "order.create").put("data", "tea")).getValid(), "the hub's schema");
    assertFalse(order.validate(new JsonObject().put("event", "orderXcreate").put("data", new JsonObject().put("item", "t"))).getValid(),
      "the event's pattern, with its dot taken literally");

    // The hub's schema refers to its own parts: in the document, those references point where it is.
    Validator ticket = Validator.create(JsonSchema.of(served.copy().put("$ref", "#/components/messages/default:ticket.*/payload")),
      new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://roomcast.invalid/asyncapi.json"));
    JsonObject note = new JsonObject().put("$ref", "#/not-a-reference");
    assertTrue(ticket.validate(new JsonObject().put("event", "ticket.buy").put("data", new JsonObject().put("seat", "A12")
      .put("const", "B7").put("note", note))).getValid());
    assertFalse(ticket.validate(new JsonObject().put("event", "ticket.buy").put("data", new JsonObject().put("seat", "12"))).getValid(),
      "the seat's schema, reached through #/$defs/seat");
    assertFalse(ticket.validate(new JsonObject().put("event", "ticket.buy").put("data", new JsonObject().put("seat", "A1")
      .put("const", "7"))).getValid(), "a property named const is a schema like any other");
    assertFalse(ticket.validate(new JsonObject().put("event", "ticket.buy").put("data", new JsonObject().put("seat", "A1")
      .put("note", new JsonObject().put("$ref", "#/components")))).getValid(), "a $ref in a const is data, left as it was");
    // The hub itself checks the same schema, as the document says.
    TestClient c = connect();
    Msg refused = Wire.JSON.request(c, Envelope.of("ticket.buy").withRoom("box").withData(new JsonObject().put("seat", "12")));
    assertEquals("bad_request", refused.errorCode(), refused.toString());
  }
}
