package io.roomcast.gateway.node.admin;

import io.roomcast.gateway.node.cli.CommandFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A node's management API over HTTP, for the admin commands: the JDK's HTTP client (no event
 * loop, a fast start). Anything that goes wrong is a {@link CommandFailure} with the admin's exit
 * code: {@link AdminCommand#UNREACHABLE} when the node could not be reached,
 * {@link AdminCommand#FAILED} when it answered with an error.
 */
final class AdminClient {

  /** An answer: its status, and its JSON ({@code {}} when it had none). */
  record Response(int status, Object json) {
  }

  private final URI url;
  private final String token;
  private final Duration timeout;

  /**
   * @param url the management API's base URL, without a trailing slash
   * @param token the management token, or {@code null}
   * @param timeout how long to wait for the node
   */
  AdminClient(URI url, String token, Duration timeout) {
    this.url = url;
    this.token = token;
    this.timeout = timeout;
  }

  /** @return the 2xx answer of a GET */
  Response get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET(), false);
  }

  /** @return the answer of a GET, whatever its status (health answers 503 when not ready) */
  Response probe(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET(), true);
  }

  /**
   * @param body a JSON body, or {@code null} for none
   * @return the 2xx answer of a POST
   */
  Response post(String pathAndQuery, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery))
      .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return send(request, false);
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
    return URI.create(url + pathAndQuery);
  }

  private Response send(HttpRequest.Builder request, boolean anyStatus) {
    request.timeout(timeout).header("Accept", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpRequest built = request.build();
    HttpResponse<String> response;
    try {
      response = HttpClient.newBuilder().connectTimeout(timeout).build()
        .send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw unreachable("cannot reach " + url + ": no connection within " + timeout.toMillis() + " ms");
    } catch (HttpTimeoutException e) {
      throw unreachable("no answer from " + url + " within " + timeout.toMillis() + " ms");
    } catch (ConnectException e) {
      throw unreachable("cannot reach " + url + ": connection refused (is a node running there? see --url)");
    } catch (IOException e) {
      throw unreachable("cannot reach " + url + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable("interrupted");
    }
    Object json;
    try {
      json = response.body().isEmpty() ? null : Json.decodeValue(response.body());
    } catch (DecodeException e) {
      throw new CommandFailure(AdminCommand.FAILED, "the answer of " + built.uri() + " is not JSON (HTTP " + response.statusCode()
        + "): is --url a Roomcast management port?");
    }
    if (!anyStatus && response.statusCode() / 100 != 2) {
      throw new CommandFailure(AdminCommand.FAILED, reason(response.statusCode(), json));
    }
    return new Response(response.statusCode(), json instanceof JsonArray || json instanceof JsonObject ? json : new JsonObject());
  }

  private static CommandFailure unreachable(String message) {
    return new CommandFailure(AdminCommand.UNREACHABLE, message);
  }

  private static String reason(int status, Object json) {
    if (json instanceof JsonObject && ((JsonObject) json).getString("message") != null) {
      JsonObject error = (JsonObject) json;
      return error.getString("message") + " (HTTP " + status + " " + error.getString("error", "") + ")";
    }
    return "HTTP " + status;
  }
}
