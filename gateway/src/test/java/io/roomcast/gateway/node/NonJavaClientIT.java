package io.roomcast.gateway.node;

import io.roomcast.gateway.testing.NodeProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROTOCOL.md sections 1–4 from a client that shares no code with the gateway: Node's built-in
 * WebSocket runs src/test/node/protocol-check.mjs against a node started from the jar.
 */
class NonJavaClientIT {

  @Test
  void aNodeJsClientSeesEveryRuleOfTheProtocolHold() throws IOException, InterruptedException {
    Path script = Path.of("src", "test", "node", "protocol-check.mjs").toAbsolutePath();
    try (NodeProcess node = NodeProcess.start()) {
      Process check = new ProcessBuilder("node", "--experimental-websocket", "--no-warnings", script.toString(),
        "ws://127.0.0.1:" + node.port() + "/ws").redirectErrorStream(true).start();
      assertTrue(check.waitFor(60, TimeUnit.SECONDS), "the check did not finish in time");
      String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      System.out.println(output);
      assertEquals(0, check.exitValue(), output);
      assertTrue(output.matches("(?s).*\\n(\\d+)/\\1 checks passed\\s*"), output);
    }
  }
}
