package io.roomcast.gateway.node.admin;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code java -jar roomcast-gateway.jar admin COMMAND ...}: the management API from a shell. It
 * uses the JDK's HTTP client (no event loop, a fast start), prints a table or, with
 * {@code --json}, the API's answer, and exits non-zero with a one-line reason on stderr when
 * anything fails: 1 when the node answered with an error, 2 for a bad command line, 3 when the
 * node could not be reached.
 */
public final class AdminCommand {

  /** Success. */
  public static final int OK = 0;
  /** The node answered with an error. */
  public static final int FAILED = 1;
  /** A bad command line. */
  public static final int USAGE = 2;
  /** The node could not be reached. */
  public static final int UNREACHABLE = 3;

  private final AdminArgs args;
  private final PrintStream out;

  private AdminCommand(AdminArgs args, PrintStream out) {
    this.args = args;
    this.out = out;
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
    AdminArgs args;
    try {
      args = AdminArgs.parse(argv, env);
    } catch (AdminArgs.HelpRequested help) {
      out.println(help.getMessage());
      return OK;
    } catch (AdminArgs.UsageException e) {
      err.println("roomcast admin: " + e.getMessage() + " (see: admin --help)");
      return USAGE;
    }
    try {
      return new AdminCommand(args, out).run();
    } catch (Failure f) {
      err.println("roomcast admin: " + f.getMessage());
      return f.exitCode;
    } finally {
      out.flush();
    }
  }

  private int run() {
    switch (args.command()) {
      case NODES:
        return show(get("/admin/nodes" + hubQuery()), Tables::nodes);
      case LIST:
        return show(get("/admin/stats" + hubQuery()), Tables::hubs);
      case ROOMS:
        if (args.operands().isEmpty()) {
          return show(get("/admin/rooms" + hubQuery()), Tables::rooms);
        }
        return show(get("/admin/rooms/" + path(args.operands().get(0)) + hubQuery()), Tables::members);
      case STATS:
        return show(get("/admin/stats" + hubQuery()), Tables::stats);
      case KICK: {
        String id = args.operands().get(0);
        return show(post("/admin/clients/" + path(id) + "/kick" + hubQuery(), null), answer -> "kicked " + id + "\n");
      }
      case PUBLISH: {
        String room = args.operands().get(0);
        String event = args.operands().get(1);
        return show(post("/admin/rooms/" + path(room) + "/publish" + hubQuery(), message(event)),
          answer -> "published " + event + " to " + room + " (" + ((JsonObject) answer).getLong("members") + " members)\n");
      }
      case SEND: {
        String id = args.operands().get(0);
        String event = args.operands().get(1);
        return show(post("/admin/clients/" + path(id) + "/send" + hubQuery(), message(event)), answer -> "sent " + event + " to " + id + "\n");
      }
      case HEALTH:
        return health();
      default:
        throw new IllegalStateException(args.command().name());
    }
  }

  private int health() {
    Response live = send(HttpRequest.newBuilder(uri("/health/live")).GET(), true);
    Response ready = send(HttpRequest.newBuilder(uri("/health/ready")).GET(), true);
    JsonObject body = ready.json() instanceof JsonObject ? (JsonObject) ready.json() : new JsonObject();
    if (args.json()) {
      out.println(new JsonObject().put("live", live.status == 200).put("ready", ready.status == 200)
        .put("state", body.getString("state")).encodePrettily());
    } else {
      out.println(ready.status == 200 ? "live, ready" : (live.status == 200 ? "live" : "not live") + ", not ready ("
        + body.getString("state", "HTTP " + ready.status) + ")");
    }
    return ready.status == 200 ? OK : FAILED;
  }

  private interface Formatter {
    String format(Object answer);
  }

  private int show(Response response, Formatter table) {
    out.print(args.json() ? Json.encodePrettily(response.json()) + "\n" : table.format(response.json()));
    return OK;
  }

  private String message(String event) {
    JsonObject body = new JsonObject().put("event", event);
    if (args.hasData()) {
      body.put("data", args.data());
    }
    return body.encode();
  }

  private String hubQuery() {
    return args.hub() == null ? "" : "?hub=" + java.net.URLEncoder.encode(args.hub(), StandardCharsets.UTF_8);
  }

  /** Room names and client ids go into the path as they are, but for characters a path cannot hold. */
  static String path(String segment) {
    StringBuilder sb = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "._:@/-".indexOf(c) >= 0)) {
        sb.append(c);
      } else {
        sb.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return sb.toString();
  }

  private URI uri(String pathAndQuery) {
    return URI.create(args.url() + pathAndQuery);
  }

  private Response get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET(), false);
  }

  private Response post(String pathAndQuery, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery))
      .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return send(request, false);
  }

  private Response send(HttpRequest.Builder request, boolean anyStatus) {
    request.timeout(args.timeout()).header("Accept", "application/json");
    if (args.token() != null) {
      request.header("Authorization", "Bearer " + args.token());
    }
    HttpRequest built = request.build();
    HttpResponse<String> response;
    try {
      response = HttpClient.newBuilder().connectTimeout(args.timeout()).build()
        .send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw new Failure(UNREACHABLE, "cannot reach " + args.url() + ": no connection within " + args.timeout().toMillis() + " ms");
    } catch (HttpTimeoutException e) {
      throw new Failure(UNREACHABLE, "no answer from " + args.url() + " within " + args.timeout().toMillis() + " ms");
    } catch (ConnectException e) {
      throw new Failure(UNREACHABLE, "cannot reach " + args.url() + ": connection refused (is a node running there? see --url)");
    } catch (IOException e) {
      throw new Failure(UNREACHABLE, "cannot reach " + args.url() + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(UNREACHABLE, "interrupted");
    }
    Object json;
    try {
      json = response.body().isEmpty() ? null : Json.decodeValue(response.body());
    } catch (DecodeException e) {
      throw new Failure(FAILED, "the answer of " + built.uri() + " is not JSON (HTTP " + response.statusCode() + "): is --url a Roomcast management port?");
    }
    if (!anyStatus && response.statusCode() / 100 != 2) {
      throw new Failure(FAILED, reason(response.statusCode(), json));
    }
    return new Response(response.statusCode(), json);
  }

  private static String reason(int status, Object json) {
    if (json instanceof JsonObject && ((JsonObject) json).getString("message") != null) {
      JsonObject error = (JsonObject) json;
      return error.getString("message") + " (HTTP " + status + " " + error.getString("error", "") + ")";
    }
    return "HTTP " + status;
  }

  private static final class Response {
    final int status;
    final Object json;

    Response(int status, Object json) {
      this.status = status;
      this.json = json;
    }

    Object json() {
      return json instanceof JsonArray || json instanceof JsonObject ? json : new JsonObject();
    }
  }

  /** A failure with its exit code; its message is the one line printed. */
  private static final class Failure extends RuntimeException {
    final int exitCode;

    Failure(int exitCode, String message) {
      super(message, null, false, false);
      this.exitCode = exitCode;
    }
  }
}
