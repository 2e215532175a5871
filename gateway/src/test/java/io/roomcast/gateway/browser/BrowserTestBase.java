package io.roomcast.gateway.browser;

import io.roomcast.gateway.testing.TestCluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.util.ArrayList;
import java.util.List;

/**
 * One headless Chromium per test class, and the pages a test opens, closed after it. Subclasses
 * start their cluster.
 */
abstract class BrowserTestBase {

  static Chromium chromium;
  private final List<AutoCloseable> closeAfterTest = new ArrayList<>();

  @BeforeAll
  static void launchChromium() {
    chromium = Chromium.launch();
  }

  @AfterAll
  static void closeChromium() {
    if (chromium != null) {
      chromium.close();
      chromium = null;
    }
  }

  @AfterEach
  void closePages() throws Exception {
    for (int i = closeAfterTest.size() - 1; i >= 0; i--) {
      closeAfterTest.get(i).close();
    }
    closeAfterTest.clear();
  }

  /** Opens the harness page on a node's origin. */
  BrowserPage harness(TestCluster.Node origin) {
    return closeAfterTest(BrowserPage.harness(chromium.browser, origin.httpUrl()));
  }

  <T extends AutoCloseable> T closeAfterTest(T resource) {
    closeAfterTest.add(resource);
    return resource;
  }
}
