package io.roomcast.gateway.cluster;

import io.roomcast.gateway.testing.Wire;

class JsonClusterTest extends ClusterContractTest {
  @Override
  protected Wire wire() {
    return Wire.JSON;
  }
}
