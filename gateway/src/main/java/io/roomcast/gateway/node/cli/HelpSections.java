package io.roomcast.gateway.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sections that picocli's generated help lacks: subcommands listed with their operands
 * ({@code kick ID}, {@code publish ROOM EVENT [JSON]}) rather than their names alone, and tables
 * of two columns for sections of a command's own.
 */
public final class HelpSections {

  private HelpSections() {
  }

  /**
   * @param spec a command
   * @return its operands as its synopsis shows them: {@code ROOM EVENT [JSON]}, {@code [ROOM]}, or empty
   */
  public static String operands(CommandSpec spec) {
    List<String> labels = new ArrayList<>();
    for (PositionalParamSpec positional : spec.positionalParameters()) {
      labels.add(positional.arity().min == 0 ? "[" + positional.paramLabel() + "]" : positional.paramLabel());
    }
    return String.join(" ", labels);
  }

  /** @return the list of a command's subcommands: names and aliases, operands, then the first line of the description */
  public static IHelpSectionRenderer commandList() {
    return help -> {
      List<String[]> rows = new ArrayList<>();
      for (Map.Entry<String, Help> entry : help.subcommands().entrySet()) {
        CommandSpec spec = entry.getValue().commandSpec();
        List<String> nameAndAliases = new ArrayList<>(List.of(spec.name()));
        nameAndAliases.addAll(List.of(spec.aliases()));
        String names = String.join(", ", nameAndAliases);
        String operands = operands(spec);
        String[] description = spec.usageMessage().description();
        rows.add(new String[] {operands.isEmpty() ? names : names + " " + operands, description.length == 0 ? "" : description[0]});
      }
      return rows.isEmpty() ? "" : table(help, rows);
    };
  }

  /**
   * @param help the help being rendered (for its width)
   * @param rows rows of two cells; the second wraps
   * @return the rows as a table indented by two, its second column aligned
   */
  public static String table(Help help, List<String[]> rows) {
    int first = 0;
    for (String[] row : rows) {
      first = Math.max(first, row[0].length());
    }
    first = Math.min(first, help.commandSpec().usageMessage().width() / 2) + 4;
    Help.TextTable table = Help.TextTable.forColumns(help.colorScheme(),
      new Column(first, 2, Column.Overflow.SPAN), new Column(help.commandSpec().usageMessage().width() - first, 0, Column.Overflow.WRAP));
    for (String[] row : rows) {
      table.addRowValues(row[0], row[1]);
    }
    return table.toString();
  }

  /**
   * Adds a section to a command's help, before another one.
   *
   * @param commandLine the command
   * @param key the new section's key
   * @param before the key of the section it goes before, e.g. {@link UsageMessageSpec#SECTION_KEY_FOOTER_HEADING}
   * @param renderer renders the section, heading included
   */
  public static void insert(CommandLine commandLine, String key, String before, IHelpSectionRenderer renderer) {
    commandLine.getHelpSectionMap().put(key, renderer);
    List<String> keys = new ArrayList<>(commandLine.getHelpSectionKeys());
    keys.add(keys.indexOf(before), key);
    commandLine.setHelpSectionKeys(keys);
  }
}
