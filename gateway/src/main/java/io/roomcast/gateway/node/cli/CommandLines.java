package io.roomcast.gateway.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.util.HashSet;
import java.util.Set;

/**
 * What every command line of the jar shares: usage errors and failures printed as one line in
 * the command's words, the last of a repeated option winning, arguments taken as they are
 * written (no {@code @file} expansion, no {@code ${...}} interpolation of values, which may be
 * JSON or tokens), and one layout of the help for every command and subcommand.
 */
public final class CommandLines {

  private static final ErrorLines PLAIN = new ErrorLines() {
    @Override
    public String usage(String reason) {
      return "roomcast: " + reason;
    }

    @Override
    public String failure(String reason) {
      return "roomcast: " + reason;
    }
  };

  private CommandLines() {
  }

  /**
   * Configures a command and the subcommands it has now.
   *
   * @param commandLine the command
   * @return {@code commandLine}
   */
  public static CommandLine configure(CommandLine commandLine) {
    layOut(commandLine, new HashSet<>());
    return commandLine
      .setParameterExceptionHandler(new UsageErrors())
      .setExecutionExceptionHandler((e, failed, parseResult) -> {
        if (!(e instanceof CommandFailure)) {
          throw e;
        }
        failed.getErr().println(errorLines(failed).failure(e.getMessage()));
        failed.getErr().flush();
        return ((CommandFailure) e).exitCode();
      })
      .setOverwrittenOptionsAllowed(true)
      .setExpandAtFiles(false)
      .setInterpolateVariables(false)
      .setUsageHelpLongOptionsMaxWidth(32);
  }

  /** Options in the order they are declared, the synopsis short, and a heading over each list. */
  private static void layOut(CommandLine commandLine, Set<CommandLine> done) {
    if (!done.add(commandLine)) {
      return;
    }
    CommandSpec spec = commandLine.getCommandSpec();
    UsageMessageSpec usage = spec.usageMessage().width(100).sortOptions(false).abbreviateSynopsis(true)
      .optionListHeading("%nOptions:%n");
    if (!spec.positionalParameters().isEmpty()) {
      usage.parameterListHeading("%nArguments:%n");
    }
    if (!commandLine.getSubcommands().isEmpty()) {
      usage.commandListHeading("%nCommands:%n");
    }
    commandLine.getSubcommands().values().forEach(sub -> layOut(sub, done));
  }

  /**
   * @param commandLine a command
   * @return how it, or the nearest command above it that says, words its error lines
   */
  static ErrorLines errorLines(CommandLine commandLine) {
    for (CommandLine c = commandLine; c != null; c = c.getParent()) {
      if (c.getCommand() instanceof ErrorLines) {
        return c.getCommand();
      }
    }
    return PLAIN;
  }
}
