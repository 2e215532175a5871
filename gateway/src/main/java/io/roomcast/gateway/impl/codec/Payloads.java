package io.roomcast.gateway.impl.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

import java.io.IOException;

/**
 * Conversions between payload bytes and values: what the API takes as {@code data}, what a
 * handler reads back, and whether opaque bytes happen to be JSON.
 */
public final class Payloads {

  /** Deeper JSON than this is refused: a guard against stack-hungry nesting attacks. */
  public static final int MAX_JSON_NESTING = 100;

  static final JsonFactory FACTORY = JsonFactory.builder()
    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_JSON_NESTING).build())
    .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
    .build();

  private Payloads() {
  }

  /**
   * @param data {@code null}, or any value Vert.x encodes as JSON
   * @return its UTF-8 JSON text, or {@code null} for {@code null}
   * @throws IllegalArgumentException when {@code data} cannot be encoded as JSON
   */
  public static Buffer jsonOf(Object data) {
    if (data == null) {
      return null;
    }
    try {
      return Json.encodeToBuffer(data);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("data cannot be encoded as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * @param payload payload bytes, or {@code null}
   * @param binary whether they are opaque bytes rather than JSON text
   * @return {@code null}, the decoded JSON value, or the bytes themselves when they are not JSON
   */
  public static Object toData(Buffer payload, boolean binary) {
    if (payload == null) {
      return null;
    }
    if (binary && !isJson(payload)) {
      return payload;
    }
    return Json.decodeValue(payload);
  }

  /**
   * @param bytes any bytes
   * @return {@code true} when they are exactly one JSON value in valid UTF-8
   */
  public static boolean isJson(Buffer bytes) {
    byte[] array = bytes.getBytes();
    if (array.length == 0 || !Utf8Validator.isValid(array)) {
      return false;
    }
    try (JsonParser parser = FACTORY.createParser(array)) {
      if (parser.nextToken() == null) {
        return false;
      }
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** @return the UTF-8 size of a string, without encoding it */
  public static int utf8Length(String s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          // A surrogate pair is 4 bytes for 2 chars.
          bytes += 2;
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }
}
