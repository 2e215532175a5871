package io.roomcast.gateway.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The node's configuration from its three sources: flags override environment variables, which
 * override the {@code --conf} file, which overrides the defaults. Anything wrong is an
 * {@code IllegalArgumentException} with a message fit for the operator that names the flag,
 * variable or key; it never quotes the management token.
 */
public final class NodeConfig {

  static final String USAGE = String.join("\n",
    "usage: java -jar roomcast-gateway.jar [--port N] [--host H] [--management-port N] [--management-host H]",
    "                                      [--conf FILE] [--cluster] [--cluster-config NAME-or-PATH]",
    "                                      [--drain-timeout MS] [--log-level LEVEL]",
    "       java -jar roomcast-gateway.jar admin ...   (see: admin --help)",
    "",
    "  --port N                 WebSocket and page port (default 8080, 0 = any free port)",
    "  --host H                 bind address of that port (default 0.0.0.0)",
    "  --management-port N      health, metrics and admin port (default 8081, 0 = any free port)",
    "  --management-host H      bind address of that port (default 127.0.0.1; any other address",
    "                           requires a management token: ROOMCAST_MANAGEMENT_TOKEN)",
    "  --conf FILE              JSON file of NodeOptions, e.g. {\"node\":{\"drainTimeout\":5000},\"hubs\":[{\"path\":\"/ws\"}]}",
    "  --cluster                join a cluster through the Hazelcast cluster manager",
    "  --cluster-config NAME    a shipped configuration (loopback, kubernetes, private-network) or a file",
    "  --drain-timeout MS       how long a drain (SIGTERM) may take before the process exits (default 10000)",
    "  --log-level LEVEL        level of Roomcast's loggers: TRACE, DEBUG, INFO (default), WARN, ERROR, OFF",
    "",
    "Environment: ROOMCAST_PORT, ROOMCAST_HOST, ROOMCAST_MANAGEMENT_PORT, ROOMCAST_MANAGEMENT_HOST,",
    "ROOMCAST_MANAGEMENT_TOKEN, ROOMCAST_CLUSTER (true/false), ROOMCAST_CLUSTER_CONFIG, ROOMCAST_CONF,",
    "ROOMCAST_DRAIN_TIMEOUT, ROOMCAST_REQUEST_TIMEOUT, ROOMCAST_LOG_LEVEL.",
    "Flags override environment, which overrides the file. See docs/OPERATIONS.md.");

  /** The levels {@code --log-level} and {@code ROOMCAST_LOG_LEVEL} accept. */
  static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  private final NodeOptions options;
  private final String logLevel;
  private final List<String> notices;

  private NodeConfig(NodeOptions options, String logLevel, List<String> notices) {
    this.options = options;
    this.logLevel = logLevel;
    this.notices = List.copyOf(notices);
  }

  /** @return the level of Roomcast's loggers asked for, or {@code null} for the default */
  public String logLevel() {
    return logLevel;
  }

  /** @return the options the node runs with */
  public NodeOptions options() {
    return new NodeOptions(options);
  }

  /** @return warnings for the node to log once its logging is set up (a deprecated spelling in the file) */
  public List<String> notices() {
    return notices;
  }

  /**
   * @param args the command line
   * @param env the environment
   * @return the merged configuration
   * @throws IllegalArgumentException when a flag, variable or file is wrong
   * @throws HelpRequested when {@code --help} is given
   */
  public static NodeConfig load(String[] args, Map<String, String> env) {
    Flags flags = Flags.parse(args);
    String conf = flags.conf != null ? flags.conf : env.get("ROOMCAST_CONF");
    List<String> notices = new ArrayList<>();
    NodeOptions options = new NodeOptions();
    if (conf != null) {
      ConfFile file = ConfFile.read(conf);
      options = file.options();
      if (file.deprecation() != null) {
        notices.add(file.deprecation());
      }
    }
    applyEnvironment(options, env);
    NodeOptions o = options;
    if (flags.port != null) {
      named("--port", () -> o.getGateway().setPort(flags.port));
    }
    if (flags.host != null) {
      named("--host", () -> o.getGateway().setHost(flags.host));
    }
    if (flags.managementPort != null) {
      named("--management-port", () -> o.setManagementPort(flags.managementPort));
    }
    if (flags.cluster) {
      options.setCluster(true);
    }
    if (flags.clusterConfig != null) {
      named("--cluster-config", () -> o.setClusterConfig(flags.clusterConfig));
    }
    if (flags.managementHost != null) {
      named("--management-host", () -> o.setManagementHost(flags.managementHost));
    }
    if (flags.drainTimeout != null) {
      named("--drain-timeout", () -> o.setDrainTimeout(flags.drainTimeout));
    }
    String logLevel = flags.logLevel != null ? logLevel("--log-level", flags.logLevel)
      : env.get("ROOMCAST_LOG_LEVEL") != null ? logLevel("ROOMCAST_LOG_LEVEL", env.get("ROOMCAST_LOG_LEVEL")) : null;
    options.validate();
    return new NodeConfig(options, logLevel, notices);
  }

  private static String logLevel(String what, String value) {
    String level = value.trim().toUpperCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(level)) {
      throw new IllegalArgumentException(what + " must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, got \"" + value + "\"");
    }
    return level;
  }

  /** Runs a setter and names the flag or variable in its message. */
  private static void named(String what, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
    }
  }

  private static void applyEnvironment(NodeOptions options, Map<String, String> env) {
    String value;
    if ((value = env.get("ROOMCAST_PORT")) != null) {
      int port = integer("ROOMCAST_PORT", value);
      named("ROOMCAST_PORT", () -> options.getGateway().setPort(port));
    }
    if ((value = env.get("ROOMCAST_HOST")) != null) {
      String host = value;
      named("ROOMCAST_HOST", () -> options.getGateway().setHost(host));
    }
    if ((value = env.get("ROOMCAST_MANAGEMENT_PORT")) != null) {
      int port = integer("ROOMCAST_MANAGEMENT_PORT", value);
      named("ROOMCAST_MANAGEMENT_PORT", () -> options.setManagementPort(port));
    }
    if ((value = env.get("ROOMCAST_MANAGEMENT_HOST")) != null) {
      String host = value;
      named("ROOMCAST_MANAGEMENT_HOST", () -> options.setManagementHost(host));
    }
    if ((value = env.get("ROOMCAST_MANAGEMENT_TOKEN")) != null) {
      // An empty variable means no token, the way an unset one does.
      String token = value.isEmpty() ? null : value;
      named("ROOMCAST_MANAGEMENT_TOKEN", () -> options.setManagementToken(token));
    }
    if ((value = env.get("ROOMCAST_DRAIN_TIMEOUT")) != null) {
      long timeout = integer("ROOMCAST_DRAIN_TIMEOUT", value);
      named("ROOMCAST_DRAIN_TIMEOUT", () -> options.setDrainTimeout(timeout));
    }
    if ((value = env.get("ROOMCAST_REQUEST_TIMEOUT")) != null) {
      long timeout = integer("ROOMCAST_REQUEST_TIMEOUT", value);
      named("ROOMCAST_REQUEST_TIMEOUT", () -> options.getGateway().setRequestTimeout(timeout));
    }
    if ((value = env.get("ROOMCAST_CLUSTER")) != null) {
      if (!value.equals("true") && !value.equals("false")) {
        throw new IllegalArgumentException("ROOMCAST_CLUSTER must be true or false, got \"" + value + "\"");
      }
      options.setCluster(Boolean.parseBoolean(value));
    }
    if ((value = env.get("ROOMCAST_CLUSTER_CONFIG")) != null) {
      String config = value;
      named("ROOMCAST_CLUSTER_CONFIG", () -> options.setClusterConfig(config));
    }
  }

  private static int integer(String what, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be an integer, got \"" + value + "\"");
    }
  }

  /** Thrown by {@link #load} for {@code --help}. */
  public static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super(USAGE, null, false, false);
    }
  }

  private static final class Flags {
    Integer port;
    String host;
    Integer managementPort;
    String managementHost;
    String conf;
    boolean cluster;
    String clusterConfig;
    Long drainTimeout;
    String logLevel;

    static Flags parse(String[] args) {
      Flags f = new Flags();
      ArgumentScanner scanner = new ArgumentScanner(args, IllegalArgumentException::new);
      while (scanner.hasNext()) {
        String flag = scanner.next();
        switch (flag) {
          case "--help":
          case "-h":
            throw new HelpRequested();
          case "--cluster":
            scanner.noValue();
            f.cluster = true;
            break;
          case "--port":
            f.port = integer(flag, scanner.value());
            break;
          case "--host":
            f.host = scanner.value();
            break;
          case "--management-port":
            f.managementPort = integer(flag, scanner.value());
            break;
          case "--conf":
            f.conf = scanner.value();
            break;
          case "--cluster-config":
            f.clusterConfig = scanner.value();
            break;
          case "--management-host":
            f.managementHost = scanner.value();
            break;
          case "--drain-timeout":
            f.drainTimeout = (long) integer(flag, scanner.value());
            break;
          case "--log-level":
            f.logLevel = scanner.value();
            break;
          default:
            throw new IllegalArgumentException("unknown argument \"" + scanner.current() + "\" (see --help)");
        }
      }
      return f;
    }
  }
}
