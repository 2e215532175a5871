package io.roomcast.gateway.node.admin;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin commands' command line, without a node: commands, operands, options, defaults and errors. */
class AdminArgsTest {

  private static AdminArgs parse(String... args) {
    return AdminArgs.parse(args, Map.of());
  }

  private static void refused(String expectedInMessage, String... args) {
    AdminArgs.UsageException e = assertThrows(AdminArgs.UsageException.class, () -> parse(args));
    assertTrue(e.getMessage().contains(expectedInMessage), "expected \"" + expectedInMessage + "\" in: " + e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void defaultsAreTheLocalManagementPortNoTokenTheDefaultHubAndTables() {
    AdminArgs a = parse("nodes");
    assertEquals(AdminArgs.Command.NODES, a.command());
    assertEquals("http://127.0.0.1:8081", a.url().toString());
    assertNull(a.token());
    assertNull(a.hub());
    assertFalse(a.json());
    assertEquals(AdminArgs.DEFAULT_TIMEOUT, a.timeout());
  }

  @Test
  void optionsComeAnywhereWithOrWithoutEquals() {
    AdminArgs a = parse("--json", "rooms", "--url=http://10.0.0.5:9081/", "lobby", "--hub", "chat", "--token", "s3cret-s3cret-s3cret", "--timeout=2500");
    assertEquals(AdminArgs.Command.ROOMS, a.command());
    assertEquals(List.of("lobby"), a.operands());
    assertEquals("http://10.0.0.5:9081", a.url().toString());
    assertEquals("chat", a.hub());
    assertEquals("s3cret-s3cret-s3cret", a.token());
    assertTrue(a.json());
    assertEquals(Duration.ofMillis(2500), a.timeout());
  }

  @Test
  void theEnvironmentGivesTheUrlAndTheTokenUnlessOptionsDo() {
    Map<String, String> env = Map.of("ROOMCAST_ADMIN_URL", "http://127.0.0.1:9999", "ROOMCAST_MANAGEMENT_TOKEN", "from-the-environment");
    AdminArgs a = AdminArgs.parse(new String[] {"stats"}, env);
    assertEquals("http://127.0.0.1:9999", a.url().toString());
    assertEquals("from-the-environment", a.token());
    AdminArgs b = AdminArgs.parse(new String[] {"stats", "--url", "http://127.0.0.1:1", "--token", "from-the-flag"}, env);
    assertEquals("http://127.0.0.1:1", b.url().toString());
    assertEquals("from-the-flag", b.token());
    // The node's own variable names its management port.
    assertEquals("http://127.0.0.1:9081", AdminArgs.parse(new String[] {"stats"}, Map.of("ROOMCAST_MANAGEMENT_PORT", "9081")).url().toString());
  }

  @Test
  void publishAndSendTakeOptionalJsonData() {
    AdminArgs p = parse("publish", "lobby", "news", "{\"text\":\"hi\"}");
    assertEquals(AdminArgs.Command.PUBLISH, p.command());
    assertEquals(List.of("lobby", "news"), p.operands());
    assertTrue(p.hasData());
    assertEquals(new JsonObject().put("text", "hi"), p.data());
    AdminArgs s = parse("send", "abc.0.1", "dm", "\"just text\"");
    assertEquals("just text", s.data());
    AdminArgs none = parse("publish", "lobby", "ping");
    assertFalse(none.hasData());
    assertEquals(-3, ((Number) parse("send", "id", "e", "-3").data()).intValue(), "a negative number is data, not an option");
  }

  @Test
  void aliasesOfOtherGatewaysAreAccepted() {
    assertEquals(AdminArgs.Command.ROOMS, parse("channels").command());
    assertEquals(AdminArgs.Command.LIST, parse("list").command());
    assertEquals(AdminArgs.Command.LIST, parse("hubs").command());
  }

  @Test
  void helpIsAskedForInThreeWays() {
    for (String[] args : List.of(new String[] {"--help"}, new String[] {"-h"}, new String[] {"help"}, new String[] {"kick", "--help"})) {
      AdminArgs.HelpRequested help = assertThrows(AdminArgs.HelpRequested.class, () -> parse(args));
      assertTrue(help.getMessage().contains("publish ROOM EVENT [JSON]"), help.getMessage());
    }
  }

  @Test
  void badCommandLinesAreRefusedWithAOneLineReason() {
    refused("a command is needed");
    refused("unknown command \"nodez\"", "nodez");
    refused("kick takes arguments: ID, got 0", "kick");
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
  }

  @Test
  void tablesAlignNumbersAndFormatDurationsAndBytes() {
    Tables.Table t = new Tables.Table("NAME", "COUNT");
    t.row("a", 5);
    t.row("longer", 12345);
    assertEquals("NAME    COUNT\na           5\nlonger  12345\n", t.toString());
    assertEquals("59s", Tables.duration(59_999));
    assertEquals("1m01s", Tables.duration(61_000));
    assertEquals("2h03m", Tables.duration((2 * 3600 + 3 * 60) * 1000L));
    assertEquals("1d01h", Tables.duration((25 * 3600) * 1000L));
    assertEquals("512 B", Tables.bytesText(512));
    assertEquals("1.5 KiB", Tables.bytesText(1536));
    assertEquals("2.0 MiB", Tables.bytes(2L * 1024 * 1024).toString());
  }
}
