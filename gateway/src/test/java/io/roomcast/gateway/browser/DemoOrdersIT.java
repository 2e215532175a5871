package io.roomcast.gateway.browser;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.node.DefaultHub;
import io.roomcast.gateway.node.DemoHandlers;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.TestCluster;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo page's Orders panel on two nodes of a cluster running the node's default hub, which
 * forwards {@code order.*} to {@code app.orders}: a service on the other node (a consumer that
 * behaves like examples/order-service) answers an order and publishes it to the room, refuses an
 * empty item, and once it is gone the panel says how to start it, within the hub's timeout.
 */
@Timeout(120)
class DemoOrdersIT extends BrowserTestBase {

  private static final String SERVICE = "test-service";
  private static final String ROOM = "orders-demo";
  /** The refusal of an order without an item, as OrderService words it. */
  private static final String NO_ITEM = "order.create needs data.item, a name of 1 to 100 characters";
  private static final String NOT_RUNNING =
    "The order service is not running: start it with java -jar examples/order-service/target/order-service.jar";
  /** The hub's limit for the service, and a margin for the cluster and the browser. */
  private static final Duration NOT_RUNNING_WITHIN = Duration.ofMillis(DefaultHub.ORDER_TIMEOUT_MS + 4_000);

  static TestCluster cluster;

  /** The requests the service got, and the orders it made (which number them). */
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger orders = new AtomicInteger();
  private final List<Throwable> publishFailures = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startCluster() {
    // As a node started without --conf runs: the default hub forwards order.* to app.orders.
    cluster = TestCluster.start(2, new GatewayOptions().setHubs(List.of(DefaultHub.options())), DemoHandlers::install);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

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

  private static void join(Page page, String name, String room) {
    page.waitForSelector("#state[data-state=open]");
    page.fill("#name", name);
    page.fill("#room", room);
    page.click("#join");
    page.waitForSelector("#chat", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
  }

  private static void order(Page page, String item) {
    page.fill("#order-item", item);
    page.click("#order");
  }
}
