package io.roomcast.gateway.cluster;

import io.roomcast.gateway.ClusterTlsOptions;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.testing.TestCertificates;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.TestCluster;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event bus between nodes over TLS with client certificates: two nodes whose certificates
 * come from the cluster's CA talk; a third node, in the same Hazelcast cluster but with a
 * certificate from another CA, gets no message through in either direction.
 */
class ClusterTlsTest {

  @TempDir
  Path dir;
  private TestCluster cluster;
  private final List<TestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(TestClient::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  private VertxOptions tls(String node, TestCertificates.Authority issuer, TestCertificates.Authority... trusted) {
    ClusterTlsOptions tls = new ClusterTlsOptions()
      .setKeyStore(TestCertificates.nodeKeyStore(dir, node, issuer).toString())
      .setKeyStorePassword(TestCertificates.PASSWORD)
      .setTrustStore(TestCertificates.trustStore(dir, node, trusted).toString())
      .setTrustStorePassword(TestCertificates.PASSWORD);
    VertxOptions options = new VertxOptions();
    tls.applyTo(options.getEventBusOptions());
    return options;
  }

  private TestClient client(TestCluster.Node node) {
    TestClient c = TestClient.connect(node.vertx(), node.port(), "/ws");
    clients.add(c);
    return c;
  }

  @Test
  void onlyNodesWithTrustedCertificatesExchangeMessages() {
    TestCertificates.Authority ca = TestCertificates.authority("roomcast-cluster-ca");
    TestCertificates.Authority stranger = TestCertificates.authority("someone-else-ca");
    // The request timeout bounds how long joins wait for a node that can never confirm.
    GatewayOptions gateway = new GatewayOptions().setRequestTimeout(1000);
    cluster = new TestCluster();
    TestCluster.Node a = cluster.addNode(tls("node-a", ca, ca), gateway);
    TestCluster.Node b = cluster.addNode(tls("node-b", ca, ca), gateway);
    // Trusts the cluster's CA, but its own certificate comes from elsewhere.
    TestCluster.Node rogue = cluster.addNode(tls("rogue", stranger, ca, stranger), gateway);
    TestClient onA = client(a);
    TestClient onB = client(b);
    TestClient onRogue = client(rogue);
    for (TestClient c : List.of(onA, onB, onRogue)) {
      Wire.JSON.join(c, "secured");
    }
    Wire.JSON.send(onA, Envelope.of("chat").withRoom("secured").withData("from a"));
    assertEquals("from a", onB.takeEvent("chat").data(), "trusted nodes talk over TLS");
    Wire.JSON.send(onRogue, Envelope.of("chat").withRoom("secured").withData("from rogue"));
    Wire.JSON.send(onB, Envelope.of("chat").withRoom("secured").withData("from b"));
    // b's message, sent after the rogue's, has crossed; the rogue's never does, nor do theirs to it.
    assertEquals("from b", onA.takeEvent("chat").data());
    assertTrue(onA.sync().stream().noneMatch(m -> "from rogue".equals(m.data())), "the rogue node reached a");
    assertTrue(onB.sync().stream().noneMatch(m -> "from rogue".equals(m.data())), "the rogue node reached b");
    assertTrue(onRogue.sync().stream().noneMatch(m -> "chat".equals(m.event())), "a trusted node reached the rogue one");
    String failure = Wire.JSON.failure(onA, Envelope.of("dm").withTo(onRogue.id())).errorCode();
    assertTrue(failure.equals("unavailable") || failure.equals("unknown_client"), failure);
  }
}
