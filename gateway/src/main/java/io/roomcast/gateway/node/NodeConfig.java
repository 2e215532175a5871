package io.roomcast.gateway.node;

import io.roomcast.gateway.GatewayOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The node's configuration from its three sources: flags override environment variables, which
 * override the {@code --conf} file, which overrides the defaults. Anything wrong is an
 * {@code IllegalArgumentException} with a message fit for the operator.
 */
public final class NodeConfig {

  static final String USAGE = String.join("\n",
    "usage: java -jar roomcast-gateway.jar [--port N] [--host H] [--management-port N]",
    "                                      [--conf FILE] [--cluster] [--cluster-config NAME-or-PATH]",
    "       java -jar roomcast-gateway.jar admin ...   (see: admin --help)",
    "",
    "  --port N                 WebSocket and page port (default 8080, 0 = any free port)",
    "  --host H                 bind address of that port (default 0.0.0.0)",
    "  --management-port N      health, metrics and admin port on 127.0.0.1 (default 8081, 0 = any)",
    "  --conf FILE              JSON file of GatewayOptions, e.g. {\"hubs\":[{\"name\":\"default\",\"path\":\"/ws\"}]}",
    "  --cluster                join a cluster through the Hazelcast cluster manager",
    "  --cluster-config NAME    a shipped configuration (loopback, kubernetes, private-network) or a file",
    "",
    "Environment: ROOMCAST_PORT, ROOMCAST_HOST, ROOMCAST_MANAGEMENT_PORT, ROOMCAST_CLUSTER (true/false),",
    "ROOMCAST_CLUSTER_CONFIG, ROOMCAST_CONF. Flags override environment, which overrides the file.");

  private final GatewayOptions options;

  private NodeConfig(GatewayOptions options) {
    this.options = options;
  }

  /** @return the options the node runs with */
  public GatewayOptions options() {
    return new GatewayOptions(options);
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
    GatewayOptions options = conf == null ? new GatewayOptions() : readFile(conf);
    applyEnvironment(options, env);
    if (flags.port != null) {
      options.setPort(flags.port);
    }
    if (flags.host != null) {
      options.setHost(flags.host);
    }
    if (flags.managementPort != null) {
      options.setManagementPort(flags.managementPort);
    }
    if (flags.cluster) {
      options.setCluster(true);
    }
    if (flags.clusterConfig != null) {
      options.setClusterConfig(flags.clusterConfig);
    }
    return new NodeConfig(options);
  }

  private static GatewayOptions readFile(String file) {
    String text;
    try {
      text = Files.readString(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--conf " + file + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException("--conf " + file + ": cannot read it: " + e.getMessage());
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("--conf " + file + ": not a JSON object: " + e.getMessage());
    }
    try {
      return new GatewayOptions(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--conf " + file + ": " + e.getMessage(), e);
    }
  }

  private static void applyEnvironment(GatewayOptions options, Map<String, String> env) {
    String value;
    if ((value = env.get("ROOMCAST_PORT")) != null) {
      options.setPort(integer("ROOMCAST_PORT", value));
    }
    if ((value = env.get("ROOMCAST_HOST")) != null) {
      options.setHost(value);
    }
    if ((value = env.get("ROOMCAST_MANAGEMENT_PORT")) != null) {
      options.setManagementPort(integer("ROOMCAST_MANAGEMENT_PORT", value));
    }
    if ((value = env.get("ROOMCAST_CLUSTER")) != null) {
      if (!value.equals("true") && !value.equals("false")) {
        throw new IllegalArgumentException("ROOMCAST_CLUSTER must be true or false, got \"" + value + "\"");
      }
      options.setCluster(Boolean.parseBoolean(value));
    }
    if ((value = env.get("ROOMCAST_CLUSTER_CONFIG")) != null) {
      options.setClusterConfig(value);
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
    String conf;
    boolean cluster;
    String clusterConfig;

    static Flags parse(String[] args) {
      Flags f = new Flags();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String inline = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          inline = arg.substring(eq + 1);
          arg = arg.substring(0, eq);
        }
        switch (arg) {
          case "--help":
          case "-h":
            throw new HelpRequested();
          case "--cluster":
            if (inline != null) {
              throw new IllegalArgumentException("--cluster takes no value");
            }
            f.cluster = true;
            break;
          case "--port":
            f.port = integer("--port", inline != null ? inline : value(args, ++i, arg));
            break;
          case "--host":
            f.host = inline != null ? inline : value(args, ++i, arg);
            break;
          case "--management-port":
            f.managementPort = integer("--management-port", inline != null ? inline : value(args, ++i, arg));
            break;
          case "--conf":
            f.conf = inline != null ? inline : value(args, ++i, arg);
            break;
          case "--cluster-config":
            f.clusterConfig = inline != null ? inline : value(args, ++i, arg);
            break;
          default:
            throw new IllegalArgumentException("unknown argument \"" + args[i] + "\" (see --help)");
        }
      }
      return f;
    }

    private static String value(String[] args, int i, String flag) {
      if (i >= args.length || args[i].startsWith("--")) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      return args[i];
    }
  }
}
