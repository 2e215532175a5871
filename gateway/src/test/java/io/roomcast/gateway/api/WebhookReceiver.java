package io.roomcast.gateway.api;

import io.roomcast.gateway.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback for the tests: it checks each POST's signature, keeps the
 * events of the POSTs it takes, can refuse the next ones with 503, and can go down (its port
 * closed) and come back on the same port.
 */
final class WebhookReceiver implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final String secret;
  private final List<JsonObject> taken = new ArrayList<>();
  private final List<String> badSignatures = new ArrayList<>();
  private final AtomicInteger refuseNext = new AtomicInteger();
  private volatile boolean silent;
  private final AtomicInteger posts = new AtomicInteger();
  private HttpServer server;
  private int port;

  WebhookReceiver(String secret) {
    this.secret = secret;
    up();
  }

  /** Listens, on the same port as before if it listened before. */
  void up() {
    server = Await.result(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      posts.incrementAndGet();
      if (silent) {
        return;
      }
      String expected = "sha256=" + hmac(body.getBytes());
      if (!expected.equals(request.getHeader("roomcast-signature"))) {
        synchronized (this) {
          badSignatures.add(String.valueOf(request.getHeader("roomcast-signature")));
        }
        request.response().setStatusCode(401).end();
        return;
      }
      if (refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        request.response().setStatusCode(503).end();
        return;
      }
      synchronized (this) {
        body.toJsonObject().getJsonArray("events").forEach(e -> taken.add((JsonObject) e));
      }
      request.response().setStatusCode(204).end();
    })).listen(port, "127.0.0.1"));
    port = server.actualPort();
  }

  /** Closes the port: every POST fails to connect until {@link #up}. */
  void down() {
    Await.result(server.close());
  }

  /** Takes every POST and never answers it. */
  void silent() {
    silent = true;
  }

  void refuseNext(int posts) {
    refuseNext.set(posts);
  }

  String url() {
    return "http://127.0.0.1:" + port + "/hooks";
  }

  int posts() {
    return posts.get();
  }

  synchronized List<JsonObject> taken() {
    return new ArrayList<>(taken);
  }

  /** @return the events taken, each id once (the first time), in the order first taken */
  synchronized List<JsonObject> unique() {
    Map<String, JsonObject> byId = new LinkedHashMap<>();
    taken.forEach(e -> byId.putIfAbsent(e.getString("id"), e));
    return new ArrayList<>(byId.values());
  }

  synchronized List<String> badSignatures() {
    return new ArrayList<>(badSignatures);
  }

  String hmac(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
