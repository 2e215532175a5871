package io.roomcast.gateway.cluster;

import io.roomcast.gateway.testing.Wire;

class BinaryClusterTest extends ClusterContractTest {
  @Override
  protected Wire wire() {
    return Wire.BINARY;
  }
}
