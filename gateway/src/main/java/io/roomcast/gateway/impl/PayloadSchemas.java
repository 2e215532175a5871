package io.roomcast.gateway.impl;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.SchemaOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.Validator;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks client events' data against the hub's {@code schemas} (SchemaOptions): the first rule
 * whose pattern matches the event decides. Validators keep lookups of their own, so each event
 * loop gets its own set, made on its first use.
 */
final class PayloadSchemas {

  /** The longest validator message passed on to a client. */
  static final int MAX_MESSAGE = 300;

  private final List<RoomPattern> patterns = new ArrayList<>();
  private final List<SchemaOptions> rules;
  private final ThreadLocal<Validator[]> validators;

  PayloadSchemas(HubOptions options) {
    this.rules = options.getSchemas();
    rules.forEach(r -> patterns.add(RoomPattern.compile(r.getEvents())));
    this.validators = ThreadLocal.withInitial(() -> rules.stream().map(SchemaOptions::validator).toArray(Validator[]::new));
  }

  /**
   * @return why the envelope's data does not match its event's schema, or {@code null} when it
   *     does or none applies; the payload is decoded only when a schema applies (a publish to a
   *     room without one costs nothing here)
   */
  String problem(Envelope envelope) {
    String event = envelope.event();
    for (int i = 0; i < patterns.size(); i++) {
      if (patterns.get(i).matches(event)) {
        return check(i, event, envelope.payload() == null ? null : envelope.data());
      }
    }
    return null;
  }

  private String check(int rule, String event, Object data) {
    String pattern = rules.get(rule).getEvents();
    if (data instanceof Buffer) {
      return "\"" + event + "\" takes JSON data that matches the schema of \"" + pattern + "\", not binary data";
    }
    OutputUnit result;
    try {
      result = validators.get()[rule].validate(data);
    } catch (SchemaException e) {
      return "the data of \"" + event + "\" could not be checked against the schema of \"" + pattern + "\": " + e.getMessage();
    }
    if (Boolean.TRUE.equals(result.getValid())) {
      return null;
    }
    OutputUnit first = result.getErrors() == null || result.getErrors().isEmpty() ? result : result.getErrors().get(0);
    String where = first.getInstanceLocation() == null || first.getInstanceLocation().isEmpty() ? "data"
      : "data" + first.getInstanceLocation().replaceFirst("^#", "");
    String message = "the data of \"" + event + "\" does not match the schema of \"" + pattern + "\": " + where + ": "
      + (first.getError() == null ? "invalid" : first.getError());
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...";
  }
}
