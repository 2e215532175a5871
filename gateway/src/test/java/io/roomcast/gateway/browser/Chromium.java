package io.roomcast.gateway.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The system's headless Chromium (Debian's package), driven by Playwright. Playwright never
 * downloads a browser here: it is told where Chromium is, and PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD is
 * set. {@code -Droomcast.chromium=PATH} (or ROOMCAST_CHROMIUM) points elsewhere.
 */
final class Chromium implements AutoCloseable {

  static final Path EXECUTABLE = Path.of(System.getProperty("roomcast.chromium",
    System.getenv().getOrDefault("ROOMCAST_CHROMIUM", "/usr/bin/chromium")));

  /**
   * Without the background-networking flags Chromium keeps calling out to services that a
   * closed network refuses. Playwright adds --headless, --no-sandbox (its sandbox is off by
   * default) and a fresh, empty user data directory itself.
   */
  static final List<String> FLAGS = List.of(
    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-sandbox");

  final Playwright playwright;
  final Browser browser;

  private Chromium(Playwright playwright, Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  static Chromium launch() {
    if (!Files.isExecutable(EXECUTABLE)) {
      throw new IllegalStateException("no Chromium at " + EXECUTABLE + ": install Debian's package"
        + " (apt-get install -y chromium), or set -Droomcast.chromium=PATH; -DskipITs skips the browser tests");
    }
    Playwright playwright = Playwright.create(new Playwright.CreateOptions()
      .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    try {
      Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(EXECUTABLE)
        .setHeadless(true)
        .setArgs(FLAGS)
        .setTimeout(60_000));
      return new Chromium(playwright, browser);
    } catch (RuntimeException e) {
      playwright.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      browser.close();
    } finally {
      playwright.close();
    }
  }
}
