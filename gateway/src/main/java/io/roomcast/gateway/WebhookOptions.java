package io.roomcast.gateway;

import io.roomcast.gateway.impl.options.Checks;
import io.roomcast.gateway.impl.options.HttpTargets;
import io.roomcast.gateway.impl.options.JsonOptionsReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A webhook (docs/SERVICES.md, "Webhooks"): each node POSTs its hub's lifecycle events to
 * {@code url} in batches, {@code {"events":[...]}}, signed with HMAC-SHA256 of the body under
 * {@code secret} in the header {@code roomcast-signature: sha256=<hex>}. A batch the receiver does
 * not take (no 2xx in time) is sent again, with backoff up to {@code maxRetryDelay}, until it is:
 * at least once, each event with an {@code id} to deduplicate on, in the order they happened on
 * the node. Events beyond {@code queueLimit} waiting on a node are dropped, counted and logged.
 * JSON form: {@code {"url":"https://app.example/hooks","secret":"...","events":["join","leave"]}}.
 */
public class WebhookOptions {

  /** The lifecycle events a webhook can take, all of them by default. */
  public static final List<String> EVENTS = List.of("connect", "disconnect", "join", "leave", "occupied", "vacated");
  /** The shortest secret taken. */
  public static final int MIN_SECRET_LENGTH = 16;
  public static final int DEFAULT_BATCH_SIZE = 100;
  public static final long DEFAULT_BATCH_DELAY = 100;
  public static final int DEFAULT_QUEUE_LIMIT = 10_000;
  public static final long DEFAULT_TIMEOUT = 5_000;
  public static final long DEFAULT_MAX_RETRY_DELAY = 10_000;

  private static final Set<String> KEYS = Set.of("url", "secret", "events", "headers", "batchSize", "batchDelay", "queueLimit",
    "timeout", "maxRetryDelay");

  private String url;
  private String secret;
  private Set<String> events = new LinkedHashSet<>(EVENTS);
  private Map<String, String> headers = new LinkedHashMap<>();
  private int batchSize = DEFAULT_BATCH_SIZE;
  private long batchDelay = DEFAULT_BATCH_DELAY;
  private int queueLimit = DEFAULT_QUEUE_LIMIT;
  private long timeout = DEFAULT_TIMEOUT;
  private long maxRetryDelay = DEFAULT_MAX_RETRY_DELAY;

  /**
   * @param url the receiver: absolute, {@code http://} or {@code https://}
   * @param secret the key of the signature, at least {@value #MIN_SECRET_LENGTH} characters
   */
  public WebhookOptions(String url, String secret) {
    setUrl(url);
    setSecret(secret);
  }

  /** @param other options to copy */
  public WebhookOptions(WebhookOptions other) {
    this.url = other.url;
    this.secret = other.secret;
    this.events = new LinkedHashSet<>(other.events);
    this.headers = new LinkedHashMap<>(other.headers);
    this.batchSize = other.batchSize;
    this.batchDelay = other.batchDelay;
    this.queueLimit = other.queueLimit;
    this.timeout = other.timeout;
    this.maxRetryDelay = other.maxRetryDelay;
  }

  /**
   * @param json options as JSON; unknown keys and wrong types are refused
   * @throws IllegalArgumentException naming the bad key
   */
  public WebhookOptions(JsonObject json) {
    this(json, null);
  }

  WebhookOptions(JsonObject json, String where) {
    JsonOptionsReader r = new JsonOptionsReader(json, where, KEYS);
    String to = r.string("url", null);
    String key = r.string("secret", null);
    Checks.require(to != null, "option \"" + r.path("url") + "\" is required");
    Checks.require(key != null, "option \"" + r.path("secret") + "\" is required");
    r.set("url", () -> setUrl(to));
    r.set("secret", () -> setSecret(key));
    r.set("events", () -> setEvents(r.strings("events", EVENTS)));
    r.set("headers", () -> setHeaders(HttpTargets.headers(r.object("headers"))));
    r.set("batchSize", () -> setBatchSize(Checks.toInt(r.integer("batchSize", DEFAULT_BATCH_SIZE))));
    r.set("batchDelay", () -> setBatchDelay(r.integer("batchDelay", DEFAULT_BATCH_DELAY)));
    r.set("queueLimit", () -> setQueueLimit(Checks.toInt(r.integer("queueLimit", DEFAULT_QUEUE_LIMIT))));
    r.set("timeout", () -> setTimeout(r.integer("timeout", DEFAULT_TIMEOUT)));
    r.set("maxRetryDelay", () -> setMaxRetryDelay(r.integer("maxRetryDelay", DEFAULT_MAX_RETRY_DELAY)));
  }

  /** @return these options as JSON (the secret and headers included: they are configuration) */
  public JsonObject toJson() {
    return new JsonObject().put("url", url).put("secret", secret).put("events", new JsonArray(List.copyOf(events)))
      .put("headers", new JsonObject(new LinkedHashMap<>(headers))).put("batchSize", batchSize).put("batchDelay", batchDelay)
      .put("queueLimit", queueLimit).put("timeout", timeout).put("maxRetryDelay", maxRetryDelay);
  }

  public String getUrl() {
    return url;
  }

  /** @param url the receiver: absolute, {@code http://} or {@code https://}, with a host and no credentials */
  public WebhookOptions setUrl(String url) {
    this.url = HttpTargets.url("a webhook's url", url);
    return this;
  }

  public String getSecret() {
    return secret;
  }

  /** @param secret the key of the HMAC-SHA256 signature, at least {@value #MIN_SECRET_LENGTH} characters (never printed) */
  public WebhookOptions setSecret(String secret) {
    Objects.requireNonNull(secret, "secret");
    Checks.require(secret.length() >= MIN_SECRET_LENGTH, "a webhook's secret must be at least " + MIN_SECRET_LENGTH
      + " characters, got " + secret.length());
    this.secret = secret;
    return this;
  }

  /** @return the lifecycle events sent */
  public Set<String> getEvents() {
    return new LinkedHashSet<>(events);
  }

  /** @param events some of {@link #EVENTS}, at least one */
  public WebhookOptions setEvents(List<String> events) {
    Objects.requireNonNull(events, "events");
    Checks.require(!events.isEmpty(), "a webhook needs at least one event of " + EVENTS);
    events.forEach(e -> Checks.require(EVENTS.contains(e), "a webhook has no event \"" + e + "\"; events: " + EVENTS));
    this.events = new LinkedHashSet<>(events);
    return this;
  }

  public Map<String, String> getHeaders() {
    return new LinkedHashMap<>(headers);
  }

  /** @param headers sent with every batch (names HTTP tokens, values without line breaks) */
  public WebhookOptions setHeaders(Map<String, String> headers) {
    this.headers = HttpTargets.headers(headers);
    return this;
  }

  public int getBatchSize() {
    return batchSize;
  }

  /** @param batchSize the most events in one POST, 1 to 10,000 */
  public WebhookOptions setBatchSize(int batchSize) {
    this.batchSize = Checks.between("batchSize", batchSize, 1, 10_000);
    return this;
  }

  public long getBatchDelay() {
    return batchDelay;
  }

  /** @param batchDelay ms a first event waits for others to share its POST, 0 to 60,000 */
  public WebhookOptions setBatchDelay(long batchDelay) {
    this.batchDelay = Checks.between("batchDelay", batchDelay, 0, 60_000, "ms");
    return this;
  }

  public int getQueueLimit() {
    return queueLimit;
  }

  /** @param queueLimit the most events waiting on a node; more are dropped, counted and logged (1 to 1,000,000) */
  public WebhookOptions setQueueLimit(int queueLimit) {
    this.queueLimit = Checks.between("queueLimit", queueLimit, 1, 1_000_000);
    return this;
  }

  public long getTimeout() {
    return timeout;
  }

  /** @param timeout ms the receiver has to answer a POST; no 2xx in time is a failure, sent again */
  public WebhookOptions setTimeout(long timeout) {
    this.timeout = Checks.atLeast("timeout", timeout, 1);
    return this;
  }

  public long getMaxRetryDelay() {
    return maxRetryDelay;
  }

  /** @param maxRetryDelay the longest wait before a batch is sent again, ms (100 to 600,000): the backoff doubles from 250 ms up to it */
  public WebhookOptions setMaxRetryDelay(long maxRetryDelay) {
    this.maxRetryDelay = Checks.between("maxRetryDelay", maxRetryDelay, 100, 600_000, "ms");
    return this;
  }
}
