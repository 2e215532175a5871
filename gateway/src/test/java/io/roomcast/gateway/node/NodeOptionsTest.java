package io.roomcast.gateway.node;

import io.roomcast.gateway.ClusterTlsOptions;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NodeOptions: the node's section of the JSON form, its deprecated top-level spelling, strict reading, validating setters. */
class NodeOptionsTest {

  private static final String TOKEN = "a-token-of-enough-length";

  private static void refused(String expectedInMessage, Executable executable) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
    assertTrue(e.getMessage() != null && e.getMessage().contains(expectedInMessage),
      () -> "message \"" + e.getMessage() + "\" does not contain \"" + expectedInMessage + "\"");
  }

  private static NodeOptions custom() {
    return new NodeOptions(new GatewayOptions().setPort(9000).setHubs(List.of(new HubOptions().setPath("/chat"))))
      .setManagementPort(9001).setManagementHost("localhost").setManagementToken(TOKEN).setDrainTimeout(2500)
      .setWarmupConnections(500).setJitNice(10)
      .setCluster(true).setClusterConfig("kubernetes")
      .setClusterTls(new ClusterTlsOptions().setKeyStore("node.p12").setTrustStore("ca.p12"));
  }

  @Test
  void theNodeSectionIsReadBesideTheGatewaysKeys() {
    NodeOptions options = new NodeOptions(new JsonObject()
      .put("node", new JsonObject().put("managementPort", 9081).put("drainTimeout", 4000).put("warmupConnections", 0).put("jitNice", 0)
        .put("cluster", true).put("clusterTls", new JsonObject().put("keyStore", "node.p12").put("trustStore", "ca.p12")))
      .put("port", 9080)
      .put("hubs", new JsonArray().add(new JsonObject().put("name", "chat").put("path", "/chat"))));
    assertEquals(9081, options.getManagementPort());
    assertEquals(4000, options.getDrainTimeout());
    assertEquals(0, options.getWarmupConnections());
    assertEquals(0, options.getJitNice());
    assertTrue(options.isCluster());
    assertEquals("node.p12", options.getClusterTls().getKeyStore());
    assertEquals(9080, options.getGateway().getPort());
    assertEquals("chat", options.getGateway().getHubs().get(0).getName());
    assertEquals(NodeOptions.DEFAULT_MANAGEMENT_HOST, options.getManagementHost(), "what the section does not say stays default");
  }

  @Test
  void theOldTopLevelSpellingIsAnAliasOfTheSection() {
    JsonObject old = new JsonObject().put("managementPort", 9081).put("managementToken", TOKEN).put("cluster", true).put("port", 9080);
    NodeOptions fromAlias = new NodeOptions(old);
    NodeOptions fromSection = new NodeOptions(new JsonObject().put("port", 9080)
      .put("node", new JsonObject().put("managementPort", 9081).put("managementToken", TOKEN).put("cluster", true)));
    assertEquals(fromSection, fromAlias);
    assertEquals(List.of("cluster", "managementPort", "managementToken"), NodeOptions.topLevelKeys(old));
    assertEquals(List.of(), NodeOptions.topLevelKeys(fromSection.toJson()), "toJson writes the new spelling");
  }

  @Test
  void bothSpellingsOfOneKeyAreRefused() {
    refused("option \"drainTimeout\" is given twice: at the top level (deprecated) and as \"node.drainTimeout\"",
      () -> new NodeOptions(new JsonObject().put("drainTimeout", 1000).put("node", new JsonObject().put("drainTimeout", 2000))));
  }

  @Test
  void anUnknownOrMistypedKeyIsRefusedWithItsPath() {
    refused("unknown option \"node.managementPrt\"", () -> new NodeOptions(new JsonObject()
      .put("node", new JsonObject().put("managementPrt", 1))));
    refused("option \"node.drainTimeout\" must be an integer", () -> new NodeOptions(new JsonObject()
      .put("node", new JsonObject().put("drainTimeout", "soon"))));
    refused("option \"node.managementPort\": port must be 0 to 65535", () -> new NodeOptions(new JsonObject()
      .put("node", new JsonObject().put("managementPort", 70000))));
    refused("option \"node.clusterTls\": unknown option \"keyStor\"", () -> new NodeOptions(new JsonObject()
      .put("node", new JsonObject().put("clusterTls", new JsonObject().put("keyStor", "x")))));
    refused("option \"node\" must be an object", () -> new NodeOptions(new JsonObject().put("node", 1)));
    refused("option \"drainTimeout\": drainTimeout must be 100 to 600000 ms", () -> new NodeOptions(new JsonObject().put("drainTimeout", 5)));
    refused("hubs[0].maxMesageSize", () -> new NodeOptions(new JsonObject()
      .put("hubs", new JsonArray().add(new JsonObject().put("maxMesageSize", 1))).put("node", new JsonObject())));
  }

  @Test
  void everyOptionRoundTripsThroughJson() {
    NodeOptions options = custom();
    assertEquals(options, new NodeOptions(options.toJson()));
    assertEquals(options, new NodeOptions(options), "the copy constructor copies everything");
    assertEquals(new NodeOptions(), new NodeOptions(new JsonObject()));
    assertEquals(new NodeOptions(), new NodeOptions(new NodeOptions().toJson()));
    JsonObject section = options.toJson().getJsonObject("node");
    assertEquals(9001, section.getInteger("managementPort"));
    assertEquals(9000, options.toJson().getInteger("port"));
  }

  @Test
  void theGatewayIsTheLiveNestedObjectAndSetGatewayCopies() {
    NodeOptions options = new NodeOptions();
    options.getGateway().setPort(0);
    assertEquals(0, options.getGateway().getPort());
    GatewayOptions given = new GatewayOptions().setPort(1234);
    options.setGateway(given);
    given.setPort(4321);
    assertEquals(1234, options.getGateway().getPort());
  }

  @Test
  void settersValidateAndTheTokenIsNeverPrinted() {
    NodeOptions o = new NodeOptions();
    refused("port must be 0 to 65535", () -> o.setManagementPort(-1));
    refused("managementHost must not be empty", () -> o.setManagementHost(" "));
    refused("clusterConfig must not be empty", () -> o.setClusterConfig(""));
    refused("drainTimeout must be 100 to 600000 ms, got 99", () -> o.setDrainTimeout(99));
    refused("warmupConnections must be 0 to 100000 connections, got -1", () -> o.setWarmupConnections(-1));
    refused("jitNice must be 0 to 19, got -1", () -> o.setJitNice(-1));
    refused("jitNice must be 0 to 19, got 20", () -> o.setJitNice(20));
    refused("managementToken must be at least 16 characters", () -> o.setManagementToken("short"));
    refused("keyStore", () -> o.setClusterTls(new ClusterTlsOptions()));
    assertEquals(new NodeOptions(), o, "a refused value changes nothing");
    assertNull(o.getClusterTls());
    assertFalse(custom().toString().contains(TOKEN), custom().toString());
  }

  @Test
  void theNodesRulesSpanItsOptionsAndTheGateways() {
    refused("managementPort must differ from port", () -> new NodeOptions(new GatewayOptions().setPort(9000)).setManagementPort(9000).validate());
    refused("managementHost 0.0.0.0 is reachable from other machines", () -> new NodeOptions().setManagementHost("0.0.0.0").validate());
    new NodeOptions().setManagementHost("0.0.0.0").setManagementToken(TOKEN).validate();
    new NodeOptions(new GatewayOptions().setPort(0)).setManagementPort(0).validate();
  }
}
