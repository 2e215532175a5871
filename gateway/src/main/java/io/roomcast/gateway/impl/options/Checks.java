package io.roomcast.gateway.impl.options;

/**
 * The argument checks of the options classes' setters, in the manner of Vert.x's
 * {@code Arguments.require}: each throws an {@code IllegalArgumentException} whose message names
 * the option and the value it got, so that every options class words its refusals the same way.
 */
public final class Checks {

  private Checks() {
  }

  /**
   * @param condition what must hold
   * @param message the message when it does not
   * @throws IllegalArgumentException with {@code message} unless {@code condition}
   */
  public static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * @return {@code value}
   * @throws IllegalArgumentException "NAME must not be empty" when it is null or blank
   */
  public static String notBlank(String name, String value) {
    require(value != null && !value.isBlank(), name + " must not be empty");
    return value;
  }

  /**
   * @return {@code value}
   * @throws IllegalArgumentException "NAME must be at least MIN, got VALUE" when it is below {@code min}
   */
  public static int atLeast(String name, int value, int min) {
    return (int) atLeast(name, value, min, null);
  }

  /**
   * @return {@code value}
   * @throws IllegalArgumentException "NAME must be at least MIN, got VALUE" when it is below {@code min}
   */
  public static long atLeast(String name, long value, long min) {
    return atLeast(name, value, min, null);
  }

  /**
   * @param unit the unit named after {@code min} ({@code "ms"}), or {@code null}
   * @return {@code value}
   * @throws IllegalArgumentException "NAME must be at least MIN UNIT, got VALUE" when it is below {@code min}
   */
  public static long atLeast(String name, long value, long min, String unit) {
    require(value >= min, name + " must be at least " + min + unit(unit) + ", got " + value);
    return value;
  }

  /**
   * @return {@code value}
   * @throws IllegalArgumentException "NAME must be MIN to MAX, got VALUE" when it is outside
   */
  public static int between(String name, int value, int min, int max) {
    return (int) between(name, value, min, max, null);
  }

  /**
   * @param unit the unit named after {@code max} ({@code "ms"}, {@code "seconds"}), or {@code null}
   * @return {@code value}
   * @throws IllegalArgumentException "NAME must be MIN to MAX UNIT, got VALUE" when it is outside
   */
  public static long between(String name, long value, long min, long max, String unit) {
    require(value >= min && value <= max, name + " must be " + min + " to " + max + unit(unit) + ", got " + value);
    return value;
  }

  /**
   * Narrows an integer read from JSON (always a {@code long} there) to an {@code int} option.
   *
   * @return {@code value} as an int
   * @throws IllegalArgumentException when it does not fit
   */
  public static int toInt(long value) {
    require(value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE, "out of range: " + value);
    return (int) value;
  }

  private static String unit(String unit) {
    return unit == null ? "" : " " + unit;
  }
}
