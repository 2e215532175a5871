package io.roomcast.gateway.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.TimeoutError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One browser page (its own context: no shared storage) on a node's origin. Either the test
 * harness, which loads the node's /roomcast.js and logs every client event in {@code window.log},
 * or any page of the node, such as the demo.
 */
final class BrowserPage implements AutoCloseable {

  /** The longest any single wait on the page may take. */
  static final Duration TIMEOUT = Duration.ofSeconds(20);
  /** The harness page, in src/test/resources/webroot: served by the nodes under test only. */
  static final String HARNESS_PATH = "/test-harness.html";

  final BrowserContext context;
  final Page page;
  private final List<String> console = Collections.synchronizedList(new ArrayList<>());

  private BrowserPage(Browser browser, int width, int height) {
    context = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height));
    context.setDefaultTimeout(TIMEOUT.toMillis());
    page = context.newPage();
    page.onConsoleMessage(m -> console.add(m.type() + ": " + m.text()));
    page.onPageError(e -> console.add("page error: " + e));
  }

  /** Opens the harness on a node's origin and waits until roomcast.js is loaded. */
  static BrowserPage harness(Browser browser, String origin) {
    BrowserPage p = new BrowserPage(browser, 800, 600);
    p.page.navigate(origin + HARNESS_PATH);
    p.waitFor("window.harnessReady === true");
    return p;
  }

  /** Opens a page of a node. */
  static BrowserPage open(Browser browser, String url, int width, int height) {
    BrowserPage p = new BrowserPage(browser, width, height);
    p.page.navigate(url);
    return p;
  }

  /**
   * Creates a client in the harness: {@code window.clients[name]}, its events logged.
   *
   * @param name the client's name in the log
   * @param options the Roomcast options
   * @param urls the node URLs
   */
  void make(String name, JsonObject options, String... urls) {
    page.evaluate("a => make(a.name, a.urls, a.options)",
      java.util.Map.of("name", name, "urls", List.of(urls), "options", options.getMap()));
  }

  /** Creates a client and waits until it is open. */
  void connect(String name, JsonObject options, String... urls) {
    make(name, options, urls);
    JsonObject opened = json("settle(clients['" + name + "'].connect())");
    if (!opened.containsKey("ok")) {
      throw new AssertionError(name + " did not connect: " + opened + "\n" + diagnostics());
    }
  }

  /**
   * Evaluates a JS expression (statements: pass a function); a Promise is awaited, at most
   * {@link #TIMEOUT}. Playwright takes any text with {@code =>} in it for a function, so
   * expressions are wrapped in one here.
   */
  Object eval(String expression) {
    return call("() => (" + expression + ")", null);
  }

  /** Calls a JS function, such as {@code "id => clients.a.send(id, 'x')"}, with one argument. */
  Object call(String function, Object arg) {
    // Playwright awaits a returned Promise with no deadline of its own.
    return page.evaluate("async (arg) => {"
      + " const v = (" + function + ")(arg);"
      + " if (!v || typeof v.then !== 'function') { return v; }"
      + " let timer;"
      + " const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('no result within "
      + TIMEOUT.toMillis() + " ms')), " + TIMEOUT.toMillis() + "); });"
      + " try { return await Promise.race([v, late]); } finally { clearTimeout(timer); }"
      + " }", arg);
  }

  /** Evaluates an expression whose value is JSON text (for instance {@code settle(promise)}). */
  JsonObject json(String expression) {
    return new JsonObject((String) eval(expression));
  }

  /** Waits until a JS expression is truthy, failing with the page's log and console. */
  void waitFor(String predicate) {
    waitFor(predicate, TIMEOUT);
  }

  void waitFor(String predicate, Duration timeout) {
    try {
      page.waitForFunction("() => (" + predicate + ")", null, new Page.WaitForFunctionOptions().setTimeout(timeout.toMillis()));
    } catch (TimeoutError e) {
      throw new AssertionError("not true within " + timeout.toMillis() + " ms: " + predicate + "\n" + diagnostics(), e);
    }
  }

  /**
   * Asserts that a JS expression stays false for a while. A "never happens" can only be checked
   * over a window; the windows used are many times the backoff the client was given, so that a
   * client that does retry is caught.
   */
  void assertStaysFalse(String predicate, Duration window) {
    try {
      page.waitForFunction("() => (" + predicate + ")", null, new Page.WaitForFunctionOptions().setTimeout(window.toMillis()));
    } catch (TimeoutError e) {
      return;
    }
    throw new AssertionError("became true: " + predicate + "\n" + diagnostics());
  }

  /** @return the client events recorded by the harness */
  JsonArray log() {
    return new JsonArray((String) page.evaluate("JSON.stringify(window.log || [])"));
  }

  /** @return the recorded events of one client and kind */
  List<JsonObject> events(String client, String kind) {
    List<JsonObject> out = new ArrayList<>();
    for (Object o : log()) {
      JsonObject e = (JsonObject) o;
      if (client.equals(e.getString("c")) && kind.equals(e.getString("kind"))) {
        out.add(e);
      }
    }
    return out;
  }

  String diagnostics() {
    String log;
    try {
      log = log().encodePrettily();
    } catch (PlaywrightException e) {
      log = "(unavailable: " + e.getMessage() + ")";
    }
    return "page log: " + log + "\nconsole: " + String.join("\n  ", console);
  }

  @Override
  public void close() {
    try {
      context.close();
    } catch (PlaywrightException e) {
      // The browser is already gone.
    }
  }
}
