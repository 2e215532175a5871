package io.roomcast.gateway.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Options' defaults from environment variables: an option missing from the command line takes
 * its variable's value, so that a flag overrides the environment. The environment is a map, not
 * {@code System.getenv()}, so that tests give their own.
 *
 * <p>A variable's value goes through the option's converter here, and a bad one is a usage error
 * that names the variable ({@code ROOMCAST_PORT must be an integer, got "x"}), not the option it
 * stands in for. The variables are listed in the command's help by {@link #addHelpSection}.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {

  private record Binding(String variable, UnaryOperator<String> value, String note) {
  }

  private final Map<String, String> env;
  private final Map<String, List<Binding>> bindings = new LinkedHashMap<>();
  private final Map<String, String> withoutOption = new LinkedHashMap<>();

  /** @param env the environment */
  public EnvironmentDefaults(Map<String, String> env) {
    this.env = env;
  }

  /**
   * @param option an option's longest name, {@code --port}
   * @param variable the variable that gives its default, {@code ROOMCAST_PORT}
   * @return this
   */
  public EnvironmentDefaults bind(String option, String variable) {
    return bind(option, variable, UnaryOperator.identity(), null);
  }

  /**
   * Binds one more variable to an option: the first variable that is set and gives a value wins.
   *
   * @param option an option's longest name
   * @param variable a variable
   * @param value makes the option's value from the variable's, or {@code null} to pass to the next variable
   * @param note how the value is made, for the help ({@code as http://127.0.0.1:PORT})
   * @return this
   */
  public EnvironmentDefaults bind(String option, String variable, UnaryOperator<String> value, String note) {
    bindings.computeIfAbsent(option, o -> new ArrayList<>()).add(new Binding(variable, value, note));
    return this;
  }

  /**
   * Lists, in the help only, a variable that the command reads without an option.
   *
   * @param variable the variable
   * @param description what it sets
   * @return this
   */
  public EnvironmentDefaults describe(String variable, String description) {
    withoutOption.put(variable, description);
    return this;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!arg.isOption() || arg.scopeType() == ScopeType.LOCAL && subcommandRuns(arg)) {
      return null;
    }
    for (Binding binding : bindings.getOrDefault(((OptionSpec) arg).longestName(), List.of())) {
      String value = valueOf(binding);
      if (value != null) {
        check(arg, binding.variable(), value);
        return value;
      }
    }
    return null;
  }

  /**
   * @param option an option's longest name
   * @return the variable that gives its default now, or {@code null}
   */
  public String variableFor(String option) {
    for (Binding binding : bindings.getOrDefault(option, List.of())) {
      if (valueOf(binding) != null) {
        return binding.variable();
      }
    }
    return null;
  }

  /**
   * A command's own options go unused when one of its subcommands runs (the node's flags under
   * {@code admin}): their variables are not read, so a bad one does not stop that subcommand.
   */
  private static boolean subcommandRuns(ArgSpec arg) {
    ParseResult parsed = arg.command().commandLine().getParseResult();
    return parsed != null && parsed.hasSubcommand();
  }

  private String valueOf(Binding binding) {
    String raw = env.get(binding.variable());
    return raw == null ? null : binding.value().apply(raw);
  }

  private static void check(ArgSpec arg, String variable, String value) {
    for (ITypeConverter<?> converter : arg.converters()) {
      try {
        converter.convert(value);
      } catch (Exception e) {
        // No cause: the message is whole, and must not be reworded as the option's own.
        throw new ParameterException(arg.command().commandLine(), variable + " " + e.getMessage(), arg, value);
      }
    }
  }

  /**
   * Adds an "Environment:" section to the command's help, before its exit codes: each variable
   * with the option it stands in for, or what it sets.
   *
   * @param commandLine the command the variables are for
   */
  public void addHelpSection(CommandLine commandLine) {
    HelpSections.insert(commandLine, "environment", UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING, help -> {
      List<String[]> rows = new ArrayList<>();
      bindings.forEach((option, list) -> list.forEach(b -> rows.add(new String[] {b.variable(), b.note() == null ? option
        : option + " (" + b.note() + ")"})));
      withoutOption.forEach((variable, description) -> rows.add(new String[] {variable, description}));
      return String.format("%nEnvironment:%n") + HelpSections.table(help, rows);
    });
  }
}
