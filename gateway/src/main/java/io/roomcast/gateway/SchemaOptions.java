package io.roomcast.gateway;

import io.roomcast.gateway.impl.options.Checks;
import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.Validator;

import java.util.Objects;
import java.util.Set;

/**
 * The JSON Schema (draft 2020-12) that the {@code data} of matching client events must match
 * (the hub option {@code schemas}, docs/PROTOCOL.md): an event whose data does not is refused
 * with {@code bad_request} and the validator's message, and goes nowhere. JSON form:
 * {@code {"events":"order.*","schema":{"type":"object","required":["item"]}}}.
 */
public class SchemaOptions {

  private static final Set<String> KEYS = Set.of("events", "schema");

  private final String events;
  private final JsonObject schema;

  /**
   * @param events the event pattern ({@code *} = any run of characters)
   * @param schema a JSON Schema, draft 2020-12; one the validator cannot use is refused here
   */
  public SchemaOptions(String events, JsonObject schema) {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(schema, "schema");
    Checks.require(!events.isEmpty(), "a schema's event pattern must not be empty");
    this.events = events;
    this.schema = schema.copy();
    validator();
  }

  /**
   * @param json the rule as JSON; unknown keys and wrong types are refused
   * @param where where it is in the configuration, for messages
   */
  static SchemaOptions fromJson(JsonObject json, String where) {
    JsonOptionsReader r = new JsonOptionsReader(json, where, KEYS);
    String events = r.string("events", null);
    JsonObject schema = r.object("schema");
    Checks.require(events != null, "option \"" + r.path("events") + "\" is required");
    Checks.require(schema != null, "option \"" + r.path("schema") + "\" is required");
    return new SchemaOptions(events, schema);
  }

  /** @return the event pattern */
  public String getEvents() {
    return events;
  }

  /** @return the schema (a copy) */
  public JsonObject getSchema() {
    return schema.copy();
  }

  /**
   * @return a validator of the schema, its errors flat (the basic output format)
   * @throws IllegalArgumentException when the validator cannot use the schema
   */
  public Validator validator() {
    try {
      Validator v = Validator.create(JsonSchema.of(schema.copy()), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
        .setBaseUri("https://roomcast.invalid/schemas/").setOutputFormat(OutputFormat.Basic));
      // A first use finds what compiling lets through (an unknown $ref, a keyword of the wrong type).
      v.validate(null);
      return v;
    } catch (SchemaException | IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException("the schema of \"" + events + "\" cannot be used: " + e.getMessage());
    }
  }

  /** @return these options as JSON */
  public JsonObject toJson() {
    return new JsonObject().put("events", events).put("schema", schema.copy());
  }
}
