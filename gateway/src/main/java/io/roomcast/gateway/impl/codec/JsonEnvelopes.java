package io.roomcast.gateway.impl.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.roomcast.gateway.DecodeResult;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.Position;
import io.roomcast.gateway.ErrorCode;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * The JSON envelope: one object per text frame (PROTOCOL.md, section 2). Decoding streams
 * through the text once and keeps {@code data} as the exact bytes the client sent, so that a
 * message is routed without building a tree of its payload.
 */
public final class JsonEnvelopes {

  private JsonEnvelopes() {
  }

  /**
   * @param text the UTF-8 content of a text frame
   * @return the envelope, or an error value carrying the request id when it could be read
   */
  public static DecodeResult decode(Buffer text) {
    byte[] bytes = text.getBytes();
    FieldReader fields = new FieldReader();
    try (JsonParser parser = Payloads.FACTORY.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return DecodeResult.failure(ErrorCode.BAD_REQUEST, "a frame must be a JSON object", null);
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        fields.read(name, parser, bytes);
      }
      if (parser.nextToken() != null) {
        return DecodeResult.failure(ErrorCode.BAD_REQUEST, "unexpected content after the JSON object", fields.id);
      }
    } catch (StreamConstraintsException e) {
      return DecodeResult.failure(ErrorCode.BAD_REQUEST, "JSON is nested too deeply or too large", fields.id);
    } catch (IOException | RuntimeException e) {
      return DecodeResult.failure(ErrorCode.BAD_REQUEST, "not valid JSON: " + firstLine(e.getMessage()), fields.id);
    }
    return fields.result(text);
  }

  /**
   * @param envelope an envelope
   * @return its JSON text; a binary payload that is not JSON becomes base64 with {@code "encoding":"base64"}
   */
  public static Buffer encode(Envelope envelope) {
    ByteArrayBuilder out = new ByteArrayBuilder(128);
    try (JsonGenerator gen = Payloads.FACTORY.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("event", envelope.event());
      Object id = envelope.id();
      if (id instanceof String) {
        gen.writeStringField("id", (String) id);
      } else if (id != null) {
        gen.writeNumberField("id", (Long) id);
      }
      if (envelope.room() != null) {
        gen.writeStringField("room", envelope.room());
      }
      if (envelope.to() != null) {
        gen.writeStringField("to", envelope.to());
      }
      if (envelope.from() != null) {
        gen.writeStringField("from", envelope.from());
      }
      if (envelope.since() != null) {
        gen.writeObjectFieldStart("since");
        gen.writeNumberField("offset", envelope.since().offset());
        gen.writeStringField("epoch", envelope.since().epoch());
        gen.writeEndObject();
      }
      if (envelope.key() != null) {
        gen.writeStringField("key", envelope.key());
      }
      Buffer payload = envelope.payload();
      if (payload != null) {
        gen.writeFieldName("data");
        if (!envelope.isBinaryPayload() || Payloads.isJson(payload)) {
          gen.writeRawValue(payload.toString());
        } else {
          gen.writeString(Base64.getEncoder().encodeToString(payload.getBytes()));
          gen.writeStringField("encoding", "base64");
        }
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** Collects the fields of one envelope; the first field error wins but reading goes on to find the id. */
  private static final class FieldReader {
    String event;
    String room;
    String channel;
    String to;
    Object id;
    Position since;
    String key;
    int dataStart = -1;
    int dataEnd = -1;
    String error;

    void read(String name, JsonParser parser, byte[] bytes) throws IOException {
      JsonToken token = parser.currentToken();
      switch (name) {
        case "event":
          event = string(token, parser, "event");
          break;
        case "room":
          room = string(token, parser, "room");
          break;
        case "channel":
          channel = string(token, parser, "channel");
          break;
        case "to":
          to = string(token, parser, "to");
          break;
        case "id":
          readId(token, parser);
          break;
        case "since":
          readSince(token, parser);
          break;
        case "key":
          key = string(token, parser, "key");
          if (key != null && (key.isEmpty() || key.length() > Names.MAX_KEY)) {
            fail("key must be 1-" + Names.MAX_KEY + " characters");
          }
          break;
        case "data":
          dataStart = (int) parser.currentTokenLocation().getByteOffset();
          if (token.isStructStart()) {
            parser.skipChildren();
            dataEnd = (int) parser.currentTokenLocation().getByteOffset() + 1;
          } else {
            parser.finishToken();
            dataEnd = (int) parser.currentLocation().getByteOffset();
          }
          break;
        default:
          // Unknown fields (and "from", which the server sets itself) are ignored.
          parser.skipChildren();
      }
    }

    private void readId(JsonToken token, JsonParser parser) throws IOException {
      if (token == JsonToken.VALUE_STRING) {
        String s = parser.getText();
        if (s.length() > Names.MAX_REQUEST_ID) {
          fail("id must be at most 64 characters");
        } else {
          id = s;
        }
      } else if (token == JsonToken.VALUE_NUMBER_INT) {
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          fail("id is out of the range of a 64-bit integer");
        } else {
          id = parser.getLongValue();
        }
      } else {
        parser.skipChildren();
        fail("id must be a string or an integer");
      }
    }

    /** Reads {@code {"offset":N,"epoch":"X"}}, N a whole number from 0, X 1-64 characters. */
    private void readSince(JsonToken token, JsonParser parser) throws IOException {
      if (token == JsonToken.VALUE_NULL) {
        return;
      }
      if (token != JsonToken.START_OBJECT) {
        parser.skipChildren();
        fail("since must be an object {\"offset\":N,\"epoch\":\"X\"}");
        return;
      }
      Long offset = null;
      String epoch = null;
      boolean bad = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("offset".equals(field) && value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
            && parser.getLongValue() >= 0) {
          offset = parser.getLongValue();
        } else if ("epoch".equals(field) && value == JsonToken.VALUE_STRING && !parser.getText().isEmpty()
            && parser.getText().length() <= Names.MAX_EPOCH) {
          epoch = parser.getText();
        } else {
          parser.skipChildren();
          bad = true;
        }
      }
      if (bad || offset == null || epoch == null) {
        fail("since must be {\"offset\":N,\"epoch\":\"X\"}: N a whole number from 0, X 1-" + Names.MAX_EPOCH + " characters");
      } else {
        since = new Position(offset, epoch);
      }
    }

    private String string(JsonToken token, JsonParser parser, String field) throws IOException {
      if (token == JsonToken.VALUE_STRING) {
        return parser.getText();
      }
      if (token != JsonToken.VALUE_NULL) {
        parser.skipChildren();
        fail(field + " must be a string");
      }
      return null;
    }

    private void fail(String message) {
      if (error == null) {
        error = message;
      }
    }

    DecodeResult result(Buffer text) {
      if (room != null && channel != null && !room.equals(channel)) {
        fail("room and channel are the same field and disagree");
      }
      if (error != null) {
        return DecodeResult.failure(ErrorCode.BAD_REQUEST, error, id);
      }
      if (event == null) {
        return DecodeResult.failure(ErrorCode.BAD_REQUEST, "event is required", id);
      }
      if (!Names.isEvent(event)) {
        return DecodeResult.failure(ErrorCode.BAD_REQUEST, "event must be 1-64 characters of [A-Za-z0-9._:-]", id);
      }
      Buffer payload = dataStart < 0 ? null : text.getBuffer(dataStart, dataEnd);
      Envelope envelope = Envelope.create(event, room != null ? room : channel, to, null, id, payload, false);
      if (since != null) {
        envelope = envelope.withSince(since);
      }
      return DecodeResult.success(key == null ? envelope : envelope.withKey(key));
    }
  }
}
