package io.roomcast.gateway.impl;

import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.SchemaOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The AsyncAPI 3.0 document a node serves at {@code /asyncapi.json}: the protocol's and the
 * services' contract ({@value #RESOURCE} in the jar), with the node's hubs added as channels at
 * their paths, and each hub's payload schemas (HubOptions.schemas) as messages of its channel.
 */
public final class AsyncApiDocument {

  /** Keywords whose values are instances, not schemas: a {@code $ref} in them is data. */
  private static final Set<String> INSTANCE_KEYWORDS = Set.of("const", "enum", "default", "examples");
  /** Keywords whose values map names (any names, "const" too) to schemas. */
  private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties", "$defs", "definitions",
    "dependentSchemas");

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
        String at = "#/components/messages/" + pointerToken(name) + "/payload/allOf/1/properties/data";
        messages.put(name, new JsonObject().put("name", rule.getEvents()).put("title", name)
          .put("summary", "A client event matching " + rule.getEvents() + ", whose data the hub checks against this schema.")
          .put("payload", new JsonObject().put("allOf", new JsonArray()
            .add(new JsonObject().put("$ref", "#/components/schemas/CustomEvent"))
            .add(new JsonObject().put("properties", new JsonObject()
              .put("event", new JsonObject().put("pattern", regex(rule.getEvents())))
              .put("data", relocated(rule.getSchema(), at)))))));
        channel.getJsonObject("messages").put(name, new JsonObject().put("$ref", "#/components/messages/" + pointerToken(name)));
      }
      channels.put("hub:" + hub.getName(), channel);
    }
    return doc;
  }

  /**
   * @return a copy of a hub's schema for the place {@code at} in this document: its references
   *     to its own parts ({@code #/$defs/...}, {@code #}) made to point there. Not inside a
   *     subschema with an {@code $id} of its own, whose references resolve against that, nor in
   *     values that are instances ({@code const}, {@code enum}, {@code default}, {@code examples}).
   */
  private static JsonObject relocated(JsonObject schema, String at) {
    if (schema.containsKey("$id")) {
      return schema.copy();
    }
    JsonObject copy = new JsonObject();
    schema.forEach(e -> {
      String key = e.getKey();
      Object value = e.getValue();
      if (INSTANCE_KEYWORDS.contains(key)) {
        copy.put(key, value instanceof JsonObject o ? o.copy() : value instanceof JsonArray a ? a.copy() : value);
      } else if ("$ref".equals(key) && value instanceof String ref && (ref.equals("#") || ref.startsWith("#/"))) {
        copy.put(key, at + ref.substring(1));
      } else if (SCHEMA_MAPS.contains(key) && value instanceof JsonObject named) {
        JsonObject schemas = new JsonObject();
        named.forEach(n -> schemas.put(n.getKey(), n.getValue() instanceof JsonObject o ? relocated(o, at) : n.getValue()));
        copy.put(key, schemas);
      } else if (value instanceof JsonObject o) {
        copy.put(key, relocated(o, at));
      } else if (value instanceof JsonArray a) {
        JsonArray schemas = new JsonArray();
        a.forEach(item -> schemas.add(item instanceof JsonObject o ? relocated(o, at) : item));
        copy.put(key, schemas);
      } else {
        copy.put(key, value);
      }
    });
    return copy;
  }

  /** @return a name as one token of a JSON pointer in a URI fragment (RFC 6901, RFC 3986) */
  private static String pointerToken(String name) {
    String token = name.replace("~", "~0").replace("/", "~1");
    return URLEncoder.encode(token, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
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
