package io.roomcast.gateway.node.admin;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin commands' command line, without a node: commands, operands, options, defaults, help and usage errors. */
class AdminCommandLineTest {

  /** A command line read, not run: the command chosen, its operands, and the admin options' values. */
  private record Parsed(String command, List<Object> operands, CommandSpec admin) {
    Object option(String name) {
      return admin.findOption(name).getValue();
    }
  }

  /** What a command printed and returned. */
  private record Run(int exit, String out, String err) {
  }

  private static Parsed parse(Map<String, String> env, String... args) {
    CommandLine commandLine = AdminCommand.commandLine(env);
    ParseResult command = commandLine.parseArgs(args).subcommand();
    List<Object> operands = new ArrayList<>();
    command.matchedPositionals().forEach(p -> operands.add(p.getValue()));
    return new Parsed(command.commandSpec().name(), operands, commandLine.getCommandSpec());
  }

  private static Parsed parse(String... args) {
    return parse(Map.of(), args);
  }

  private static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = AdminCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void refused(String expectedInMessage, String... args) {
    refused(Map.of(), expectedInMessage, args);
  }

  private static void refused(Map<String, String> env, String expectedInMessage, String... args) {
    Run run = run(env, args);
    assertEquals(AdminCommand.USAGE, run.exit(), run.toString());
    assertTrue(run.err().startsWith("roomcast admin: ") && run.err().contains(expectedInMessage),
      "expected \"" + expectedInMessage + "\" in: " + run.err());
    assertTrue(run.err().endsWith("(see: admin --help)\n"), run.err());
    assertEquals(1, run.err().lines().count(), "one line: " + run.err());
    assertEquals("", run.out());
  }

  @Test
  void defaultsAreTheLocalManagementPortNoTokenTheDefaultHubAndTables() {
    Parsed p = parse("nodes");
    assertEquals("nodes", p.command());
    assertEquals(URI.create("http://127.0.0.1:8081"), p.option("--url"));
    assertNull(p.option("--token"));
    assertNull(p.option("--hub"));
    assertEquals(false, p.option("--json"));
    assertEquals(Duration.ofMillis(AdminCommand.DEFAULT_TIMEOUT_MS), p.option("--timeout"));
  }

  @Test
  void optionsComeAnywhereWithOrWithoutEquals() {
    Parsed p = parse("--json", "rooms", "--url=http://10.0.0.5:9081/", "lobby", "--hub", "chat", "--token", "s3cret-s3cret-s3cret", "--timeout=2500");
    assertEquals("rooms", p.command());
    assertEquals(List.of("lobby"), p.operands());
    assertEquals(URI.create("http://10.0.0.5:9081"), p.option("--url"));
    assertEquals("chat", p.option("--hub"));
    assertEquals("s3cret-s3cret-s3cret", p.option("--token"));
    assertEquals(true, p.option("--json"));
    assertEquals(Duration.ofMillis(2500), p.option("--timeout"));
  }

  @Test
  void theEnvironmentGivesTheUrlAndTheTokenUnlessOptionsDo() {
    Map<String, String> env = Map.of("ROOMCAST_ADMIN_URL", "http://127.0.0.1:9999", "ROOMCAST_MANAGEMENT_TOKEN", "from-the-environment");
    Parsed a = parse(env, "stats");
    assertEquals(URI.create("http://127.0.0.1:9999"), a.option("--url"));
    assertEquals("from-the-environment", a.option("--token"));
    Parsed b = parse(env, "stats", "--url", "http://127.0.0.1:1", "--token", "from-the-flag");
    assertEquals(URI.create("http://127.0.0.1:1"), b.option("--url"));
    assertEquals("from-the-flag", b.option("--token"));
    // The node's own variable names its management port; an empty token variable is no token.
    assertEquals(URI.create("http://127.0.0.1:9081"), parse(Map.of("ROOMCAST_MANAGEMENT_PORT", "9081"), "stats").option("--url"));
    assertNull(parse(Map.of("ROOMCAST_MANAGEMENT_TOKEN", ""), "stats").option("--token"));
    refused(Map.of("ROOMCAST_ADMIN_URL", "ftp://x"), "ROOMCAST_ADMIN_URL must be http://HOST:PORT", "stats");
  }

  @Test
  void publishAndSendTakeOptionalJsonData() {
    Parsed p = parse("publish", "lobby", "news", "{\"text\":\"hi\"}");
    assertEquals("publish", p.command());
    assertEquals(List.of("lobby", "news", new JsonData(new JsonObject().put("text", "hi"))), p.operands());
    // send takes [ID] EVENT [JSON] as words, read once it knows whether --user took the ID's place.
    assertEquals(List.of(List.of("abc.0.1", "dm", "\"just text\"")), parse("send", "abc.0.1", "dm", "\"just text\"").operands());
    assertEquals(List.of(List.of("dm", "null")), parse("send", "--user", "ann", "dm", "null").operands());
    assertEquals(List.of("lobby", "ping"), parse("publish", "lobby", "ping").operands(), "no data");
    assertEquals(List.of(List.of("id", "e", "-3")), parse("send", "id", "e", "-3").operands(), "a negative number is data, not an option");
  }

  @Test
  void aliasesOfOtherGatewaysAreAccepted() {
    assertEquals("rooms", parse("channels").command());
    assertEquals("list", parse("list").command());
    assertEquals("list", parse("hubs").command());
  }

  @Test
  void theHelpIsPicocliGeneratedAndListsEveryCommandWithItsArguments() {
    for (String[] args : List.of(new String[] {"--help"}, new String[] {"-h"}, new String[] {"help"})) {
      Run help = run(Map.of(), args);
      assertEquals(0, help.exit(), help.toString());
      assertEquals("", help.err());
      assertTrue(help.out().startsWith("Usage: admin [OPTIONS] COMMAND"), help.out());
      for (String line : List.of("kick [ID]", "presence ROOM", "user U", "publish ROOM EVENT [JSON]", "rooms, channels [ROOM]", "--url=URL", "--timeout=MS",
          "ROOMCAST_ADMIN_URL", "Exit codes:", "3   the node could not be reached")) {
        assertTrue(help.out().contains(line), "\"" + line + "\" in: " + help.out());
      }
    }
  }

  @Test
  void eachCommandHasItsOwnHelp() {
    for (String[] args : List.of(new String[] {"kick", "--help"}, new String[] {"help", "kick"}, new String[] {"--json", "kick", "-h"})) {
      Run help = run(Map.of(), args);
      assertEquals(0, help.exit(), help.toString());
      assertTrue(help.out().startsWith("Usage: admin kick [OPTIONS] [ID]"), help.out());
      assertTrue(help.out().contains("the client's id") && help.out().contains("--user=U") && help.out().contains("--url=URL"), help.out());
    }
  }

  @Test
  void badCommandLinesAreRefusedWithAOneLineReasonAndExitTwo() {
    refused("a command is needed");
    refused("unknown command \"nodez\"", "nodez");
    refused("kick needs a client ID or --user U, not both", "kick");
    refused("send takes arguments: [ID] EVENT [JSON], got 0", "send");
    refused("send needs ID EVENT [JSON]", "send", "news");
    refused("presence takes arguments: ROOM, got 0", "presence");
    refused("nodes takes no arguments, got 1: extra", "nodes", "extra");
    refused("rooms takes arguments: [ROOM], got 2", "rooms", "a", "b");
    refused("publish takes arguments: ROOM EVENT [JSON], got 1", "publish", "lobby");
    refused("JSON is not valid JSON", "publish", "lobby", "news", "{not json");
    refused("JSON is not valid JSON", "send", "id", "news", "bare words");
    refused("unknown option \"--jsn\"", "nodes", "--jsn");
    refused("--url needs a value", "nodes", "--url");
    refused("--url must be http://HOST:PORT", "nodes", "--url", "ftp://x");
    refused("--timeout must be a number", "nodes", "--timeout", "soon");
    refused("--timeout must be 1 to 600000", "nodes", "--timeout", "0");
    refused("--json takes no value", "nodes", "--json=yes");
    refused("--hub needs a name", "nodes", "--hub=");
    refused("unknown command \"nope\"", "help", "nope");
  }
}
