package io.roomcast.gateway.node.cli;

/**
 * A command that failed for a reason fit for one line on standard error, with the exit code the
 * process ends with. Thrown from a command's body; {@link CommandLines} prints and maps it.
 */
public final class CommandFailure extends RuntimeException {

  private final int exitCode;

  /**
   * @param exitCode the process's exit code
   * @param message the one-line reason
   */
  public CommandFailure(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  /** @return the process's exit code */
  public int exitCode() {
    return exitCode;
  }
}
