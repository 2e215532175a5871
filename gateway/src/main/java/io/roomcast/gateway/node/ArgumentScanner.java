package io.roomcast.gateway.node;

import java.util.function.Function;

/**
 * Walks a command line of {@code --flag}, {@code --flag=value} and {@code --flag value}
 * arguments, so that every command of the jar reads its flags the same way and fails with the
 * same words.
 */
public final class ArgumentScanner {

  private final String[] args;
  private final Function<String, RuntimeException> usageError;
  private int next;
  private String current;
  private String name;
  private String inline;

  /**
   * @param args the command line
   * @param usageError makes the exception thrown for a usage error, from its message
   */
  public ArgumentScanner(String[] args, Function<String, RuntimeException> usageError) {
    this.args = args;
    this.usageError = usageError;
  }

  /** @return whether an argument is left */
  public boolean hasNext() {
    return next < args.length;
  }

  /**
   * Moves to the next argument.
   *
   * @return its name: the flag without an inline {@code =value}, or the argument itself
   */
  public String next() {
    current = args[next++];
    int eq = current.indexOf('=');
    if (current.startsWith("--") && eq > 0) {
      name = current.substring(0, eq);
      inline = current.substring(eq + 1);
    } else {
      name = current;
      inline = null;
    }
    return name;
  }

  /** @return the current argument as it was given */
  public String current() {
    return current;
  }

  /**
   * @return the current flag's value: the inline one, else the next argument
   * @throws RuntimeException (from the usage-error function) when there is none
   */
  public String value() {
    if (inline != null) {
      return inline;
    }
    if (next >= args.length || args[next].startsWith("--")) {
      throw usageError.apply(name + " needs a value");
    }
    return args[next++];
  }

  /**
   * @throws RuntimeException (from the usage-error function) when the current flag was given a value
   */
  public void noValue() {
    if (inline != null) {
      throw usageError.apply(name + " takes no value");
    }
  }
}
