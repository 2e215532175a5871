package io.roomcast.loadtests.simulations;

import io.gatling.javaapi.core.Simulation;

/**
 * A simulation that prints the end-to-end delivery latency its receivers measured from the
 * timestamps in the payloads (Gatling's own timings cover only a sender's request).
 */
abstract class LatencyReportingSimulation extends Simulation {

  @Override
  public void before() {
    // Simulations may run one after another in one JVM.
    DeliveryLatency.reset();
  }

  @Override
  public void after() {
    DeliveryLatency.report(getClass().getSimpleName());
  }
}
