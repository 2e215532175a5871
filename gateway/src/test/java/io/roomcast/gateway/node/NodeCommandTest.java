package io.roomcast.gateway.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar's command line as main runs it, without starting a node: the launcher receives the
 * configuration; help, usage errors and the admin subcommand print and exit as the operator sees.
 */
class NodeCommandTest {

  /** What the command line printed and returned, and what it launched. */
  private record Run(int exit, String out, String err, List<NodeConfig> launched) {
  }

  private static Run run(Map<String, String> env, String... args) {
    List<NodeConfig> launched = new ArrayList<>();
    NodeCommand command = new NodeCommand(env, launched::add);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = command.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    assertEquals(!launched.isEmpty(), command.launched());
    return new Run(exit, out.toString(), err.toString(), launched);
  }

  private static void assertRefused(Run run, String line) {
    assertEquals(2, run.exit(), run.toString());
    assertEquals(line + "\n", run.err());
    assertEquals("", run.out());
    assertTrue(run.launched().isEmpty(), "launched " + run.launched());
  }

  @Test
  void theHelpIsGeneratedFromTheOptionsAndListsTheVariablesAndTheAdminCommand() {
    Run help = run(Map.of(), "--help");
    assertEquals(0, help.exit());
    assertEquals("", help.err());
    assertTrue(help.launched().isEmpty());
    assertTrue(help.out().startsWith("Usage: java -jar roomcast-gateway.jar [OPTIONS] [COMMAND]"), help.out());
    for (String text : List.of("--port=N", "--host=H", "--management-port=N", "--management-host=H", "--conf=FILE", "--cluster ",
        "--cluster-config=NAME-or-PATH", "--drain-timeout=MS", "--warmup-connections=N", "--jit-nice=N", "--log-level=LEVEL", "-h, --help", "admin ",
        "ROOMCAST_PORT", "ROOMCAST_HOST", "ROOMCAST_MANAGEMENT_PORT", "ROOMCAST_MANAGEMENT_HOST", "ROOMCAST_MANAGEMENT_TOKEN",
        "ROOMCAST_CLUSTER ", "ROOMCAST_CLUSTER_CONFIG", "ROOMCAST_CONF", "ROOMCAST_DRAIN_TIMEOUT", "ROOMCAST_WARMUP_CONNECTIONS", "ROOMCAST_JIT_NICE", "ROOMCAST_REQUEST_TIMEOUT",
        "ROOMCAST_LOG_LEVEL", "2   a bad flag, variable or --conf file")) {
      assertTrue(help.out().contains(text), "\"" + text + "\" in: " + help.out());
    }
    assertEquals(help.out(), run(Map.of(), "-h").out());
  }

  @Test
  void theAdminCommandsHelpComesThroughTheNodesCommandLine() {
    Run help = run(Map.of(), "admin", "--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().startsWith("Usage: java -jar roomcast-gateway.jar admin [OPTIONS] COMMAND"), help.out());
    assertTrue(help.out().contains("kick [ID]"), help.out());
    Run kick = run(Map.of(), "admin", "kick", "--help");
    assertTrue(kick.out().startsWith("Usage: java -jar roomcast-gateway.jar admin kick [OPTIONS] [ID]"), kick.out());
    // The node's own variables are not read for an admin command, nor refused.
    assertEquals(0, run(Map.of("ROOMCAST_LOG_LEVEL", "chatty", "ROOMCAST_PORT", "x"), "admin", "--help").exit());
  }

  @Test
  void usageErrorsAreOneLineOnStandardErrorAndExitTwo() {
    assertRefused(run(Map.of(), "--prot", "8080"), "roomcast: unknown argument \"--prot\" (see --help)");
    assertRefused(run(Map.of(), "serve"), "roomcast: unknown argument \"serve\" (see --help)");
    assertRefused(run(Map.of(), "--port"), "roomcast: --port needs a value");
    assertRefused(run(Map.of(), "--port", "eighty"), "roomcast: --port must be an integer, got \"eighty\"");
    assertRefused(run(Map.of(), "--cluster=yes"), "roomcast: --cluster takes no value");
    assertRefused(run(Map.of("ROOMCAST_CLUSTER", "yes")), "roomcast: ROOMCAST_CLUSTER must be true or false, got \"yes\"");
    assertRefused(run(Map.of(), "admin", "kick"), "roomcast admin: kick needs a client ID or --user U, not both (see: admin --help)");
  }

  @Test
  void aConfigurationTheNodeCannotRunOnIsAUsageErrorNamingItsSource(@TempDir Path dir) throws IOException {
    assertRefused(run(Map.of(), "--port", "70000"), "roomcast: --port: port must be 0 to 65535, got 70000");
    assertRefused(run(Map.of("ROOMCAST_DRAIN_TIMEOUT", "5")), "roomcast: ROOMCAST_DRAIN_TIMEOUT: drainTimeout must be 100 to 600000 ms, got 5");
    assertRefused(run(Map.of("ROOMCAST_WARMUP_CONNECTIONS", "-1")),
      "roomcast: ROOMCAST_WARMUP_CONNECTIONS: warmupConnections must be 0 to 100000 connections, got -1");
    assertRefused(run(Map.of(), "--warmup-connections", "100001"),
      "roomcast: --warmup-connections: warmupConnections must be 0 to 100000 connections, got 100001");
    assertRefused(run(Map.of(), "--warmup-connections", "many"), "roomcast: --warmup-connections must be an integer, got \"many\"");
    assertRefused(run(Map.of("ROOMCAST_JIT_NICE", "-5")), "roomcast: ROOMCAST_JIT_NICE: jitNice must be 0 to 19, got -5");
    assertRefused(run(Map.of(), "--jit-nice", "20"), "roomcast: --jit-nice: jitNice must be 0 to 19, got 20");
    assertRefused(run(Map.of(), "--jit-nice", "low"), "roomcast: --jit-nice must be an integer, got \"low\"");
    Path typo = Files.writeString(dir.resolve("typo.json"), "{\"node\":{\"managementPrt\":1}}");
    Run refused = run(Map.of(), "--conf", typo.toString());
    assertEquals(2, refused.exit());
    assertTrue(refused.err().startsWith("roomcast: --conf " + typo + ": unknown option \"node.managementPrt\""), refused.err());
  }

  @Test
  void theLauncherGetsFlagsOverTheEnvironmentOverTheFile(@TempDir Path dir) throws IOException {
    Path conf = Files.writeString(dir.resolve("conf.json"),
      "{\"port\":1,\"host\":\"127.0.0.1\",\"node\":{\"managementPort\":2,\"drainTimeout\":3000,\"cluster\":true}}");
    Run run = run(Map.of("ROOMCAST_CONF", conf.toString(), "ROOMCAST_PORT", "3", "ROOMCAST_MANAGEMENT_PORT", "4", "ROOMCAST_CLUSTER", "false"),
      "--port", "5", "--log-level", "debug");
    assertEquals(0, run.exit(), run.toString());
    assertEquals("", run.err());
    NodeOptions options = run.launched().get(0).options();
    assertEquals(5, options.getGateway().getPort(), "the flag over the variable over the file");
    assertEquals(4, options.getManagementPort(), "the variable over the file");
    assertFalse(options.isCluster(), "ROOMCAST_CLUSTER=false over the file's true");
    assertEquals("127.0.0.1", options.getGateway().getHost(), "the file over the default");
    assertEquals(3000, options.getDrainTimeout());
    assertEquals("DEBUG", run.launched().get(0).logLevel());
    assertTrue(run(Map.of(), "--cluster").launched().get(0).options().isCluster());
  }

  @Test
  void aNodeThatCannotBeLaunchedOnItsConfigurationExitsTwo() {
    NodeCommand command = new NodeCommand(Map.of(), config -> {
      throw new IllegalArgumentException("cluster configuration nowhere.xml: no such file");
    });
    StringWriter err = new StringWriter();
    int exit = command.commandLine().setErr(new PrintWriter(err, true)).execute("--cluster", "--cluster-config", "nowhere.xml");
    assertEquals(2, exit);
    assertEquals("roomcast: cluster configuration nowhere.xml: no such file\n", err.toString());
    assertFalse(command.launched());
  }
}
