package io.roomcast.cluster;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.InterfacesConfig;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped configurations and the lookup, without starting a member. */
class ClusterConfigsTest {

  private static final String MEMBERS = "roomcast.cluster.members";
  private static final String INTERFACE = "roomcast.cluster.interface";
  private static final List<String> TOUCHED = List.of(ClusterConfigs.PROPERTY, MEMBERS, INTERFACE);

  private final Map<String, String> saved = new HashMap<>();

  @TempDir
  Path dir;

  @BeforeEach
  void clearProperties() {
    for (String key : TOUCHED) {
      saved.put(key, System.getProperty(key));
      System.clearProperty(key);
    }
  }

  @AfterEach
  void restoreProperties() {
    saved.forEach((key, value) -> {
      if (value == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, value);
      }
    });
  }

  static List<String> shipped() {
    return List.copyOf(ClusterConfigs.names());
  }

  /** Loads a shipped configuration, giving private-network the properties it requires. */
  private static Config loadShipped(String name) {
    System.setProperty(MEMBERS, "10.0.0.11,10.0.0.12:5702");
    System.setProperty(INTERFACE, "10.0.0.*");
    try {
      return ClusterConfigs.load(name);
    } finally {
      System.clearProperty(MEMBERS);
      System.clearProperty(INTERFACE);
    }
  }

  @Test
  void namesAreTheShippedConfigurationsInDocumentedOrder() {
    assertEquals(List.of("loopback", "kubernetes", "private-network"), List.copyOf(ClusterConfigs.names()));
    assertTrue(ClusterConfigs.names().contains(ClusterConfigs.DEFAULT));
    assertThrows(UnsupportedOperationException.class, () -> ClusterConfigs.names().add("other"));
  }

  @ParameterizedTest
  @MethodSource("shipped")
  void everyShippedConfigurationParsesFromItsResource(String name) {
    Config config = loadShipped(name);
    assertNotNull(config.getConfigurationUrl(), "resource URL recorded");
    assertTrue(config.getConfigurationUrl().toString().endsWith("roomcast/cluster/" + name + ".xml"),
        config.getConfigurationUrl().toString());
  }

  @ParameterizedTest
  @MethodSource("shipped")
  void everyShippedConfigurationKeepsTheVertxStructuresWithABackup(String name) {
    Config config = loadShipped(name);
    // getMapConfig() would invent a default for a missing name; the declared ones must be there.
    MultiMapConfig subs = config.getMultiMapConfigs().get("__vertx.subs");
    assertNotNull(subs, "__vertx.subs declared");
    assertEquals(1, subs.getBackupCount());
    assertEquals(MultiMapConfig.ValueCollectionType.SET, subs.getValueCollectionType());
    for (String map : List.of("__vertx.haInfo", "__vertx.nodeInfo")) {
      assertTrue(config.getMapConfigs().containsKey(map), map + " declared");
      assertEquals(1, config.getMapConfigs().get(map).getBackupCount(), map);
    }
  }

  @ParameterizedTest
  @MethodSource("shipped")
  void everyShippedConfigurationIsHardened(String name) {
    Config config = loadShipped(name);
    assertEquals("roomcast", config.getClusterName());
    assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
    assertEquals("false", config.getProperty("hazelcast.socket.bind.any"));
    assertFalse(config.getJetConfig().isEnabled(), "jet");
    assertFalse(config.getJetConfig().isResourceUploadEnabled(), "jet resource upload");
    assertFalse(config.getUserCodeDeploymentConfig().isEnabled(), "user code deployment");

    JoinConfig join = config.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled(), "multicast");
    assertFalse(join.getAutoDetectionConfig().isEnabled(), "auto-detection");

    JavaSerializationFilterConfig filter = config.getSerializationConfig().getJavaSerializationFilterConfig();
    assertNotNull(filter, "java-serialization-filter");
    assertTrue(filter.isDefaultsDisabled(), "Hazelcast's broad default whitelist (java*, [) is off");
    ClassFilter allowed = filter.getWhitelist();
    assertTrue(allowed.isListed("java.lang.IllegalStateException"));
    assertTrue(allowed.isListed("com.hazelcast.core.HazelcastException"));
    assertFalse(allowed.isListed("io.vertx.core.json.JsonObject"));
    assertFalse(allowed.isListed("org.apache.commons.collections.functors.InvokerTransformer"));
    assertFalse(allowed.isListed("java.net.URL"), "the URLDNS gadget");
    assertFalse(allowed.isListed("java.lang.reflect.Proxy"));
  }

  @ParameterizedTest
  @MethodSource("shipped")
  void everyShippedConfigurationDetectsAFailedMemberInSeconds(String name) {
    Config config = loadShipped(name);
    assertEquals("1", config.getProperty("hazelcast.heartbeat.interval.seconds"));
    assertEquals("5", config.getProperty("hazelcast.max.no.heartbeat.seconds"));
    assertEquals("5", config.getProperty("hazelcast.merge.first.run.delay.seconds"));
    assertEquals("5", config.getProperty("hazelcast.merge.next.run.delay.seconds"));
    assertEquals("1", config.getProperty("hazelcast.wait.seconds.before.join"));
  }

  @Test
  void loopbackJoinsOverTcpOn127001AndBindsNothingElse() {
    NetworkConfig network = ClusterConfigs.load("loopback").getNetworkConfig();
    InterfacesConfig interfaces = network.getInterfaces();
    assertTrue(interfaces.isEnabled(), "interface binding");
    assertEquals(Set.of("127.0.0.1"), Set.copyOf(interfaces.getInterfaces()));

    JoinConfig join = network.getJoin();
    assertTrue(join.getTcpIpConfig().isEnabled(), "tcp-ip join");
    assertEquals(List.of("127.0.0.1"), join.getTcpIpConfig().getMembers());
    assertFalse(join.getMulticastConfig().isEnabled(), "multicast");
    assertFalse(join.getAutoDetectionConfig().isEnabled(), "auto-detection");
    assertFalse(join.getKubernetesConfig().isEnabled(), "kubernetes");
    assertEquals(null, network.getPublicAddress());

    // Members probe as many ports as a member may take, or late starters are missed.
    assertEquals(5701, network.getPort());
    assertTrue(network.isPortAutoIncrement());
    assertEquals(20, network.getPortCount());
    assertEquals("20", ClusterConfigs.load("loopback").getProperty("hazelcast.tcp.join.port.try.count"));
  }

  @Test
  void kubernetesDiscoversMembersThroughTheHeadlessServiceDns() {
    Config config = ClusterConfigs.load("kubernetes");
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertTrue(join.getKubernetesConfig().isEnabled(), "kubernetes join");
    assertEquals("roomcast-hazelcast", join.getKubernetesConfig().getProperty("service-dns"));
    assertFalse(join.getTcpIpConfig().isEnabled(), "tcp-ip");
    assertFalse(config.getNetworkConfig().isPortAutoIncrement(), "one member per pod, fixed port");
  }

  @Test
  void privateNetworkTakesItsMembersAndInterfaceFromSystemProperties() {
    System.setProperty(MEMBERS, "10.0.0.11, 10.0.0.12:5702,10.0.0.13");
    System.setProperty(INTERFACE, "10.0.0.*");
    NetworkConfig network = ClusterConfigs.load("private-network").getNetworkConfig();
    assertEquals(List.of("10.0.0.11", "10.0.0.12:5702", "10.0.0.13"),
        network.getJoin().getTcpIpConfig().getMembers());
    assertTrue(network.getInterfaces().isEnabled());
    assertEquals(Set.of("10.0.0.*"), Set.copyOf(network.getInterfaces().getInterfaces()));
  }

  @Test
  void privateNetworkWithoutItsPropertiesNamesTheMissingOne() {
    System.setProperty(INTERFACE, "10.0.0.*");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClusterConfigs.load("private-network"));
    assertTrue(e.getMessage().contains("needs the system property " + MEMBERS), e.getMessage());
  }

  @Test
  void withNothingGivenTheDefaultIsLoopback() {
    assertEquals("loopback", ClusterConfigs.DEFAULT);
    assertShipped("loopback", ClusterConfigs.load(null));
    assertShipped("loopback", ClusterConfigs.load("  "));
    assertEquals("shipped configuration 'loopback' (default)", ClusterConfigs.describe(null));
  }

  @Test
  void theArgumentBeatsTheDefault() {
    assertShipped("kubernetes", ClusterConfigs.load("kubernetes"));
    assertEquals("shipped configuration 'kubernetes' (from --cluster-config)", ClusterConfigs.describe("kubernetes"));
  }

  @Test
  void theSystemPropertyBeatsTheArgument() {
    System.setProperty(ClusterConfigs.PROPERTY, "kubernetes");
    assertShipped("kubernetes", ClusterConfigs.load("loopback"));
    assertShipped("kubernetes", ClusterConfigs.load(null));
    assertEquals("shipped configuration 'kubernetes' (from system property roomcast.cluster.config)",
        ClusterConfigs.describe("loopback"));
  }

  @Test
  void aBlankSystemPropertyCountsAsUnset() {
    System.setProperty(ClusterConfigs.PROPERTY, " ");
    assertShipped("kubernetes", ClusterConfigs.load("kubernetes"));
  }

  @Test
  void anythingButAShippedNameIsReadAsAFile() throws IOException {
    Path file = copyOfLoopback("custom.xml", "<cluster-name>from-a-file</cluster-name>");
    Config config = ClusterConfigs.load(file.toString());
    assertEquals("from-a-file", config.getClusterName());
    assertEquals(file.toAbsolutePath().toFile(), config.getConfigurationFile());
    assertEquals("file " + file.toAbsolutePath() + " (from --cluster-config)", ClusterConfigs.describe(file.toString()));
  }

  @Test
  void aFileInTheSystemPropertyBeatsAShippedNameInTheArgument() throws IOException {
    Path file = copyOfLoopback("custom.xml", "<cluster-name>from-the-property</cluster-name>");
    System.setProperty(ClusterConfigs.PROPERTY, file.toString());
    assertEquals("from-the-property", ClusterConfigs.load("kubernetes").getClusterName());
    assertEquals("file " + file.toAbsolutePath() + " (from system property roomcast.cluster.config)",
        ClusterConfigs.describe("kubernetes"));
  }

  @Test
  void anUnknownNameIsRefusedWithTheShippedNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterConfigs.load("loopbak"));
    assertTrue(e.getMessage().startsWith("cluster configuration 'loopbak' (from --cluster-config) is neither a shipped"
        + " configuration nor an existing file"), e.getMessage());
    assertTrue(e.getMessage().endsWith("; shipped configurations: loopback, kubernetes, private-network"),
        e.getMessage());
  }

  @Test
  void aMissingFileIsRefusedWithItsPathAndWhereItCameFrom() {
    Path missing = dir.resolve("nope.xml");
    System.setProperty(ClusterConfigs.PROPERTY, missing.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterConfigs.load(null));
    assertTrue(e.getMessage().contains("(from system property roomcast.cluster.config)"), e.getMessage());
    assertTrue(e.getMessage().contains("looked for " + missing.toAbsolutePath()), e.getMessage());
    assertTrue(e.getMessage().contains("loopback, kubernetes, private-network"), e.getMessage());
  }

  @Test
  void aDirectoryIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClusterConfigs.load(dir.toString()));
    assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
  }

  @Test
  void malformedXmlIsRefusedWithTheParserMessage() throws IOException {
    Path file = Files.writeString(dir.resolve("broken.xml"), "<hazelcast><network>", StandardCharsets.UTF_8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClusterConfigs.load(file.toString()));
    assertTrue(e.getMessage().contains("is not a valid Hazelcast member configuration: "), e.getMessage());
    assertTrue(e.getMessage().contains("loopback, kubernetes, private-network"), e.getMessage());
    assertNotNull(e.getCause());
  }

  @Test
  void xmlOutsideTheHazelcastSchemaIsRefused() throws IOException {
    Path file = copyOfLoopback("unknown.xml", "<cluster-name>roomcast</cluster-name><no-such-element/>");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClusterConfigs.load(file.toString()));
    assertTrue(e.getMessage().contains("no-such-element"), e.getMessage());
  }

  @Test
  void describeNeverThrowsForValuesThatLoadRefuses() {
    assertEquals("file " + Path.of("nope").toAbsolutePath() + " (from --cluster-config)", ClusterConfigs.describe("nope"));
    assertTrue(ClusterConfigs.describe("bad\0path").contains("bad\0path"));
  }

  @Test
  void everyLoadReturnsAConfigurationOfItsOwn() {
    Config first = ClusterConfigs.load(null);
    first.setClusterName("changed");
    first.getMemberAttributeConfig().setAttribute("__vertx.nodeId", "one");
    Config second = ClusterConfigs.load(null);
    assertNotSame(first, second);
    assertEquals("roomcast", second.getClusterName());
    assertTrue(second.getMemberAttributeConfig().getAttributes().isEmpty());
  }

  private static void assertShipped(String name, Config config) {
    assertTrue(config.getConfigurationUrl().toString().endsWith("/" + name + ".xml"),
        () -> "expected " + name + ", got " + config.getConfigurationUrl());
  }

  /** Writes the loopback resource to a file, its cluster-name element replaced by {@code replacement}. */
  private Path copyOfLoopback(String fileName, String replacement) throws IOException {
    String xml;
    try (var in = ClusterConfigs.class.getClassLoader().getResourceAsStream("roomcast/cluster/loopback.xml")) {
      xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String replaced = xml.replace("<cluster-name>roomcast</cluster-name>", replacement);
    assertFalse(replaced.equals(xml), "loopback.xml has the cluster-name element this test replaces");
    return Files.writeString(dir.resolve(fileName), replaced, StandardCharsets.UTF_8);
  }
}
