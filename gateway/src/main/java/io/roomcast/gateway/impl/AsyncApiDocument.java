package io.roomcast.gateway.impl;

import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.SchemaOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The AsyncAPI 3.0 document a node serves at {@code /asyncapi.json}: the protocol's and the
 * services' contract ({@value #RESOURCE} in the jar), with the node's hubs added as channels at
 * their paths, and each hub's payload schemas (HubOptions.schemas) as messages of its channel.
 */
public final class AsyncApiDocument {

  /** Where the document is kept, in the jar and in gateway/src/main/resources. */
  public static final String RESOURCE = "roomcast/asyncapi.json";

  private AsyncApiDocument() {
  }

  /** @return the document as kept, without any hub of a node */
  public static JsonObject contract() {
    try (InputStream in = AsyncApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the document with these hubs as channels, each with its payload schemas */
  public static JsonObject of(List<HubOptions> hubs) {
    JsonObject doc = contract();
    JsonObject channels = doc.getJsonObject("channels");
    JsonObject generic = channels.getJsonObject("hub");
    JsonObject messages = doc.getJsonObject("components").getJsonObject("messages");
    for (HubOptions hub : hubs) {
      JsonObject channel = generic.copy()
        .put("address", hub.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}"))
        .put("title", "Hub " + hub.getName())
        .put("description", "The hub " + hub.getName() + " of this node.");
      for (SchemaOptions rule : hub.getSchemas()) {
        String name = hub.getName() + ":" + rule.getEvents();
        messages.put(name, new JsonObject().put("name", rule.getEvents()).put("title", name)
          .put("summary", "A client event matching " + rule.getEvents() + ", whose data the hub checks against this schema.")
          .put("payload", new JsonObject().put("allOf", new JsonArray()
            .add(new JsonObject().put("$ref", "#/components/schemas/CustomEvent"))
            .add(new JsonObject().put("properties", new JsonObject()
              .put("event", new JsonObject().put("pattern", regex(rule.getEvents())))
              .put("data", rule.getSchema()))))));
        channel.getJsonObject("messages").put(name, new JsonObject().put("$ref", "#/components/messages/" + name));
      }
      channels.put("hub:" + hub.getName(), channel);
    }
    return doc;
  }

  /**
   * @return the anchored regular expression (ECMA 262, as JSON Schema's {@code pattern}) of an
   *     event pattern ({@code *} = any run of characters)
   */
  static String regex(String pattern) {
    StringBuilder sb = new StringBuilder("^");
    for (char ch : pattern.toCharArray()) {
      if (ch == '*') {
        sb.append(".*");
      } else {
        if ("\\^$.|?+()[]{}".indexOf(ch) >= 0) {
          sb.append('\\');
        }
        sb.append(ch);
      }
    }
    return sb.append('$').toString();
  }
}
