package io.roomcast.gateway.browser;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.node.DefaultHub;
import io.roomcast.gateway.node.DemoHandlers;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo page at / of two nodes of a cluster: two users chat, each sees who they are, the
 * connection state, and both members; and the Orders panel, whose order.* events the default hub
 * forwards to a service on the other node (a consumer that behaves like examples/order-service):
 * an order answered and published to the room, an empty item refused, and once the service is
 * gone the panel says how to start it, within the hub's timeout. Writes the screenshot of both pages side by side to
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

  // ---- the Orders panel: the example order service through the default hub (docs/SERVICES.md) ----

  private static final String SERVICE = "test-service";
  private static final String ROOM = "orders-demo";
  /** The refusal of an order without an item, as OrderService words it. */
  private static final String NO_ITEM = "order.create needs data.item, a name of 1 to 100 characters";
  private static final String NOT_RUNNING =
    "The order service is not running: start it with java -jar examples/order-service/target/order-service.jar";
  /** The hub's limit for the service, and a margin for the cluster and the browser. */
  private static final Duration NOT_RUNNING_WITHIN = Duration.ofMillis(DefaultHub.ORDER_TIMEOUT_MS + 4_000);


  /** The requests the service got, and the orders it made (which number them). */
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger orders = new AtomicInteger();
  private final List<Throwable> publishFailures = new CopyOnWriteArrayList<>();

  @Test
  void thePanelOrdersShowsTheRefusalAndSaysHowToStartAMissingService() {
    // The service runs on the node the page is not connected to: its answers cross the cluster.
    Vertx serviceVertx = cluster.node(1).vertx();
    MessageConsumer<JsonObject> service = serviceVertx.eventBus().consumer(DefaultHub.ORDER_ADDRESS,
      msg -> serveOrder(serviceVertx, msg));
    Await.result(service.completion());

    BrowserPage ada = closeAfterTest(BrowserPage.open(chromium.browser, cluster.node(0).httpUrl() + "/", 760, 560));
    join(ada.page, "Ada", ROOM);

    // An order: the panel shows the service's answer, and the order.created it published.
    order(ada.page, "tea");
    waitForService(ada, "document.querySelector('#order-note').classList.contains('ok')");
    String answer = ada.page.textContent("#order-note");
    assertTrue(answer.contains(SERVICE + "-1") && answer.contains("tea") && answer.contains("served by " + SERVICE), answer);
    waitForService(ada, "document.querySelectorAll('#orders li').length === 1");
    assertEquals(SERVICE + "-1", ada.page.getAttribute("#orders li", "data-order"));
    String line = ada.page.textContent("#orders li");
    assertTrue(line.contains("tea") && line.contains("Ada"), "the line names the item and who ordered it: " + line);

    // An empty item is the service's to refuse: the panel shows its words.
    order(ada.page, "");
    ada.waitFor("document.querySelector('#order-note').classList.contains('bad')"
      + " && document.querySelector('#order-note').textContent.includes('" + NO_ITEM + "')");
    assertEquals(1, ada.page.locator("#orders li").count(), "a refused order is not published");

    // No service: the hub answers unavailable within its timeout, and the panel says how to start it.
    Await.result(service.unregister());
    long ordered = System.nanoTime();
    order(ada.page, "coffee");
    ada.waitFor("document.querySelector('#order-note').textContent === '" + NOT_RUNNING + "'", NOT_RUNNING_WITHIN);
    System.out.println("DemoOrdersIT: the panel said the service is not running "
      + (System.nanoTime() - ordered) / 1_000_000 + " ms after the order");
    assertTrue(ada.page.getAttribute("#order-note", "class").contains("bad"));
    // The hub's own words stay in the tooltip: no consumer, or none in time, on app.orders.
    String detail = ada.page.getAttribute("#order-note", "title");
    assertTrue(detail.contains(DefaultHub.ORDER_ADDRESS), detail);
    assertEquals(1, ada.page.locator("#orders li").count());
    assertEquals(2, requests.get(), "the service got the tea and the empty order, nothing after it left");
    assertEquals(1, orders.get());
  }

  /**
   * Like OrderService's {@code order.create}: answers {@code {order, item, by}} and publishes
   * {@code order.created} to the request's room through the hub's api address; 400 without an item.
   */
  private void serveOrder(Vertx vertx, Message<JsonObject> msg) {
    JsonObject request = msg.body();
    requests.incrementAndGet();
    if (!"order.create".equals(request.getString("event"))) {
      msg.fail(404, "the order service has no event \"" + request.getString("event") + "\"; it has order.create");
      return;
    }
    Object item = request.getValue("data") instanceof JsonObject data ? data.getValue("item") : null;
    if (!(item instanceof String name) || name.isBlank() || name.length() > 100) {
      msg.fail(400, NO_ITEM);
      return;
    }
    String order = SERVICE + "-" + orders.incrementAndGet();
    msg.reply(new JsonObject().put("order", order).put("item", name).put("by", SERVICE));
    String client = request.getJsonObject("client", new JsonObject()).getString("id");
    vertx.eventBus().request("roomcast.default.api", new JsonObject().put("command", "publish")
        .put("room", request.getString("room", "orders")).put("event", "order.created")
        .put("data", new JsonObject().put("order", order).put("item", name).put("client", client)))
      .onFailure(publishFailures::add);
  }

  /** Waits on the page, naming any failed publish of the service when it does not come true. */
  private void waitForService(BrowserPage p, String predicate) {
    try {
      p.waitFor(predicate);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nthe service's failed publishes: " + publishFailures, e);
    }
  }

  private static void order(Page page, String item) {
    page.fill("#order-item", item);
    page.click("#order");
  }
}
