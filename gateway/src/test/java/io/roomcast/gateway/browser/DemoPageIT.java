package io.roomcast.gateway.browser;

import io.roomcast.gateway.testing.TestCluster;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.node.DefaultHub;
import io.roomcast.gateway.node.DemoHandlers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo page at / of two nodes of a cluster: two users chat, each sees who they are, the
 * connection state, and both members. Writes the screenshot of both pages side by side to
 * target/demo.png, and to docs/demo.png with {@code -Droomcast.demo.update=true}.
 */
@Timeout(120)
class DemoPageIT extends BrowserTestBase {

  static TestCluster cluster;

  @BeforeAll
  static void startCluster() {
    // As a node started without --conf runs: the default hub keeps a history of every room.
    cluster = TestCluster.start(2, new GatewayOptions().setHubs(List.of(DefaultHub.options())), DemoHandlers::install);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyNodeServesTheClientItsTypesAndThePage() {
    BrowserPage p = closeAfterTest(BrowserPage.open(chromium.browser, cluster.node(0).httpUrl() + "/", 800, 600));
    APIResponse js = p.context.request().get(cluster.node(1).httpUrl() + "/roomcast.js");
    assertEquals(200, js.status());
    assertTrue(js.headers().get("content-type").startsWith("text/javascript"), js.headers().toString());
    assertTrue(js.text().contains("export class Roomcast"));
    APIResponse types = p.context.request().get(cluster.node(1).httpUrl() + "/roomcast.d.ts");
    assertEquals(200, types.status());
    assertEquals("application/typescript; charset=utf-8", types.headers().get("content-type"));
    assertTrue(types.text().contains("export declare class Roomcast"));
  }

  @Test
  void twoUsersOnTwoNodesChatAndSeeEachOther() throws IOException {
    TestCluster.Node nodeA = cluster.node(0);
    TestCluster.Node nodeB = cluster.node(1);
    BrowserPage ada = closeAfterTest(BrowserPage.open(chromium.browser, nodeA.httpUrl() + "/", 760, 560));
    BrowserPage grace = closeAfterTest(BrowserPage.open(chromium.browser, nodeB.httpUrl() + "/", 760, 560));

    join(ada.page, "Ada", "lobby");
    join(grace.page, "Grace", "lobby");
    assertEquals(nodeA.id(), ada.page.textContent("#node-id"));
    assertEquals(nodeB.id(), grace.page.textContent("#node-id"));

    // Each sees both members, by name, once the hellos have crossed the cluster.
    ada.waitFor("document.querySelectorAll('#members li').length === 2 && document.querySelector('#members').textContent.includes('Grace')");
    grace.waitFor("document.querySelectorAll('#members li').length === 2 && document.querySelector('#members').textContent.includes('Ada')");
    // Ada's line names her connection: "id · node" from the members request, or her client id in
    // the roster of a room with presence.
    String adaId = ada.page.textContent("#client-id");
    assertTrue(grace.page.textContent("#members").contains(adaId), grace.page.textContent("#members"));

    say(ada.page, "Hi Grace! I'm on the first node.");
    grace.waitFor("document.querySelector('#messages').textContent.includes(\"Hi Grace! I'm on the first node.\")");
    say(grace.page, "Hello Ada, greetings from the second one.");
    ada.waitFor("document.querySelector('#messages').textContent.includes('Hello Ada, greetings from the second one.')");
    say(ada.page, "Rooms are event-bus addresses, so this just works.");
    grace.waitFor("document.querySelector('#messages').textContent.includes('this just works')");

    assertEquals("open", ada.page.getAttribute("#state", "data-state"));
    assertEquals("open", grace.page.getAttribute("#state", "data-state"));
    writeScreenshot(ada.page, grace.page);
  }

  @Test
  void aNewcomerSeesTheRoomsRecentChatOnceAboveWhatComesLive() {
    BrowserPage ada = closeAfterTest(BrowserPage.open(chromium.browser, cluster.node(0).httpUrl() + "/", 760, 560));
    join(ada.page, "Ada", "history-demo");
    say(ada.page, "first, before Grace came");
    say(ada.page, "second, before Grace came");
    ada.waitFor("document.querySelectorAll('#messages li.msg').length === 2");

    // Grace joins on the other node: what the room said before her is shown above her join line.
    BrowserPage grace = closeAfterTest(BrowserPage.open(chromium.browser, cluster.node(1).httpUrl() + "/", 760, 560));
    join(grace.page, "Grace", "history-demo");
    grace.waitFor("document.querySelectorAll('#messages li.msg.earlier').length === 2");
    say(ada.page, "third, live");
    grace.waitFor("document.querySelector('#messages').textContent.includes('third, live')");
    String lines = grace.page.evaluate(
      "Array.from(document.querySelectorAll('#messages li')).map((li) => li.querySelector('.text')"
        + " ? (li.classList.contains('earlier') ? 'earlier:' : 'live:') + li.querySelector('.text').textContent"
        + " : 'system:' + li.textContent).join('\\n')").toString();
    assertEquals(String.join("\n",
      "system:earlier in #history-demo",
      "earlier:first, before Grace came",
      "earlier:second, before Grace came",
      "system:you joined #history-demo as Grace",
      "live:third, live"), lines);
  }

  private static void join(Page page, String name, String room) {
    page.waitForSelector("#state[data-state=open]");
    page.fill("#name", name);
    page.fill("#room", room);
    page.click("#join");
    page.waitForSelector("#chat", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
  }

  private static void say(Page page, String text) {
    page.fill("#text", text);
    page.click("#send");
  }

  /** Both pages side by side, with a gutter. */
  private static void writeScreenshot(Page left, Page right) throws IOException {
    BufferedImage a = ImageIO.read(new ByteArrayInputStream(left.screenshot()));
    BufferedImage b = ImageIO.read(new ByteArrayInputStream(right.screenshot()));
    int gutter = 16;
    BufferedImage both = new BufferedImage(a.getWidth() + gutter + b.getWidth(), Math.max(a.getHeight(), b.getHeight()), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = both.createGraphics();
    g.setColor(new Color(0x2b, 0x30, 0x3b));
    g.fillRect(0, 0, both.getWidth(), both.getHeight());
    g.drawImage(a, 0, 0, null);
    g.drawImage(b, a.getWidth() + gutter, 0, null);
    g.dispose();
    Path target = Path.of("target", "demo.png");
    ImageIO.write(both, "png", target.toFile());
    if (Boolean.getBoolean("roomcast.demo.update")) {
      Path docs = Path.of(System.getProperty("roomcast.docs.dir", "../docs"));
      Files.createDirectories(docs);
      Files.copy(target, docs.resolve("demo.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
