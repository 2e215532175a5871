package io.roomcast.loadtests.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The gateway's shipped {@code loopback} cluster configuration made a cluster's own: its own name
 * and its own small range of member ports, so that the nodes of one run never meet those of
 * another or of a cluster someone started on this machine. Used by the bench's node clusters and
 * by the examples' process tests.
 */
public final class LoopbackConfig {

  /** Where the gateway jar keeps it. */
  public static final String SHIPPED = "roomcast/cluster/loopback.xml";

  private LoopbackConfig() {
  }

  /** @return the configuration a gateway jar ships */
  public static String shipped(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry entry = zip.getEntry(SHIPPED);
      if (entry == null) {
        throw new IllegalArgumentException(jar + " has no " + SHIPPED + ": is it a gateway jar? (or give --cluster-config)");
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  /**
   * @return {@code xml} with the cluster name {@code name} and {@code ports} member ports from
   *     {@code base}
   * @throws IllegalArgumentException when it is not shaped like the shipped one (cluster name
   *     roomcast, member port 5701 with port-count 20, hazelcast.tcp.join.port.try.count 20)
   */
  public static String own(String xml, String name, int base, int ports) {
    String own = xml
      .replace("<cluster-name>roomcast</cluster-name>", "<cluster-name>" + name + "</cluster-name>")
      .replace("port-count=\"20\">5701</port>", "port-count=\"" + ports + "\">" + base + "</port>")
      .replace("\"hazelcast.tcp.join.port.try.count\">20<", "\"hazelcast.tcp.join.port.try.count\">" + ports + "<");
    if (!own.contains("<cluster-name>" + name + "</cluster-name>") || !own.contains(">" + base + "</port>")
      || !own.contains("try.count\">" + ports + "<")) {
      throw new IllegalArgumentException("not shaped like the shipped loopback configuration (cluster name roomcast, member port"
        + " 5701 with port-count 20, hazelcast.tcp.join.port.try.count 20)");
    }
    return own;
  }
}
