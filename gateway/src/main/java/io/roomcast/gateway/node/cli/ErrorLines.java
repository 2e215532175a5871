package io.roomcast.gateway.node.cli;

/**
 * How a command words the one line it prints on standard error when it stops: a usage error
 * (exit code 2) or a failure with its own exit code. Implemented by a command's picocli object;
 * its subcommands use the nearest one above them.
 */
public interface ErrorLines {

  /**
   * @param reason what is wrong with the command line, e.g. {@code --port needs a value}
   * @return the line to print
   */
  String usage(String reason);

  /**
   * @param reason why the command failed
   * @return the line to print
   */
  String failure(String reason);
}
