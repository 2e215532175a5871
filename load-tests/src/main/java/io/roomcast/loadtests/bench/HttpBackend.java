package io.roomcast.loadtests.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP backend of the services mode's {@code http} phase (docs/SERVICES.md, "Services over
 * HTTP"): a Vert.x HTTP server on loopback, on one event loop of its own in the harness's JVM,
 * that answers {@code POST /quote} with the item's price, as the order service answers
 * {@code order.quote}. It measures itself apart from the round trip: its handling time, from
 * the whole request read to the answer written, and the CPU time of its event loop, per request.
 */
final class HttpBackend implements AutoCloseable {

  static final String PATH = "/quote";

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final HttpServer server;
  /** Loop-confined, but for {@link #measure}, which runs on the loop too. */
  private final Histogram handlingMicros = new Histogram(3);
  private long requests;
  private long refused;
  private long loopThreadId = -1;
  private long cpuNanosAtStart;

  HttpBackend() {
    server = vertx.createHttpServer().requestHandler(this::serve).listen(0, "127.0.0.1").await();
    onLoop(() -> loopThreadId = Thread.currentThread().getId());
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + PATH;
  }

  private void serve(HttpServerRequest request) {
    request.body().onSuccess(buffer -> {
      long start = System.nanoTime();
      Object item = null;
      try {
        JsonObject body = buffer.toJsonObject();
        item = body.getValue("data") instanceof JsonObject data ? data.getValue("item") : null;
      } catch (RuntimeException e) {
        // answered below
      }
      if (!PATH.equals(request.path()) || !(item instanceof String name)) {
        refused++;
        request.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end(new JsonObject().put("message", "POST " + PATH + " with data.item").encode());
        return;
      }
      request.response().putHeader("content-type", "application/json")
        .end(new JsonObject().put("item", name).put("price", 100 + Math.floorMod(name.hashCode(), 900)).encode());
      requests++;
      handlingMicros.recordValue(Math.max(0, (System.nanoTime() - start) / 1000));
    });
  }

  /** Starts a measured window: what the backend did before is forgotten. */
  void reset() {
    onLoop(() -> {
      handlingMicros.reset();
      requests = 0;
      refused = 0;
      cpuNanosAtStart = THREADS.getThreadCpuTime(loopThreadId);
    });
  }

  /** @return {"requests","refused","handlingMs":{p50,p99,max},"cpuPerRequestMs"} since {@link #reset} */
  ObjectNode measure() {
    CompletableFuture<ObjectNode> report = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      ObjectNode r = Results.object();
      r.put("requests", requests);
      r.put("refused", refused);
      r.set("handling", Results.latency(handlingMicros));
      long cpu = THREADS.getThreadCpuTime(loopThreadId) - cpuNanosAtStart;
      r.put("cpuPerRequestMs", Results.round(cpu / 1e6 / Math.max(1, requests)));
      report.complete(r);
    });
    return report.join();
  }

  private void onLoop(Runnable task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      task.run();
      done.complete(null);
    });
    done.join();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
