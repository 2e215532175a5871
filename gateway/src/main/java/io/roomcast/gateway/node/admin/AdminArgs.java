package io.roomcast.gateway.node.admin;

import io.roomcast.gateway.node.ArgumentScanner;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parsed command line of {@code java -jar roomcast-gateway.jar admin ...}: a command, its
 * arguments, and the options, which may come anywhere and as {@code --name value} or
 * {@code --name=value}. Anything wrong is a {@link UsageException} with a one-line reason.
 */
public final class AdminArgs {

  /** The default address of the management API: the node's default management port on loopback. */
  public static final String DEFAULT_URL = "http://127.0.0.1:8081";
  /** How long a command waits for the node by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  static final String USAGE = String.join("\n",
    "usage: java -jar roomcast-gateway.jar admin COMMAND [ARGS] [--url URL] [--token T] [--hub NAME] [--json] [--timeout MS]",
    "",
    "commands (every answer is cluster-wide: the node asked answers for every node):",
    "  nodes                      the live nodes: address, connections, rooms, uptime, state",
    "  list                       the hubs: path, connections, rooms",
    "  rooms [ROOM]               the rooms and their member counts; with ROOM, its members and their nodes",
    "  channels [ROOM]            the same as rooms",
    "  stats                      counters per hub and per node: connections, rooms, messages, drops, bytes",
    "  kick ID                    close a client, wherever it is connected, with 1008 \"kicked\"",
    "  publish ROOM EVENT [JSON]  publish EVENT with JSON as data to every member of ROOM",
    "  send ID EVENT [JSON]       send EVENT with JSON as data to one client",
    "  health                     whether the node at --url is live and ready",
    "",
    "options:",
    "  --url URL        the management API of any node (default $ROOMCAST_ADMIN_URL, else",
    "                   http://127.0.0.1:$ROOMCAST_MANAGEMENT_PORT, else " + DEFAULT_URL + ")",
    "  --token T        the management token (default $ROOMCAST_MANAGEMENT_TOKEN)",
    "  --hub NAME       a hub other than default",
    "  --json           print the API's JSON answer instead of a table",
    "  --timeout MS     how long to wait for the node (default " + DEFAULT_TIMEOUT.toMillis() + ")",
    "",
    "exit codes: 0 done; 1 the node answered with an error (unknown client or room, cluster unavailable,",
    "unauthorized); 2 bad command line; 3 the node could not be reached. Errors are one line on stderr.");

  /** The commands. */
  public enum Command {
    NODES, LIST, ROOMS, STATS, KICK, PUBLISH, SEND, HEALTH
  }

  private final Command command;
  private final List<String> operands;
  private final Object data;
  private final boolean hasData;
  private final URI url;
  private final String token;
  private final String hub;
  private final boolean json;
  private final Duration timeout;

  private AdminArgs(Command command, List<String> operands, Object data, boolean hasData, URI url, String token, String hub,
      boolean json, Duration timeout) {
    this.command = command;
    this.operands = operands;
    this.data = data;
    this.hasData = hasData;
    this.url = url;
    this.token = token;
    this.hub = hub;
    this.json = json;
    this.timeout = timeout;
  }

  /**
   * @param args the arguments after {@code admin}
   * @param env the environment
   * @return the parsed command line
   * @throws UsageException when it is wrong
   * @throws HelpRequested for {@code --help}, {@code -h} or {@code help}
   */
  public static AdminArgs parse(String[] args, Map<String, String> env) {
    List<String> positional = new ArrayList<>();
    String url = null;
    String token = null;
    String hub = null;
    String timeout = null;
    boolean json = false;
    ArgumentScanner scanner = new ArgumentScanner(args, UsageException::new);
    while (scanner.hasNext()) {
      String arg = scanner.next();
      switch (arg) {
        case "--help":
        case "-h":
          throw new HelpRequested();
        case "--json":
          scanner.noValue();
          json = true;
          break;
        case "--url":
          url = scanner.value();
          break;
        case "--token":
          token = scanner.value();
          break;
        case "--hub":
          hub = scanner.value();
          break;
        case "--timeout":
          timeout = scanner.value();
          break;
        default:
          // A lone "-" or a negative number is an operand; anything else starting with "--" is a typo.
          if (arg.startsWith("--")) {
            throw new UsageException("unknown option \"" + scanner.current() + "\"");
          }
          positional.add(scanner.current());
      }
    }
    if (positional.isEmpty()) {
      throw new UsageException("a command is needed: nodes, list, rooms, stats, kick, publish, send or health");
    }
    String name = positional.remove(0);
    if (name.equals("help")) {
      throw new HelpRequested();
    }
    Command command = command(name);
    Object data = null;
    boolean hasData = false;
    switch (command) {
      case NODES:
      case LIST:
      case STATS:
      case HEALTH:
        count(name, positional, 0, 0, "");
        break;
      case ROOMS:
        count(name, positional, 0, 1, " [ROOM]");
        break;
      case KICK:
        count(name, positional, 1, 1, " ID");
        break;
      case PUBLISH:
      case SEND:
        count(name, positional, 2, 3, command == Command.PUBLISH ? " ROOM EVENT [JSON]" : " ID EVENT [JSON]");
        if (positional.size() == 3) {
          data = json(positional.remove(2));
          hasData = true;
        }
        break;
      default:
        throw new IllegalStateException(name);
    }
    if (url == null) {
      url = env.get("ROOMCAST_ADMIN_URL");
    }
    if (url == null && env.get("ROOMCAST_MANAGEMENT_PORT") != null) {
      url = "http://127.0.0.1:" + env.get("ROOMCAST_MANAGEMENT_PORT").trim();
    }
    if (token == null) {
      String fromEnv = env.get("ROOMCAST_MANAGEMENT_TOKEN");
      token = fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
    }
    if (hub != null && hub.isBlank()) {
      throw new UsageException("--hub needs a name");
    }
    return new AdminArgs(command, List.copyOf(positional), data, hasData, url(url == null ? DEFAULT_URL : url), token, hub, json,
      timeout == null ? DEFAULT_TIMEOUT : timeout(timeout));
  }

  private static Command command(String name) {
    switch (name) {
      case "nodes":
        return Command.NODES;
      case "list":
      case "hubs":
        return Command.LIST;
      case "rooms":
      case "channels":
        return Command.ROOMS;
      case "stats":
        return Command.STATS;
      case "kick":
        return Command.KICK;
      case "publish":
        return Command.PUBLISH;
      case "send":
        return Command.SEND;
      case "health":
        return Command.HEALTH;
      default:
        throw new UsageException("unknown command \"" + name + "\": nodes, list, rooms, stats, kick, publish, send or health");
    }
  }

  private static void count(String name, List<String> operands, int min, int max, String shape) {
    if (operands.size() < min || operands.size() > max) {
      throw new UsageException(name + " takes " + (shape.isEmpty() ? "no arguments" : "arguments:" + shape)
        + ", got " + operands.size() + (operands.isEmpty() ? "" : ": " + String.join(" ", operands)));
    }
  }

  private static Object json(String text) {
    try {
      return Json.decodeValue(text);
    } catch (DecodeException e) {
      String reason = e.getMessage() == null ? "" : e.getMessage().split("\n", 2)[0];
      throw new UsageException("JSON is not valid JSON (a string needs quotes: '\"text\"'): " + reason);
    }
  }

  private static URI url(String text) {
    URI uri;
    try {
      uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--url " + text + " is not a URL");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new UsageException("--url must be http://HOST:PORT or https://HOST:PORT, got " + text);
    }
    return uri;
  }

  private static Duration timeout(String text) {
    try {
      long ms = Long.parseLong(text.trim());
      if (ms < 1 || ms > 600_000) {
        throw new UsageException("--timeout must be 1 to 600000 ms, got " + text);
      }
      return Duration.ofMillis(ms);
    } catch (NumberFormatException e) {
      throw new UsageException("--timeout must be a number of ms, got \"" + text + "\"");
    }
  }

  /** @return the command */
  public Command command() {
    return command;
  }

  /** @return the command's arguments, without the JSON data */
  public List<String> operands() {
    return operands;
  }

  /** @return the data of publish or send, parsed ({@code null} for JSON null or none) */
  public Object data() {
    return data;
  }

  /** @return whether publish or send was given data */
  public boolean hasData() {
    return hasData;
  }

  /** @return the management API's base URL, without a trailing slash */
  public URI url() {
    return url;
  }

  /** @return the management token, or {@code null} */
  public String token() {
    return token;
  }

  /** @return the hub, or {@code null} for the node's default */
  public String hub() {
    return hub;
  }

  /** @return whether to print JSON */
  public boolean json() {
    return json;
  }

  /** @return how long to wait for the node */
  public Duration timeout() {
    return timeout;
  }

  /** A wrong command line, with a one-line reason. */
  public static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message, null, false, false);
    }
  }

  /** {@code --help} was asked for. */
  public static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super(USAGE, null, false, false);
    }
  }
}
