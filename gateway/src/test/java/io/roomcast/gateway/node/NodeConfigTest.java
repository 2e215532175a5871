package io.roomcast.gateway.node;

import io.roomcast.gateway.HistoryOptions;
import io.roomcast.gateway.HubOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node's configuration keys for operations: sources, precedence and the messages that name what is wrong. */
class NodeConfigTest {

  private static final String TOKEN = "a-token-of-enough-length";

  private static NodeOptions load(Map<String, String> env, String... args) {
    return NodeConfig.load(args, env).options();
  }

  private static String refused(Map<String, String> env, String... args) {
    return assertThrows(IllegalArgumentException.class, () -> NodeConfig.load(args, env)).getMessage();
  }

  @Test
  void managementHostTokenAndDrainTimeoutComeFromFlagsEnvironmentOrFile(@TempDir Path dir) throws IOException {
    Path conf = Files.writeString(dir.resolve("c.json"), "{\"drainTimeout\":3000,\"managementToken\":\"" + TOKEN + "\",\"managementHost\":\"localhost\"}");
    NodeOptions fromFile = load(Map.of(), "--conf", conf.toString());
    assertEquals(3000, fromFile.getDrainTimeout());
    assertEquals(TOKEN, fromFile.getManagementToken());
    assertEquals("localhost", fromFile.getManagementHost());

    NodeOptions fromEnv = load(Map.of("ROOMCAST_CONF", conf.toString(), "ROOMCAST_DRAIN_TIMEOUT", "4000",
      "ROOMCAST_MANAGEMENT_TOKEN", TOKEN + "-env", "ROOMCAST_MANAGEMENT_HOST", "127.0.0.1", "ROOMCAST_REQUEST_TIMEOUT", "500"));
    assertEquals(4000, fromEnv.getDrainTimeout());
    assertEquals(TOKEN + "-env", fromEnv.getManagementToken());
    assertEquals("127.0.0.1", fromEnv.getManagementHost());
    assertEquals(500, fromEnv.getGateway().getRequestTimeout());

    NodeOptions fromFlags = load(Map.of("ROOMCAST_DRAIN_TIMEOUT", "4000"), "--drain-timeout", "5000", "--management-host=::1");
    assertEquals(5000, fromFlags.getDrainTimeout());
    assertEquals("::1", fromFlags.getManagementHost());
    assertEquals(NodeOptions.DEFAULT_DRAIN_TIMEOUT, load(Map.of()).getDrainTimeout());
    assertNull(load(Map.of("ROOMCAST_MANAGEMENT_TOKEN", "")).getManagementToken(), "an empty variable is no token");
  }

  @Test
  void theConfFileNestsTheNodesKeysAndStillReadsTheOldSpellingWithANotice(@TempDir Path dir) throws IOException {
    Path nested = Files.writeString(dir.resolve("nested.json"), "{\"node\":{\"drainTimeout\":3000,\"managementPort\":9001},\"port\":9000}");
    NodeConfig fromSection = NodeConfig.load(new String[] {"--conf", nested.toString()}, Map.of());
    assertEquals(3000, fromSection.options().getDrainTimeout());
    assertEquals(9001, fromSection.options().getManagementPort());
    assertEquals(9000, fromSection.options().getGateway().getPort());
    assertEquals(List.of(), fromSection.notices());

    Path old = Files.writeString(dir.resolve("old.json"), "{\"drainTimeout\":3000,\"managementPort\":9001,\"port\":9000}");
    NodeConfig fromAlias = NodeConfig.load(new String[] {"--conf", old.toString()}, Map.of());
    assertEquals(fromSection.options(), fromAlias.options());
    assertEquals(1, fromAlias.notices().size(), fromAlias.notices().toString());
    String notice = fromAlias.notices().get(0);
    assertTrue(notice.contains("\"drainTimeout\", \"managementPort\" at the top level are deprecated")
      && notice.contains("into the \"node\" section"), notice);

    Path typo = Files.writeString(dir.resolve("typo.json"), "{\"node\":{\"drainTimout\":3000}}");
    String refused = refused(Map.of(), "--conf", typo.toString());
    assertTrue(refused.startsWith("--conf " + typo + ": unknown option \"node.drainTimout\""), refused);
  }

  @Test
  void withoutAConfFileTheDefaultHubKeepsHistoryAndPresenceOfEveryRoomAndAConfFileDecidesForItself(@TempDir Path dir) throws IOException {
    HubOptions byDefault = load(Map.of()).getGateway().getHubs().get(0);
    assertEquals("default", byDefault.getName());
    assertEquals(List.of(DefaultHub.HISTORY_ROOMS), byDefault.getHistory().stream().map(HistoryOptions::getRoom).toList());
    assertEquals(List.of(DefaultHub.PRESENCE_ROOMS), byDefault.getPresence());
    Path conf = Files.writeString(dir.resolve("c.json"), "{\"hubs\":[{\"name\":\"default\",\"path\":\"/ws\"}]}");
    HubOptions configured = load(Map.of(), "--conf", conf.toString()).getGateway().getHubs().get(0);
    assertEquals(List.of(), configured.getHistory());
    assertEquals(List.of(), configured.getPresence());
  }

  @Test
  void aManagementPortReachableFromOtherMachinesNeedsAToken() {
    String message = refused(Map.of(), "--management-host", "0.0.0.0");
    assertTrue(message.contains("managementHost 0.0.0.0") && message.contains("managementToken"), message);
    assertEquals("0.0.0.0", load(Map.of("ROOMCAST_MANAGEMENT_TOKEN", TOKEN), "--management-host", "0.0.0.0").getManagementHost());
    // The same rule holds for a node made in code.
    assertThrows(IllegalArgumentException.class, () -> new RoomcastNode(new NodeOptions().setManagementHost("0.0.0.0")));
  }

  @Test
  void theManagementApiIsNeverOnTheWebSocketPort() {
    String message = refused(Map.of(), "--port", "9000", "--management-port", "9000");
    assertTrue(message.contains("managementPort must differ from port"), message);
    load(Map.of(), "--port", "0", "--management-port", "0");
  }

  @Test
  void badValuesAreRefusedNamingTheirSourceAndNeverQuotingTheToken() {
    String shortToken = "short";
    String env = refused(Map.of("ROOMCAST_MANAGEMENT_TOKEN", shortToken));
    assertTrue(env.startsWith("ROOMCAST_MANAGEMENT_TOKEN: managementToken must be at least 16 characters"), env);
    assertFalse(env.contains(shortToken), env);
    String spaced = "sixteen chars with spaces";
    String withSpace = refused(Map.of("ROOMCAST_MANAGEMENT_TOKEN", spaced));
    assertTrue(withSpace.contains("visible ASCII"), withSpace);
    assertFalse(withSpace.contains(spaced), withSpace);
    assertTrue(refused(Map.of("ROOMCAST_DRAIN_TIMEOUT", "soon")).contains("ROOMCAST_DRAIN_TIMEOUT must be an integer"));
    assertTrue(refused(Map.of("ROOMCAST_DRAIN_TIMEOUT", "5")).contains("ROOMCAST_DRAIN_TIMEOUT: drainTimeout must be 100 to 600000 ms"));
    assertTrue(refused(Map.of(), "--drain-timeout", "0").contains("--drain-timeout: drainTimeout must be"));
    assertTrue(refused(Map.of("ROOMCAST_PORT", "70000")).startsWith("ROOMCAST_PORT: port must be 0 to 65535"));
    assertTrue(refused(Map.of(), "--log-level", "LOUD").contains("--log-level must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF"));
    assertTrue(refused(Map.of("ROOMCAST_LOG_LEVEL", "chatty")).contains("ROOMCAST_LOG_LEVEL must be one of"));
  }

  @Test
  void theLogLevelComesFromTheFlagOrTheEnvironment() {
    assertNull(NodeConfig.load(new String[0], Map.of()).logLevel());
    assertEquals("DEBUG", NodeConfig.load(new String[0], Map.of("ROOMCAST_LOG_LEVEL", "debug")).logLevel());
    assertEquals("WARN", NodeConfig.load(new String[] {"--log-level", "warn"}, Map.of("ROOMCAST_LOG_LEVEL", "debug")).logLevel());
  }

  @Test
  void newOptionsRoundTripThroughJson() {
    NodeOptions options = new NodeOptions().setDrainTimeout(1234).setManagementToken(TOKEN);
    assertEquals(options, new NodeOptions(options.toJson()));
    String typo = assertThrows(IllegalArgumentException.class,
      () -> new NodeOptions(new io.vertx.core.json.JsonObject().put("drainTimout", 1))).getMessage();
    assertTrue(typo.contains("unknown option \"drainTimout\""), typo);
  }
}
