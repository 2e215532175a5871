'use strict';
// What both peers share: flags, the ready line, signals, and the limit on queued bytes.

// A client with this many bytes queued gets nothing more until it drains: Roomcast's default
// sendQueueLimit, so that a slow reader costs the same in every server measured.
const SEND_QUEUE_LIMIT = 1024 * 1024;

/** Reads `--port N --host H` (defaults 8090 and 127.0.0.1). */
function parseFlags(argv) {
  const flags = { port: 8090, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    const value = argv[i + 1];
    if (name === '--port') {
      flags.port = Number(value);
    } else if (name === '--host') {
      flags.host = value;
    } else {
      console.error(`unknown flag ${name}; usage: node ${process.argv[1]} [--port N] [--host H]`);
      process.exit(2);
    }
  }
  return flags;
}

/**
 * Listens, prints `<name> ready ws=<port>` once serving (the harness and bench.sh wait for it),
 * exits on SIGTERM/SIGINT, and runs a full GC on SIGUSR2 when started with --expose-gc (the
 * idle-memory mode reads RSS after one, as it does after `jcmd GC.run` for the JVM).
 */
function serve(name, server, flags) {
  server.listen(flags.port, flags.host, () => {
    console.log(`${name} ready ws=${server.address().port}`);
  });
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => process.exit(0));
  }
  process.on('SIGUSR2', () => {
    if (global.gc) {
      global.gc();
    }
  });
}

module.exports = { SEND_QUEUE_LIMIT, parseFlags, serve };
