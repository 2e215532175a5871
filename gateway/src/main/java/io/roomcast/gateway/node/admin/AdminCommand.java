package io.roomcast.gateway.node.admin;

import io.roomcast.gateway.node.NodeOptions;
import io.roomcast.gateway.node.cli.CommandLines;
import io.roomcast.gateway.node.cli.EnvironmentDefaults;
import io.roomcast.gateway.node.cli.ErrorLines;
import io.roomcast.gateway.node.cli.HelpSections;
import io.roomcast.gateway.node.cli.UsageErrors;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code java -jar roomcast-gateway.jar admin COMMAND ...}: the management API from a shell, on
 * picocli. Each command is a method below; the options may come before or after the command's
 * name. It prints a table or, with {@code --json}, the API's answer, and exits non-zero with a
 * one-line reason on stderr when anything fails: 1 when the node answered with an error, 2 for a
 * bad command line, 3 when the node could not be reached.
 */
@Command(
  name = "admin",
  description = {"Queries and commands a running cluster through the management API of any of its nodes.",
    "Every answer is cluster-wide: the node asked answers for every node."},
  synopsisSubcommandLabel = "COMMAND",
  exitCodeListHeading = "%nExit codes:%n",
  exitCodeList = {
    "0:done",
    "1:the node answered with an error (unknown client or room, cluster unavailable, unauthorized)",
    "2:a bad command line",
    "3:the node could not be reached"},
  footer = {"", "Errors are one line on standard error. See docs/OPERATIONS.md."})
public final class AdminCommand implements Callable<Integer>, ErrorLines {

  /** Success. */
  public static final int OK = 0;
  /** The node answered with an error. */
  public static final int FAILED = 1;
  /** A bad command line. */
  public static final int USAGE = 2;
  /** The node could not be reached. */
  public static final int UNREACHABLE = 3;

  /** The default address of the management API: the node's default management port on loopback. */
  public static final String DEFAULT_URL = "http://127.0.0.1:" + NodeOptions.DEFAULT_MANAGEMENT_PORT;
  /** How long a command waits for the node by default, in ms. */
  public static final long DEFAULT_TIMEOUT_MS = 10_000;

  @Option(names = "--url", paramLabel = "URL", scope = ScopeType.INHERIT, defaultValue = DEFAULT_URL, converter = AdminConverters.Url.class,
    description = "the management API of any node (default $ROOMCAST_ADMIN_URL, else port $ROOMCAST_MANAGEMENT_PORT of"
      + " 127.0.0.1, else " + DEFAULT_URL + ")")
  private URI url;

  @Option(names = "--token", paramLabel = "T", scope = ScopeType.INHERIT,
    description = "the management token or an API key (default $ROOMCAST_MANAGEMENT_TOKEN: prefer it, a command line is visible in ps)")
  private String token;

  @Option(names = "--hub", paramLabel = "NAME", scope = ScopeType.INHERIT, converter = AdminConverters.Name.class,
    description = "a hub other than the node's default")
  private String hub;

  @Option(names = "--json", arity = "0", scope = ScopeType.INHERIT, description = "print the API's JSON answer instead of a table")
  private boolean json;

  @Option(names = "--timeout", paramLabel = "MS", scope = ScopeType.INHERIT, defaultValue = "" + DEFAULT_TIMEOUT_MS,
    converter = AdminConverters.Timeout.class, description = "how long to wait for the node (default " + DEFAULT_TIMEOUT_MS + ")")
  private Duration timeout;

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "print this help and exit")
  private boolean helpRequested;

  @Spec
  private CommandSpec spec;

  private AdminCommand() {
  }

  /**
   * @param env the environment ({@code ROOMCAST_ADMIN_URL}, {@code ROOMCAST_MANAGEMENT_PORT},
   *     {@code ROOMCAST_MANAGEMENT_TOKEN})
   * @return the {@code admin} command line, standing alone or to add under the node's
   */
  public static CommandLine commandLine(Map<String, String> env) {
    CommandLine commandLine = new CommandLine(new AdminCommand());
    EnvironmentDefaults defaults = new EnvironmentDefaults(env)
      .bind("--url", "ROOMCAST_ADMIN_URL")
      .bind("--url", "ROOMCAST_MANAGEMENT_PORT", port -> "http://127.0.0.1:" + port.trim(), "as http://127.0.0.1:PORT")
      // An empty variable means no token, the way an unset one does.
      .bind("--token", "ROOMCAST_MANAGEMENT_TOKEN", token -> token.isEmpty() ? null : token, "empty: none");
    commandLine.getCommandSpec().defaultValueProvider(defaults);
    commandLine.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpSections.commandList());
    defaults.addHelpSection(commandLine);
    return CommandLines.configure(commandLine);
  }

  /**
   * Runs one command.
   *
   * @param argv the arguments after {@code admin}
   * @param out where answers go
   * @param err where the one-line reason of a failure goes
   * @param env the environment ({@code ROOMCAST_ADMIN_URL}, {@code ROOMCAST_MANAGEMENT_PORT},
   *     {@code ROOMCAST_MANAGEMENT_TOKEN})
   * @return the exit code
   */
  public static int run(String[] argv, PrintStream out, PrintStream err, Map<String, String> env) {
    PrintWriter answers = new PrintWriter(out, true);
    PrintWriter errors = new PrintWriter(err, true);
    int exit = commandLine(env).setOut(answers).setErr(errors).execute(argv);
    answers.flush();
    errors.flush();
    return exit;
  }

  /** {@code admin} alone names no command. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "a command is needed: " + UsageErrors.commandNames(spec.commandLine()));
  }

  @Command(name = "nodes", description = "the live nodes: address, connections, rooms, uptime, state")
  int nodes() {
    return show(client().get("/admin/nodes" + hubQuery()), Tables::nodes);
  }

  @Command(name = "list", aliases = "hubs", description = "the hubs: path, connections, rooms, nodes")
  int list() {
    return show(client().get("/admin/stats" + hubQuery()), Tables::hubs);
  }

  @Command(name = "rooms", aliases = "channels", description = "the rooms and their member counts; with ROOM, its members and their nodes")
  int rooms(@Parameters(paramLabel = "ROOM", arity = "0..1", description = "a room") String room) {
    if (room == null) {
      return show(client().get("/admin/rooms" + hubQuery()), Tables::rooms);
    }
    return show(client().get("/admin/rooms/" + AdminClient.path(room) + hubQuery()), Tables::members);
  }

  @Command(name = "history", description = "the last messages of ROOM, a room with history: offset, event, sender, data")
  int history(@Parameters(paramLabel = "ROOM", description = "the room") String room,
      @Option(names = "--limit", paramLabel = "N", description = "how many messages (default: the room's default, at most 50)") Integer limit,
      @Option(names = "--before", paramLabel = "OFFSET", description = "only messages before this offset") Long before) {
    StringBuilder query = new StringBuilder(hubQuery());
    if (limit != null) {
      query.append(query.length() == 0 ? '?' : '&').append("limit=").append(limit);
    }
    if (before != null) {
      query.append(query.length() == 0 ? '?' : '&').append("before=").append(before);
    }
    return show(client().get("/admin/rooms/" + AdminClient.path(room) + "/history" + query), Tables::history);
  }

  @Command(name = "stats", description = "counters per hub and per node: connections, rooms, messages, drops, bytes")
  int stats() {
    return show(client().get("/admin/stats" + hubQuery()), Tables::stats);
  }

  @Command(name = "presence", description = "who is in ROOM, a room with presence: client, node, user, info")
  int presence(@Parameters(paramLabel = "ROOM", description = "the room") String room,
      @Option(names = "--count-only", description = "only the counts of connections and users") boolean countOnly) {
    String query = hubQuery() + (countOnly ? (hub == null ? "?" : "&") + "countOnly=true" : "");
    return show(client().get("/admin/rooms/" + AdminClient.path(room) + "/presence" + query), Tables::presence);
  }

  @Command(name = "user", description = "the connections of user U on every node")
  int user(@Parameters(paramLabel = "U", description = "the user (the hub's userClaim)") String user) {
    return show(client().get("/admin/users/" + AdminClient.path(user) + hubQuery()), Tables::connections);
  }

  @Command(name = "kick", description = "close a client, or with --user every connection of a user, wherever it is connected,"
    + " with 1008 \"kicked\"")
  int kick(@Parameters(paramLabel = "ID", arity = "0..1", description = "the client's id") String id,
      @Option(names = "--user", paramLabel = "U", description = "kick every connection of this user instead") String user) {
    if ((id == null) == (user == null)) {
      throw new ParameterException(spec.commandLine(), "kick needs a client ID or --user U, not both");
    }
    if (user != null) {
      return show(client().post("/admin/users/" + AdminClient.path(user) + "/kick" + hubQuery(), null),
        answer -> "kicked " + ((JsonObject) answer).getLong("kicked") + " connection(s) of user " + user + "\n");
    }
    return show(client().post("/admin/clients/" + AdminClient.path(id) + "/kick" + hubQuery(), null), answer -> "kicked " + id + "\n");
  }

  @Command(name = "publish", description = "publish EVENT, with JSON as its data, to every member of ROOM on every node")
  int publish(@Parameters(index = "0", paramLabel = "ROOM", description = "the room") String room,
      @Parameters(index = "1", paramLabel = "EVENT", description = "the event's name") String event,
      @Parameters(index = "2", paramLabel = "JSON", arity = "0..1", converter = AdminConverters.Data.class,
        description = "the data: any JSON value ('\"text\"' for a string)") JsonData data) {
    return show(client().post("/admin/rooms/" + AdminClient.path(room) + "/publish" + hubQuery(), message(event, data)),
      answer -> "published " + event + " to " + room + " (" + ((JsonObject) answer).getLong("members") + " members)\n");
  }

  @Command(name = "send", description = "send EVENT, with JSON as its data, to one client, or with --user to every connection of a user")
  int send(@Option(names = "--user", paramLabel = "U", description = "send to every connection of this user; then no ID") String user,
      @Parameters(paramLabel = "[ID] EVENT [JSON]", arity = "1..3",
        description = "the client's id (not with --user), the event's name, and the data: any JSON value ('\"text\"' for a string)")
      List<String> args) {
    int first = user == null ? 1 : 0;
    if (args.size() < first + 1 || args.size() > first + 2) {
      throw new ParameterException(spec.commandLine(), user == null ? "send needs ID EVENT [JSON]" : "send --user U needs EVENT [JSON]");
    }
    String event = args.get(first);
    JsonData data;
    try {
      data = args.size() > first + 1 ? new AdminConverters.Data().convert(args.get(first + 1)) : null;
    } catch (picocli.CommandLine.TypeConversionException e) {
      throw new ParameterException(spec.commandLine(), "JSON " + e.getMessage());
    }
    if (user != null) {
      return show(client().post("/admin/users/" + AdminClient.path(user) + "/send" + hubQuery(), message(event, data)),
        answer -> "sent " + event + " to user " + user + "\n");
    }
    String id = args.get(0);
    return show(client().post("/admin/clients/" + AdminClient.path(id) + "/send" + hubQuery(), message(event, data)),
      answer -> "sent " + event + " to " + id + "\n");
  }

  @Command(name = "health", description = "whether the node at --url is live and ready")
  int health() {
    AdminClient client = client();
    AdminClient.Response live = client.probe("/health/live");
    AdminClient.Response ready = client.probe("/health/ready");
    JsonObject body = ready.json() instanceof JsonObject ? (JsonObject) ready.json() : new JsonObject();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new JsonObject().put("live", live.status() == 200).put("ready", ready.status() == 200)
        .put("state", body.getString("state")).encodePrettily());
    } else {
      out.println(ready.status() == 200 ? "live, ready" : (live.status() == 200 ? "live" : "not live") + ", not ready ("
        + body.getString("state", "HTTP " + ready.status()) + ")");
    }
    out.flush();
    return ready.status() == 200 ? OK : FAILED;
  }

  @Command(name = "help", description = "print this help, or a command's")
  int help(@Parameters(paramLabel = "COMMAND", arity = "0..1", description = "a command") String command) {
    CommandLine admin = spec.commandLine();
    CommandLine target = command == null ? admin : admin.getSubcommands().get(command);
    if (target == null) {
      throw new ParameterException(admin, "unknown command \"" + command + "\"");
    }
    target.usage(admin.getOut());
    return OK;
  }

  private AdminClient client() {
    return new AdminClient(url, token, timeout);
  }

  private int show(AdminClient.Response response, Function<Object, String> table) {
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? Json.encodePrettily(response.json()) + "\n" : table.apply(response.json()));
    out.flush();
    return OK;
  }

  private static String message(String event, JsonData data) {
    JsonObject body = new JsonObject().put("event", event);
    if (data != null) {
      body.put("data", data.value());
    }
    return body.encode();
  }

  private String hubQuery() {
    return hub == null ? "" : "?hub=" + URLEncoder.encode(hub, StandardCharsets.UTF_8);
  }

  @Override
  public String usage(String reason) {
    return "roomcast admin: " + reason + " (see: admin --help)";
  }

  @Override
  public String failure(String reason) {
    return "roomcast admin: " + reason;
  }
}
