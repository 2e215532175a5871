package io.roomcast.gateway.node;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * How many methods wait for HotSpot's optimizing compiler (C2), read from its {@code
 * Compiler.queue} diagnostic command. A round of the warm-up with little compile time is no sign
 * of a settled JIT while methods still wait: on one core the queue held 9-24 of them through 30 s
 * of clients, and a quiet round among them ended the warm-up with the node's hot paths to come.
 */
final class JitQueue {

  private static final String SECTION = "C2 compile queue:";
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final ObjectName diagnostics = diagnostics();

  /** @return the methods waiting for C2, or -1 where the JVM does not tell */
  int waiting() {
    if (diagnostics == null) {
      return -1;
    }
    try {
      String queue = (String) server.invoke(diagnostics, "compilerQueue", new Object[] {new String[0]},
        new String[] {String[].class.getName()});
      int at = queue.indexOf(SECTION);
      if (at < 0) {
        return -1;
      }
      // One line per waiting method, each starting with its compile id; "Empty" when none.
      return (int) queue.substring(at + SECTION.length()).lines().filter(l -> l.matches("\\s*\\d+\\s.*")).count();
    } catch (Exception | LinkageError e) {
      return -1;
    }
  }

  private static ObjectName diagnostics() {
    try {
      ObjectName name = new ObjectName("com.sun.management:type=DiagnosticCommand");
      return ManagementFactory.getPlatformMBeanServer().isRegistered(name) ? name : null;
    } catch (Exception e) {
      return null;
    }
  }
}
