package io.roomcast.gateway.node;

import io.roomcast.gateway.impl.options.Checks;
import io.roomcast.gateway.node.cli.Converters;
import io.roomcast.gateway.node.cli.UsageErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The node's configuration from its three sources: flags override environment variables, which
 * override the {@code --conf} file, which overrides the defaults. The command line
 * ({@link NodeCommand}) gives the first two, a flag or else its variable; this class lays them
 * over the file. Anything wrong is an {@code IllegalArgumentException} with a message fit for
 * the operator that names the flag, variable or key; it never quotes the management token.
 */
public final class NodeConfig {

  /** The management token's variable; it has no flag, because a command line is visible to every user. */
  static final String TOKEN_VARIABLE = "ROOMCAST_MANAGEMENT_TOKEN";
  /** The request timeout's variable; it has no flag. */
  static final String REQUEST_TIMEOUT_VARIABLE = "ROOMCAST_REQUEST_TIMEOUT";
  /** The management API's scoped keys, as the JSON array of {@code node.apiKeys}: no flag, a command line is visible in ps. */
  static final String API_KEYS_VARIABLE = "ROOMCAST_API_KEYS";

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
   * Reads a command line without running it: what the node would start with.
   *
   * @param args the command line
   * @param env the environment
   * @return the merged configuration
   * @throws IllegalArgumentException when a flag, variable or file is wrong
   */
  public static NodeConfig load(String[] args, Map<String, String> env) {
    NodeCommand command = new NodeCommand(env, config -> { });
    try {
      command.commandLine().parseArgs(args);
    } catch (ParameterException e) {
      throw new IllegalArgumentException(UsageErrors.describe(e, args), e);
    }
    return resolve(command, env);
  }

  /**
   * @param command the command line, parsed
   * @param env the environment, for the variables without a flag
   * @return the merged configuration
   * @throws IllegalArgumentException when a flag, variable or file is wrong
   */
  static NodeConfig resolve(NodeCommand command, Map<String, String> env) {
    command.requireKnownArguments();
    List<String> notices = new ArrayList<>();
    NodeOptions options = new NodeOptions();
    options.getGateway().setHubs(List.of(DefaultHub.options()));
    if (command.conf() != null) {
      ConfFile file = ConfFile.read(command.conf());
      options = file.options();
      if (file.deprecation() != null) {
        notices.add(file.deprecation());
      }
    }
    applyVariablesWithoutFlags(options, env);
    command.applyTo(options);
    options.validate();
    return new NodeConfig(options, command.logLevel(), notices);
  }

  private static void applyVariablesWithoutFlags(NodeOptions options, Map<String, String> env) {
    String token = env.get(TOKEN_VARIABLE);
    if (token != null) {
      // An empty variable means no token, the way an unset one does.
      named(TOKEN_VARIABLE, () -> options.setManagementToken(token.isEmpty() ? null : token));
    }
    String keys = env.get(API_KEYS_VARIABLE);
    if (keys != null && !keys.isBlank()) {
      named(API_KEYS_VARIABLE, () -> options.setApiKeys(apiKeys(keys)));
    }
    String requestTimeout = env.get(REQUEST_TIMEOUT_VARIABLE);
    if (requestTimeout != null) {
      long timeout = wholeNumber(REQUEST_TIMEOUT_VARIABLE, requestTimeout);
      named(REQUEST_TIMEOUT_VARIABLE, () -> options.getGateway().setRequestTimeout(timeout));
    }
  }

  private static long wholeNumber(String variable, String value) {
    try {
      return Converters.wholeNumber(value);
    } catch (TypeConversionException e) {
      throw new IllegalArgumentException(variable + " " + e.getMessage());
    }
  }

  /** Runs a setter and names the variable in its message. */
  private static List<ApiKeyOptions> apiKeys(String json) {
    JsonArray array;
    try {
      array = new JsonArray(json);
    } catch (RuntimeException e) {
      // Not the parser's message: it quotes the text, which holds the keys.
      throw new IllegalArgumentException("not a JSON array of keys ([{\"name\":...,\"key\":...,\"scopes\":[...]}])");
    }
    List<ApiKeyOptions> keys = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      Checks.require(array.getValue(i) instanceof JsonObject, "item " + i + " is not an object");
      keys.add(ApiKeyOptions.fromJson(array.getJsonObject(i), "[" + i + "]"));
    }
    return keys;
  }

  private static void named(String variable, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(variable + ": " + e.getMessage(), e);
    }
  }
}
