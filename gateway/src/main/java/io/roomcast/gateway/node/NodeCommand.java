package io.roomcast.gateway.node;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.node.admin.AdminCommand;
import io.roomcast.gateway.node.cli.CommandLines;
import io.roomcast.gateway.node.cli.Converters;
import io.roomcast.gateway.node.cli.EnvironmentDefaults;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code java -jar roomcast-gateway.jar [OPTIONS]}: the node's command line, on picocli, with
 * {@code admin} as its subcommand. A flag missing from the command line takes its environment
 * variable ({@link EnvironmentDefaults}); {@link NodeConfig} puts the {@code --conf} file and the
 * defaults under both. Running the command hands the configuration to a {@link Launcher}.
 */
@Command(
  name = "java -jar roomcast-gateway.jar",
  description = {"Runs one Roomcast node: the hubs, the echo endpoint and the demo page on the WebSocket port;",
    "health, metrics and the admin API on the management port, bound to 127.0.0.1."},
  exitCodeListHeading = "%nExit codes:%n",
  exitCodeList = {
    "0:drained after SIGTERM, or help printed",
    "1:could not start (a port in use, a cluster it could not join)",
    "2:a bad flag, variable or --conf file, named on standard error"},
  footer = {"", "Flags override the environment, which overrides the --conf file, which overrides the defaults.",
    "See docs/OPERATIONS.md."})
public final class NodeCommand implements Callable<Integer> {

  /** Receives the node's configuration once the command line is read. */
  @FunctionalInterface
  public interface Launcher {
    /**
     * @param config the node's configuration
     * @throws IllegalArgumentException when the node cannot start on it (a usage error, exit 2)
     */
    void launch(NodeConfig config);
  }

  @Option(names = "--port", paramLabel = "N", converter = Converters.IntValue.class,
    description = "WebSocket and page port (default " + GatewayOptions.DEFAULT_PORT + ", 0 = any free port)")
  private Integer port;

  @Option(names = "--host", paramLabel = "H", description = "bind address of that port (default " + GatewayOptions.DEFAULT_HOST + ")")
  private String host;

  @Option(names = "--management-port", paramLabel = "N", converter = Converters.IntValue.class,
    description = "health, metrics and admin port (default " + NodeOptions.DEFAULT_MANAGEMENT_PORT + ", 0 = any free port)")
  private Integer managementPort;

  @Option(names = "--management-host", paramLabel = "H",
    description = "bind address of that port (default " + NodeOptions.DEFAULT_MANAGEMENT_HOST + "); any other address requires a"
      + " management token: ROOMCAST_MANAGEMENT_TOKEN")
  private String managementHost;

  @Option(names = "--conf", paramLabel = "FILE",
    description = "JSON configuration: {\"node\": {\"managementPort\": 8081, ...}, \"hubs\": [{\"path\": \"/ws\"}], ...}")
  private String conf;

  @Option(names = "--cluster", arity = "0", converter = Converters.Flag.class,
    description = "join a cluster through the Hazelcast cluster manager")
  private Boolean cluster;

  @Option(names = "--cluster-config", paramLabel = "NAME-or-PATH",
    description = "a shipped configuration (" + NodeOptions.DEFAULT_CLUSTER_CONFIG + " by default, kubernetes, private-network) or a file")
  private String clusterConfig;

  @Option(names = "--drain-timeout", paramLabel = "MS", converter = Converters.LongValue.class,
    description = "how long a drain (SIGTERM) may take before the process exits (default " + NodeOptions.DEFAULT_DRAIN_TIMEOUT + ")")
  private Long drainTimeout;

  @Option(names = "--warmup-connections", paramLabel = "N", converter = Converters.IntValue.class,
    description = "at most this many clients run through the node's own paths before it serves (fewer once the JIT has settled), so that a fresh node is fast at once; 0 for none (default "
      + NodeOptions.DEFAULT_WARMUP_CONNECTIONS + ")")
  private Integer warmupConnections;

  @Option(names = "--jit-nice", paramLabel = "N", converter = Converters.IntValue.class,
    description = "the nice value (0-19) of the JIT's compiler threads once the node serves, so that what the warm-up did not compile takes idle CPU, not the event loops'; 0 leaves them be (default "
      + NodeOptions.DEFAULT_JIT_NICE + ")")
  private Integer jitNice;

  @Option(names = "--log-level", paramLabel = "LEVEL", converter = Converters.LogLevel.class,
    description = "level of Roomcast's loggers: TRACE, DEBUG, INFO (default), WARN, ERROR, OFF")
  private String logLevel;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
  private boolean help;

  // Collected rather than refused by picocli, to be refused in the node's own words.
  @Unmatched
  private List<String> unmatched = new ArrayList<>();

  @Spec
  private CommandSpec spec;

  private final Map<String, String> env;
  private final EnvironmentDefaults defaults;
  private final Launcher launcher;
  private boolean launched;

  /**
   * @param env the environment
   * @param launcher what runs the node on its configuration
   */
  public NodeCommand(Map<String, String> env, Launcher launcher) {
    this.env = env;
    this.launcher = launcher;
    this.defaults = new EnvironmentDefaults(env)
      .bind("--port", "ROOMCAST_PORT")
      .bind("--host", "ROOMCAST_HOST")
      .bind("--management-port", "ROOMCAST_MANAGEMENT_PORT")
      .bind("--management-host", "ROOMCAST_MANAGEMENT_HOST")
      .bind("--conf", "ROOMCAST_CONF")
      .bind("--cluster", "ROOMCAST_CLUSTER")
      .bind("--cluster-config", "ROOMCAST_CLUSTER_CONFIG")
      .bind("--drain-timeout", "ROOMCAST_DRAIN_TIMEOUT")
      .bind("--warmup-connections", "ROOMCAST_WARMUP_CONNECTIONS")
      .bind("--jit-nice", "ROOMCAST_JIT_NICE")
      .bind("--log-level", "ROOMCAST_LOG_LEVEL")
      .describe(NodeConfig.TOKEN_VARIABLE, "the management API's Bearer token (no flag: a command line is visible in ps)")
      .describe(NodeConfig.API_KEYS_VARIABLE, "the management API's scoped keys, a JSON array of {\"name\",\"key\",\"scopes\"}"
        + " (scopes: read, publish, send, kick, metrics, admin)")
      .describe(NodeConfig.REQUEST_TIMEOUT_VARIABLE, "how long a cluster-wide question waits for a node, in ms (default "
        + GatewayOptions.DEFAULT_REQUEST_TIMEOUT + ")");
  }

  /** @return this command's command line, {@code admin} included, ready to execute or parse */
  public CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(this);
    // The admin command keeps its own defaults: set on this command's spec only.
    commandLine.getCommandSpec().defaultValueProvider(defaults);
    commandLine.addSubcommand(AdminCommand.commandLine(env));
    defaults.addHelpSection(commandLine);
    return CommandLines.configure(commandLine);
  }

  /** Reads the configuration and launches the node; a bad configuration is a usage error (exit 2). */
  @Override
  public Integer call() {
    try {
      launcher.launch(NodeConfig.resolve(this, env));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    launched = true;
    return 0;
  }

  /** @return whether the node was launched: the process then lives on until a signal */
  public boolean launched() {
    return launched;
  }

  /** @return the {@code --conf} file, from the flag or {@code ROOMCAST_CONF}, or {@code null} */
  String conf() {
    return conf;
  }

  /** @return the log level asked for, in capitals, or {@code null} for the default */
  String logLevel() {
    return logLevel;
  }

  /** @throws IllegalArgumentException for an argument that no option or command expects */
  void requireKnownArguments() {
    if (!unmatched.isEmpty()) {
      throw new IllegalArgumentException("unknown argument \"" + unmatched.get(0) + "\" (see --help)");
    }
  }

  /**
   * Sets what the flags, and the variables that stand in for missing ones, ask for; a value a
   * setter refuses is named by its source: {@code --drain-timeout: drainTimeout must be ...}.
   *
   * @param options the options from the file, or the defaults
   * @throws IllegalArgumentException for a refused value
   */
  void applyTo(NodeOptions options) {
    set("--port", port, options.getGateway()::setPort);
    set("--host", host, options.getGateway()::setHost);
    set("--management-port", managementPort, options::setManagementPort);
    set("--management-host", managementHost, options::setManagementHost);
    set("--cluster", cluster, options::setCluster);
    set("--cluster-config", clusterConfig, options::setClusterConfig);
    set("--drain-timeout", drainTimeout, options::setDrainTimeout);
    set("--warmup-connections", warmupConnections, options::setWarmupConnections);
    set("--jit-nice", jitNice, options::setJitNice);
  }

  private <T> void set(String option, T value, Consumer<T> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      String source = spec.commandLine().getParseResult().hasMatchedOption(option) ? option : defaults.variableFor(option);
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }
}
