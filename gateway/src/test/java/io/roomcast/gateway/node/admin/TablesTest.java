package io.roomcast.gateway.node.admin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The admin commands' tables: aligned columns, durations and byte counts for people. */
class TablesTest {

  @Test
  void tablesAlignNumbersAndFormatDurationsAndBytes() {
    Tables.Table t = new Tables.Table("NAME", "COUNT");
    t.row("a", 5);
    t.row("longer", 12345);
    assertEquals("NAME    COUNT\na           5\nlonger  12345\n", t.toString());
    assertEquals("59s", Tables.duration(59_999));
    assertEquals("1m01s", Tables.duration(61_000));
    assertEquals("2h03m", Tables.duration((2 * 3600 + 3 * 60) * 1000L));
    assertEquals("1d01h", Tables.duration((25 * 3600) * 1000L));
    assertEquals("512 B", Tables.bytesText(512));
    assertEquals("1.5 KiB", Tables.bytesText(1536));
    assertEquals("2.0 MiB", Tables.bytes(2L * 1024 * 1024).toString());
  }
}
