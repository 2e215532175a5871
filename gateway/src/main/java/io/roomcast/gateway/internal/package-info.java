/**
 * The contract between the gateway library and the code that runs it as a node: draining,
 * describing the node to the cluster, serving, and each hub's admin questions and counters. The
 * runnable node ({@code io.roomcast.gateway.node}) and {@link io.roomcast.gateway.GatewayVerticle}
 * use it; applications use {@code io.roomcast.gateway} only. Like Vert.x's own
 * {@code io.vertx.core.internal}, it may change in any release.
 */
package io.roomcast.gateway.internal;
