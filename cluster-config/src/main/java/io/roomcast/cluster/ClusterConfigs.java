package io.roomcast.cluster;

import com.hazelcast.config.Config;

import java.util.Set;

/**
 * The Hazelcast member configurations that Roomcast ships for the Vert.x Hazelcast cluster manager,
 * and the lookup that picks one.
 *
 * <p>A node calls {@link #load(String)} with the value of its {@code --cluster-config} flag (or
 * {@code null} when the flag is absent) and hands the result to
 * {@code new HazelcastClusterManager(config)}. The lookup order is, first match wins:
 * <ol>
 *   <li>the system property {@value #PROPERTY}, when set and not blank;</li>
 *   <li>the {@code nameOrPath} argument (the node's {@code --cluster-config NAME-or-PATH}), when
 *       not {@code null} and not blank;</li>
 *   <li>{@value #DEFAULT}.</li>
 * </ol>
 * The value chosen is either a shipped name, read from the resource
 * {@code roomcast/cluster/<name>.xml} of this jar, or, for anything else, the path of a Hazelcast
 * XML member configuration file. The shipped names are:
 * <ul>
 *   <li>{@code loopback}: every node on one machine, TCP join on 127.0.0.1 ports 5701-5720,
 *       nothing bound to any other interface;</li>
 *   <li>{@code kubernetes}: members found through the DNS name of a headless service, read from
 *       the system property {@code hazelcast.kubernetes.service-dns} or the environment variable
 *       {@code HAZELCAST_KUBERNETES_SERVICE_DNS}, default {@code roomcast-hazelcast};</li>
 *   <li>{@code private-network}: a fixed member list on a private network, taken from the system
 *       properties {@code roomcast.cluster.members} (comma-separated addresses) and
 *       {@code roomcast.cluster.interface} (the local address or a wildcard such as
 *       {@code 10.0.0.*}); both are required.</li>
 * </ul>
 * All of them use the cluster name {@code roomcast}, bind only to the chosen interface, filter
 * Java deserialization, disable phone-home, declare a member dead after 5 s without a heartbeat
 * and keep the {@code __vertx.*} structures of the cluster manager with one backup. Open-source
 * Hazelcast does not authenticate members, so the cluster network must be private. The module's
 * README explains each setting and its trade-off.
 *
 * <p>Each call parses the configuration again and returns a new {@link Config}: the cluster
 * manager writes its node id into the configuration it is given, so two nodes in one JVM must
 * never share one.
 */
public final class ClusterConfigs {

  /** The system property that names a shipped configuration or a file; it beats the argument. */
  public static final String PROPERTY = "roomcast.cluster.config";

  /** The shipped configuration used when neither the system property nor the argument is given. */
  public static final String DEFAULT = "loopback";

  private ClusterConfigs() {
  }

  /**
   * Loads the configuration chosen by the lookup order described on this class.
   *
   * @param nameOrPath the shipped name or file path given by the caller, typically the value of
   *     {@code --cluster-config}; {@code null} or blank when not given
   * @return a new Hazelcast configuration, not shared with any other caller
   * @throws IllegalArgumentException when the value chosen is neither a shipped name nor a
   *     readable file, when the file is not a valid Hazelcast member configuration, or when a
   *     property that the configuration requires is missing; the message names the value, where
   *     it came from and the shipped names
   */
  public static Config load(String nameOrPath) {
    return Lookup.choose(nameOrPath).load();
  }

  /**
   * The names of the shipped configurations, in the order they are documented.
   *
   * @return an unmodifiable set of names such as {@code loopback}
   */
  public static Set<String> names() {
    return Lookup.NAMES;
  }

  /**
   * Says where the configuration chosen by the lookup order comes from, for a log line such as
   * {@code shipped configuration 'loopback' (default)}. It reads nothing and never throws for a
   * value that {@link #load(String)} would reject.
   *
   * @param nameOrPath the same argument as for {@link #load(String)}; {@code null} or blank when
   *     not given
   * @return a one-line description of the source and of the step of the lookup that chose it
   */
  public static String describe(String nameOrPath) {
    return Lookup.choose(nameOrPath).describe();
  }
}
