package io.roomcast.gateway.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MaxValuesExceededException;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints a usage error as one line on standard error, in the command's words ({@link ErrorLines}),
 * and exits 2. picocli's own messages are reworded where scripts and tests rely on the node's
 * earlier ones: {@code --port needs a value}, {@code --port must be an integer, got "x"},
 * {@code unknown option "--jsn"}, {@code kick takes arguments: ID, got 0}.
 */
public final class UsageErrors implements IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    commandLine.getErr().println(CommandLines.errorLines(commandLine).usage(describe(e, args)));
    commandLine.getErr().flush();
    return commandLine.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * @param e a usage error
   * @param args the command line
   * @return its one-line reason
   */
  public static String describe(ParameterException e, String[] args) {
    if (e instanceof UnmatchedArgumentException) {
      return unmatched((UnmatchedArgumentException) e);
    }
    if (e instanceof MissingParameterException) {
      return missing((MissingParameterException) e);
    }
    if (e instanceof MaxValuesExceededException) {
      return flagWithValue(e, args);
    }
    if (e.getCause() instanceof TypeConversionException && e.getArgSpec() != null) {
      return name(e.getArgSpec()) + " " + e.getCause().getMessage();
    }
    return e.getMessage();
  }

  private static String unmatched(UnmatchedArgumentException e) {
    String first = e.getUnmatched().get(0);
    CommandLine commandLine = e.getCommandLine();
    if (e.isUnknownOption()) {
      return "unknown option \"" + first + "\"";
    }
    if (!commandLine.getSubcommands().isEmpty()) {
      return "unknown command \"" + first + "\": " + commandNames(commandLine);
    }
    List<String> given = operands(commandLine);
    given.addAll(e.getUnmatched());
    return arguments(commandLine, given);
  }

  /**
   * @param commandLine a command with subcommands
   * @return their names, aliases left out: {@code health, kick or nodes}
   */
  public static String commandNames(CommandLine commandLine) {
    List<String> names = new ArrayList<>();
    commandLine.getSubcommands().forEach((name, sub) -> {
      if (sub.getCommandName().equals(name)) {
        names.add(name);
      }
    });
    String last = names.remove(names.size() - 1);
    return names.isEmpty() ? last : String.join(", ", names) + " or " + last;
  }

  private static String missing(MissingParameterException e) {
    ArgSpec first = e.getMissing().get(0);
    if (first.isOption()) {
      return name(first) + " needs a value";
    }
    return arguments(e.getCommandLine(), operands(e.getCommandLine()));
  }

  /** picocli names no option when a flag is given a value ({@code --json=yes}): find it among the arguments. */
  private static String flagWithValue(ParameterException e, String[] args) {
    for (String arg : args) {
      int eq = arg.indexOf('=');
      OptionSpec option = eq > 0 ? e.getCommandLine().getCommandSpec().findOption(arg.substring(0, eq)) : null;
      if (option != null && option.arity().max == 0) {
        return option.longestName() + " takes no value";
      }
    }
    return e.getMessage();
  }

  private static List<String> operands(CommandLine commandLine) {
    List<String> given = new ArrayList<>();
    ParseResult parsed = commandLine.getParseResult();
    if (parsed != null) {
      for (PositionalParamSpec positional : parsed.matchedPositionals()) {
        given.addAll(positional.originalStringValues());
      }
    }
    return given;
  }

  private static String arguments(CommandLine commandLine, List<String> given) {
    String operands = HelpSections.operands(commandLine.getCommandSpec());
    return commandLine.getCommandName() + " takes " + (operands.isEmpty() ? "no arguments" : "arguments: " + operands)
      + ", got " + given.size() + (given.isEmpty() ? "" : ": " + String.join(" ", given));
  }

  private static String name(ArgSpec arg) {
    return arg.isOption() ? ((OptionSpec) arg).longestName() : arg.paramLabel();
  }
}
