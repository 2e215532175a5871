package io.roomcast.gateway.node.admin;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.URI;
import java.time.Duration;

/**
 * The admin commands' typed values. A refusal's message reads after the name of the option,
 * operand or variable that gave the value: {@code --timeout} + {@code must be 1 to 600000 ms, got 0}.
 */
final class AdminConverters {

  private AdminConverters() {
  }

  /** The management API's base URL, http or https, without a trailing slash. */
  static final class Url implements ITypeConverter<URI> {
    @Override
    public URI convert(String text) {
      String trimmed = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
      URI uri;
      try {
        uri = URI.create(trimmed);
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null || !"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new TypeConversionException("must be http://HOST:PORT or https://HOST:PORT, got " + text);
      }
      return uri;
    }
  }

  /** How long to wait for the node: whole ms, 1 to 600000. */
  static final class Timeout implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
      long ms;
      try {
        ms = Long.parseLong(text.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("must be a number of ms, got \"" + text + "\"");
      }
      if (ms < 1 || ms > 600_000) {
        throw new TypeConversionException("must be 1 to 600000 ms, got " + text);
      }
      return Duration.ofMillis(ms);
    }
  }

  /** A name that may not be blank: a hub's. */
  static final class Name implements ITypeConverter<String> {
    @Override
    public String convert(String text) {
      if (text.isBlank()) {
        throw new TypeConversionException("needs a name");
      }
      return text;
    }
  }

  /** Any JSON value; a string needs its quotes. */
  static final class Data implements ITypeConverter<JsonData> {
    @Override
    public JsonData convert(String text) {
      try {
        return new JsonData(Json.decodeValue(text));
      } catch (DecodeException e) {
        String reason = e.getMessage() == null ? "" : e.getMessage().split("\n", 2)[0];
        throw new TypeConversionException("is not valid JSON (a string needs quotes: '\"text\"'): " + reason);
      }
    }
  }
}
