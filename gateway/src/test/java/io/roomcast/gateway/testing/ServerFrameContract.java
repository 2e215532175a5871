package io.roomcast.gateway.testing;

import io.roomcast.gateway.impl.AsyncApiDocument;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Checks what a gateway under test sent its clients against the AsyncAPI document: every JSON
 * frame against {@code ServerFrame}, every binary frame's fields against {@code BinaryEnvelope}.
 * GatewayTestBase runs it after each test on every envelope client the test opened, so every
 * server frame the protocol tests see is held to the published contract.
 */
public final class ServerFrameContract {

  /** Frames checked per client at most: a load of deliveries repeats the same few shapes. */
  static final int MAX_FRAMES_PER_CLIENT = 500;

  private static final JsonObject DOCUMENT = AsyncApiDocument.contract();
  private static final ThreadLocal<Validator> JSON = ThreadLocal.withInitial(() -> validator("ServerFrame"));
  private static final ThreadLocal<Validator> BINARY = ThreadLocal.withInitial(() -> validator("BinaryEnvelope"));

  private ServerFrameContract() {
  }

  /** @return a validator of one of the document's schemas, its references resolved in the document */
  public static Validator validator(String schema) {
    return Validator.create(JsonSchema.of(DOCUMENT.copy().put("$ref", "#/components/schemas/" + schema)),
      new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://roomcast.invalid/asyncapi.json")
        .setOutputFormat(OutputFormat.Basic));
  }

  /** @return why the instance does not validate, or {@code null} when it does */
  public static String problems(Validator v, Object instance) {
    OutputUnit out = v.validate(instance);
    if (Boolean.TRUE.equals(out.getValid())) {
      return null;
    }
    return out.getErrors() == null ? String.valueOf(out.getError()) : out.getErrors().stream()
      .map(e -> e.getInstanceLocation() + ": " + e.getError()).distinct().limit(6).toList().toString();
  }

  /** @return the server frames of the client that the document does not describe, with why */
  public static List<String> violations(TestClient client) {
    List<String> found = new ArrayList<>();
    int checked = 0;
    for (TestClient.Frame f : client.frames()) {
      if (f.sent()) {
        continue;
      }
      if (checked++ == MAX_FRAMES_PER_CLIENT) {
        break;
      }
      Object instance = f.binary() ? fields(f.bytes()) : new JsonObject(f.bytes());
      String problem = instance == null ? "fields that do not add up" : problems(f.binary() ? BINARY.get() : JSON.get(), instance);
      if (problem != null) {
        found.add((f.binary() ? "binary " : "") + instance + ": " + problem);
      }
    }
    return found;
  }

  /** @return a binary envelope's fields, as BinaryEnvelope describes them, or {@code null} when they do not add up */
  public static JsonObject fields(Buffer frame) {
    String[] names = {"room", "event", "dst", "src", "payload", "meta"};
    JsonObject fields = new JsonObject();
    int at = 0;
    for (int i = 0; at + 4 <= frame.length() && i < names.length; i++) {
      int length = frame.getInt(at);
      if (length < 0 || at + 4 + length > frame.length()) {
        return null;
      }
      Buffer bytes = frame.getBuffer(at + 4, at + 4 + length);
      at += 4 + length;
      switch (names[i]) {
        case "payload" -> fields.put("payload", Base64.getEncoder().encodeToString(bytes.getBytes()));
        case "meta" -> fields.put("meta", new JsonObject(bytes));
        default -> fields.put(names[i], bytes.toString(StandardCharsets.UTF_8));
      }
    }
    return at == frame.length() ? fields : null;
  }
}
