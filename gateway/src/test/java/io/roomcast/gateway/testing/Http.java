package io.roomcast.gateway.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Plain HTTP requests to a node's management port on loopback, from the test thread, with the
 * JDK's client (the same one the admin commands use), bounded by {@link TestClient#TIMEOUT}.
 */
public final class Http {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TestClient.TIMEOUT).build();

  private Http() {
  }

  /** An answer: status, headers, body. */
  public record Response(int status, HttpHeaders headers, String body) {
    /** @return the body as a JSON object */
    public JsonObject json() {
      return new JsonObject(body);
    }

    /** @return the body as a JSON array */
    public JsonArray array() {
      return new JsonArray(body);
    }

    @Override
    public String toString() {
      return "HTTP " + status + " " + body;
    }
  }

  public static Response get(int port, String path) {
    return request("GET", port, path, null, null);
  }

  public static Response post(int port, String path, String body) {
    return request("POST", port, path, body, null);
  }

  /**
   * @param body the body, or {@code null} for none
   * @param token a Bearer token, or {@code null} for none
   */
  public static Response request(String method, int port, String path, String body, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
      .timeout(TestClient.TIMEOUT)
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " on port " + port + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
