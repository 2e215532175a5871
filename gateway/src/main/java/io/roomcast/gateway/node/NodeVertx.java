package io.roomcast.gateway.node;

import io.roomcast.gateway.GatewayOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Creates the node's Vert.x instance: plain, or clustered through Hazelcast. */
final class NodeVertx {

  private NodeVertx() {
  }

  static Future<Vertx> create(GatewayOptions options) {
    if (!options.isCluster()) {
      return Future.succeededFuture(Vertx.vertx());
    }
    return Future.failedFuture("--cluster is not available in this build yet");
  }
}
