package io.roomcast.gateway.impl;

import io.roomcast.gateway.WebhookOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One webhook of a hub on this node (WebhookOptions): lifecycle events are queued as they happen
 * (from any event loop) and POSTed from one context, a batch at a time, so that they arrive in the
 * order they were queued. A batch the receiver does not take is sent again, the same events with
 * the same ids, after a backoff that doubles from {@value #FIRST_RETRY_MS} ms up to the webhook's
 * {@code maxRetryDelay}; nothing is given up while it waits. Events beyond {@code queueLimit} are
 * dropped, counted and logged (at most one line every {@value #DROP_LOG_MS} ms). When the hub
 * closes, what waits is sent back to back for at most the webhook's {@code timeout}, with no retry
 * (see {@link #close()}).
 */
final class WebhookSender {

  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

  static final long FIRST_RETRY_MS = 250;
  static final long DROP_LOG_MS = 10_000;
  /** The header of the signature: {@code sha256=} and the hex HMAC-SHA256 of the body. */
  static final String SIGNATURE = "roomcast-signature";

  private final WebhookOptions options;
  private final WebClient client;
  private final Context context;
  private final HubStats stats;
  private final MultiMap headers;
  private final Set<String> events;
  private final SecretKeySpec key;
  /** Events waiting, oldest first; the batch in flight is at the head until the receiver takes it. */
  private final ArrayDeque<JsonObject> queue = new ArrayDeque<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean wakeUpPending = new AtomicBoolean();
  // Context-confined from here.
  private boolean inFlight;
  /** A partial batch waits for the batch delay to fill. */
  private boolean batchTimerSet;
  /** After a failed POST: nothing is sent until the backoff ends. */
  private boolean backingOff;
  private int failures;
  private long droppedSinceLog;
  private long lastDropLog;
  /** Set by close(), completed once stopped: meanwhile what waits goes out at once, until stopBy. */
  private Promise<Void> stopping;
  /** The System.nanoTime() after which nothing more is sent. */
  private long stopBy;
  private boolean closed;

  WebhookSender(String hub, WebhookOptions options, WebClient client, Context context, HubStats stats) {
    this.options = options;
    this.client = client;
    this.context = context;
    this.stats = stats;
    this.headers = MultiMap.caseInsensitiveMultiMap().addAll(options.getHeaders())
      .set("content-type", "application/json")
      .set("roomcast-hub", hub);
    this.events = options.getEvents();
    this.key = new SecretKeySpec(options.getSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  boolean wants(String type) {
    return events.contains(type);
  }

  /** Queues an event, from any thread; the sender's context sends it. */
  void offer(JsonObject event) {
    if (queued.incrementAndGet() > options.getQueueLimit()) {
      queued.decrementAndGet();
      stats.webhookDropped(1);
      context.runOnContext(v -> logDrop());
      return;
    }
    synchronized (queue) {
      queue.addLast(event);
    }
    if (wakeUpPending.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        wakeUpPending.set(false);
        next();
      });
    }
  }

  private void next() {
    if (closed || inFlight) {
      return;
    }
    if (stopping != null) {
      send();
      return;
    }
    if (backingOff || queued.get() == 0) {
      return;
    }
    if (queued.get() < options.getBatchSize() && options.getBatchDelay() > 0 && failures == 0) {
      // A partial batch waits a little for others to share its POST; a full one goes at once.
      if (!batchTimerSet) {
        batchTimerSet = true;
        context.owner().setTimer(options.getBatchDelay(), id -> {
          batchTimerSet = false;
          send();
        });
      }
      return;
    }
    send();
  }

  private void send() {
    if (closed || inFlight || backingOff && stopping == null) {
      return;
    }
    if (stopping != null && (queued.get() == 0 || System.nanoTime() - stopBy > 0)) {
      stopped();
      return;
    }
    if (queued.get() == 0) {
      return;
    }
    List<JsonObject> batch = new ArrayList<>(options.getBatchSize());
    synchronized (queue) {
      for (JsonObject e : queue) {
        if (batch.size() == options.getBatchSize()) {
          break;
        }
        batch.add(e);
      }
    }
    Buffer body = new JsonObject().put("events", new JsonArray(new ArrayList<>(batch))).toBuffer();
    inFlight = true;
    // Only the status counts: whatever body the receiver sends is not kept.
    client.postAbs(options.getUrl()).putHeaders(headers).putHeader(SIGNATURE, "sha256=" + sign(body)).as(BodyCodec.none())
      .connectTimeout(options.getTimeout()).idleTimeout(options.getTimeout())
      .sendBuffer(body)
      .timeout(options.getTimeout(), TimeUnit.MILLISECONDS)
      .onComplete(ar -> {
        inFlight = false;
        if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
          synchronized (queue) {
            for (int i = 0; i < batch.size(); i++) {
              queue.pollFirst();
            }
          }
          queued.addAndGet(-batch.size());
          stats.webhookDelivered(batch.size());
          failures = 0;
          next();
        } else if (stopping != null) {
          // The node is going away: a receiver that fails now is not waited for.
          stats.webhookFailedAttempt();
          stopped();
        } else {
          retry(ar.succeeded() ? "HTTP " + ar.result().statusCode() : String.valueOf(ar.cause().getMessage()));
        }
      });
  }

  private void retry(String why) {
    failures++;
    stats.webhookFailedAttempt();
    long backoff = Math.min(options.getMaxRetryDelay(), FIRST_RETRY_MS << Math.min(20, failures - 1));
    // A little jitter, so that the nodes do not all come back at the same instant.
    long delay = backoff - ThreadLocalRandom.current().nextLong(backoff / 5 + 1);
    if (failures == 1 || failures % 10 == 0) {
      log.warn("webhook {}: the receiver did not take {} event(s) ({}); failure {}, sending again in {} ms", options.getUrl(),
        Math.min(queued.get(), options.getBatchSize()), why, failures, delay);
    }
    backingOff = true;
    context.owner().setTimer(delay, id -> {
      backingOff = false;
      send();
    });
  }

  private String sign(Buffer body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }

  private void logDrop() {
    droppedSinceLog++;
    long now = System.currentTimeMillis();
    if (now - lastDropLog >= DROP_LOG_MS) {
      log.warn("webhook {}: {} event(s) dropped, {} waiting (queueLimit {})", options.getUrl(), droppedSinceLog, queued.get(),
        options.getQueueLimit());
      droppedSinceLog = 0;
      lastDropLog = now;
    }
  }

  /**
   * Sends what waits (the hub's closing queues its clients' disconnects before it calls this) at
   * once, batch after batch, and stops at the first batch the receiver does not take or once the
   * webhook's {@code timeout} has passed. What is left is dropped, counted and logged.
   *
   * @return completed once the sender has stopped
   */
  Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (stopping == null) {
        stopping = Promise.promise();
        stopBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.getTimeout());
        next();
      }
      stopping.future().onComplete(done);
    });
    return done.future();
  }

  private void stopped() {
    closed = true;
    int left = queued.getAndSet(0);
    synchronized (queue) {
      queue.clear();
    }
    if (left > 0) {
      stats.webhookDropped(left);
      log.warn("webhook {}: {} event(s) not sent: the hub closed before the receiver took them", options.getUrl(), left);
    }
    stopping.complete();
  }
}
