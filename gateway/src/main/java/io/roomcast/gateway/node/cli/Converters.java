package io.roomcast.gateway.node.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.List;
import java.util.Locale;

/**
 * The node's typed option values. A refusal's message is a reason that reads after the name of
 * the option or variable that gave the value: {@code --port} + {@code must be an integer, got "x"}.
 */
public final class Converters {

  /** The levels {@code --log-level} accepts. */
  public static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  private Converters() {
  }

  /**
   * @param text a whole number, spaces around it allowed
   * @return its value
   * @throws TypeConversionException "must be an integer, got ..."
   */
  public static long wholeNumber(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("must be an integer, got \"" + text + "\"");
    }
  }

  /** An {@code int}: a port. */
  public static final class IntValue implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      long value = wholeNumber(text);
      if (value != (int) value) {
        throw new TypeConversionException("must be an integer, got \"" + text + "\"");
      }
      return (int) value;
    }
  }

  /** A {@code long}: a duration in ms. */
  public static final class LongValue implements ITypeConverter<Long> {
    @Override
    public Long convert(String text) {
      return wholeNumber(text);
    }
  }

  /** {@code true} or {@code false}, nothing else: a variable that stands for a flag. */
  public static final class Flag implements ITypeConverter<Boolean> {
    @Override
    public Boolean convert(String text) {
      if (!text.equals("true") && !text.equals("false")) {
        throw new TypeConversionException("must be true or false, got \"" + text + "\"");
      }
      return Boolean.parseBoolean(text);
    }
  }

  /** A log level, in any case: one of {@link #LOG_LEVELS}, in capitals. */
  public static final class LogLevel implements ITypeConverter<String> {
    @Override
    public String convert(String text) {
      String level = text.trim().toUpperCase(Locale.ROOT);
      if (!LOG_LEVELS.contains(level)) {
        throw new TypeConversionException("must be one of " + String.join(", ", LOG_LEVELS) + ", got \"" + text + "\"");
      }
      return level;
    }
  }
}
