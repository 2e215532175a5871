// PROTOCOL.md sections 1-4 checked from a non-Java client: Node's built-in WebSocket
// (Node 20: run with --experimental-websocket). Usage: node protocol-check.mjs ws://127.0.0.1:PORT/ws
// Prints one line per check and exits non-zero when any fails.

const url = process.argv[2];
if (!url) {
  console.error('usage: node protocol-check.mjs ws://HOST:PORT/ws');
  process.exit(2);
}
const TIMEOUT_MS = 5000;
let failures = 0;
let checks = 0;

function check(name, condition, detail) {
  checks++;
  if (condition) {
    console.log('ok   ' + name);
  } else {
    failures++;
    console.log('FAIL ' + name + (detail !== undefined ? ': ' + JSON.stringify(detail) : ''));
  }
}

// --- binary envelope: room, event, dst, src, payload; each a 4-byte big-endian length + bytes ---
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

function encodeBinary({ room = '', event, dst = '', src = '', payload = new Uint8Array() }) {
  const fields = [enc.encode(room), enc.encode(event), enc.encode(dst), enc.encode(src),
    typeof payload === 'string' ? enc.encode(payload) : payload];
  const size = fields.reduce((n, f) => n + 4 + f.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let pos = 0;
  for (const f of fields) {
    view.setUint32(pos, f.length);
    out.set(f, pos + 4);
    pos += 4 + f.length;
  }
  return out;
}

function decodeBinary(buffer) {
  const bytes = new Uint8Array(buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields = [];
  let pos = 0;
  // Five fields, or six when the frame carries a position in a room with history (1.1: meta).
  while (pos < bytes.length && fields.length < 6) {
    if (pos + 4 > bytes.length) throw new Error('bad binary envelope from the server');
    const len = view.getUint32(pos);
    if (pos + 4 + len > bytes.length) throw new Error('bad binary envelope from the server');
    fields.push(bytes.slice(pos + 4, pos + 4 + len));
    pos += 4 + len;
  }
  if (pos !== bytes.length || fields.length < 5) throw new Error('bad binary envelope from the server');
  const [room, event, dst, src] = fields.slice(0, 4).map((f) => dec.decode(f));
  const meta = fields.length === 6 ? JSON.parse(dec.decode(fields[5])) : undefined;
  return { binary: true, room: room || undefined, event, dst, from: src || undefined, payload: fields[4], meta };
}

function payloadJson(m) {
  return JSON.parse(dec.decode(m.payload));
}

// --- a client that keeps an inbox and takes what a check expects ---
class Client {
  static open(protocols) {
    return new Promise((resolve, reject) => {
      const ws = protocols === undefined ? new WebSocket(url) : new WebSocket(url, protocols);
      ws.binaryType = 'arraybuffer';
      const c = new Client(ws);
      const timer = setTimeout(() => reject(new Error('no welcome')), TIMEOUT_MS);
      c.take((m) => m.event === 'welcome').then((w) => {
        clearTimeout(timer);
        c.welcome = w;
        const data = w.binary ? payloadJson(w) : w.data;
        c.id = data.id;
        resolve(c);
      }, reject);
      ws.onerror = () => reject(new Error('connection failed'));
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.inbox = [];
    this.waiters = [];
    this.closed = new Promise((resolve) => { ws.onclose = (e) => resolve(e.code); });
    ws.onmessage = (e) => {
      const m = typeof e.data === 'string' ? { binary: false, ...JSON.parse(e.data) } : decodeBinary(e.data);
      this.inbox.push(m);
      this.waiters.slice().forEach((w) => w());
    };
  }

  take(matching) {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const i = this.inbox.findIndex(matching);
        if (i >= 0) {
          this.waiters = this.waiters.filter((w) => w !== attempt);
          clearTimeout(timer);
          resolve(this.inbox.splice(i, 1)[0]);
        }
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== attempt);
        reject(new Error('timed out; inbox: ' + JSON.stringify(this.inbox)));
      }, TIMEOUT_MS);
      this.waiters.push(attempt);
      attempt();
    });
  }

  send(obj) { this.ws.send(JSON.stringify(obj)); }

  request(obj) {
    const id = obj.id;
    this.send(obj);
    return this.take((m) => m.event === 'reply' && m.id === id);
  }

  // Everything that arrived before the answer to a ping: the server answers in order.
  async sync() {
    const id = 'sync-' + Math.random();
    await this.request({ event: 'ping', id });
    const before = this.inbox.slice();
    this.inbox.length = 0;
    return before;
  }

  close() { this.ws.close(); }
}

// A bare upgrade request: the status and the subprotocol the server selected, if any.
async function rawUpgrade(protocols) {
  const http = await import('node:http');
  const target = new URL(url.replace(/^ws/, 'http'));
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: target.hostname, port: target.port, path: target.pathname,
      headers: {
        Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': protocols,
      },
    });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error('no answer')));
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode, protocol: res.headers['sec-websocket-protocol'] });
    });
    req.on('response', (res) => resolve({ status: res.statusCode }));
    req.on('error', reject);
    req.end();
  });
}

async function run() {
  // 1. Connecting: subprotocol selection and the welcome.
  const a = await Client.open(['roomcast.v1.json']);
  check('json subprotocol selected', a.ws.protocol === 'roomcast.v1.json', a.ws.protocol);
  check('welcome first, with id, node and root', !a.welcome.binary && Array.isArray(a.welcome.data.rooms)
    && a.welcome.data.rooms.length === 1 && a.welcome.data.rooms[0] === 'root' && typeof a.welcome.data.node === 'string', a.welcome);
  check('client id format', /^[A-Za-z0-9._-]{1,64}$/.test(a.id), a.id);
  const plain = await Client.open();
  check('no subprotocol offered: none selected, JSON served', plain.ws.protocol === '' && !plain.welcome.binary, plain.ws.protocol);
  // Browsers (and this WebSocket) give up when they offered subprotocols and none came back,
  // so look at the server's answer itself.
  const upgrade = await rawUpgrade('something-else');
  check('only other subprotocols offered: upgraded, none selected', upgrade.status === 101 && upgrade.protocol === undefined, upgrade);
  const bin = await Client.open(['something-else', 'roomcast.v1.bin']);
  check('binary subprotocol selected among others', bin.ws.protocol === 'roomcast.v1.bin', bin.ws.protocol);
  check('binary welcome: payload is the JSON of the welcome data', bin.welcome.binary && payloadJson(bin.welcome).id === bin.id
    && payloadJson(bin.welcome).rooms[0] === 'root', bin.welcome);
  const b = await Client.open(['roomcast.v1.json']);
  check('ids are distinct', new Set([a.id, plain.id, bin.id, b.id]).size === 4);

  // 2. Built-in events, aliases and request ids.
  let r = await a.request({ event: 'join', room: 'lobby', id: 'j1' });
  check('join replies ok with the room and the string id', r.status === 'ok' && r.data.room === 'lobby' && r.id === 'j1', r);
  r = await b.request({ event: 'subscribe', channel: 'lobby', id: 42 });
  check('subscribe/channel aliases, integer id echoed as a number', r.status === 'ok' && r.id === 42 && r.data.room === 'lobby', r);
  r = await a.request({ event: 'join', room: 'lobby', id: 'j2' });
  check('joining twice is fine', r.status === 'ok', r);
  r = await a.request({ event: 'ping', id: 'p1' });
  check('ping with id gets a reply', r.status === 'ok', r);
  a.send({ event: 'ping' });
  r = await a.take((m) => m.event === 'pong');
  check('ping without id gets pong', r.event === 'pong' && Object.keys(r).filter((k) => k !== 'binary').length === 1, r);
  r = await a.request({ event: 'leave', room: 'root', id: 'l1' });
  check('root cannot be left', r.status === 'error' && r.error.code === 'forbidden', r);
  r = await a.request({ event: 'join', id: 'j3' });
  check('join without room is bad_request', r.status === 'error' && r.error.code === 'bad_request', r);
  r = await a.request({ event: 'join', room: 'bad room!', id: 'j4' });
  check('bad room name is invalid_room', r.status === 'error' && r.error.code === 'invalid_room', r);

  // 3. Custom events: room delivery, direct messages, errors.
  r = await a.request({ event: 'chat', room: 'lobby', data: { text: 'hi' }, id: 'c1' });
  check('publish is acknowledged', r.status === 'ok', r);
  let m = await b.take((x) => x.event === 'chat');
  check('delivery carries event, room, from and data', m.room === 'lobby' && m.from === a.id && m.data.text === 'hi', m);
  check('the sender does not get its own message', (await a.sync()).every((x) => x.event !== 'chat'));
  check('a non-member does not get it', (await plain.sync()).every((x) => x.event !== 'chat'));
  r = await plain.request({ event: 'chat', room: 'lobby', data: 1, id: 'c2' });
  check('publish without membership is not_member', r.status === 'error' && r.error.code === 'not_member', r);
  r = await a.request({ event: 'dm', to: b.id, data: [1, 2], id: 'd1' });
  m = await b.take((x) => x.event === 'dm');
  check('direct message acknowledged and delivered with from, without room', r.status === 'ok' && m.from === a.id && m.room === undefined
    && m.data[1] === 2, { r, m });
  r = await a.request({ event: 'dm', to: a.id.replace(/\.[^.]*$/, '.zzzzzz'), id: 'd2' });
  check('direct message to an unknown client is unknown_client', r.status === 'error' && r.error.code === 'unknown_client', r);
  r = await a.request({ event: 'nothing-handles-this', id: 'u1' });
  check('no handler, no to, no room is unknown_event', r.status === 'error' && r.error.code === 'unknown_event', r);
  a.send({ event: 'nothing-handles-this' });
  m = await a.take((x) => x.event === 'error');
  check('without id, errors come as an error event', m.error.code === 'unknown_event', m);
  a.ws.send('this is not JSON');
  m = await a.take((x) => x.event === 'error');
  check('a frame that is not JSON is bad_request', m.error.code === 'bad_request', m);
  a.ws.send('[1,2,3]');
  m = await a.take((x) => x.event === 'error');
  check('a frame that is not an object is bad_request', m.error.code === 'bad_request', m);
  r = await a.request({ event: 'ping', id: 'still-open' });
  check('bad frames never close the connection', r.status === 'ok' && a.ws.readyState === WebSocket.OPEN);
  check('bad frames never reach others', (await b.sync()).length === 0);
  r = await b.request({ event: 'unsubscribe', channel: 'lobby', id: 'x1' });
  a.send({ event: 'chat', room: 'lobby', data: 'after leave' });
  await a.sync();
  check('after leave, no more deliveries', r.status === 'ok' && (await b.sync()).every((x) => x.event !== 'chat'));

  // 4. Binary envelopes and crossing encodings.
  bin.ws.send(encodeBinary({ room: 'mixed', event: 'join' }));
  m = await bin.take((x) => x.event === 'reply');
  check('binary join is answered by a reply event with a JSON payload', m.binary && payloadJson(m).status === 'ok'
    && payloadJson(m).event === 'join' && payloadJson(m).room === 'mixed', m);
  await a.request({ event: 'join', room: 'mixed', id: 'mj' });
  const bin2 = await Client.open(['roomcast.v1.bin']);
  bin2.ws.send(encodeBinary({ room: 'mixed', event: 'join' }));
  await bin2.take((x) => x.event === 'reply');
  const raw = new Uint8Array([0, 1, 2, 255, 254]);
  bin.ws.send(encodeBinary({ room: 'mixed', event: 'blob', src: 'forged', payload: raw }));
  m = await bin2.take((x) => x.event === 'blob');
  check('binary payload delivered unchanged, src set by the server', m.binary && m.from === bin.id && m.room === 'mixed'
    && m.payload.length === 5 && m.payload[3] === 255, m);
  // A node without --conf keeps a history of every room (1.1): binary deliveries carry meta.
  check('binary delivery in a room with history carries meta {offset, epoch}', m.meta !== undefined
    && Number.isInteger(m.meta.offset) && m.meta.offset > 0 && typeof m.meta.epoch === 'string', m);
  const meta = m.meta;
  m = await a.take((x) => x.event === 'blob');
  check('non-JSON binary payload to a JSON client is base64 with encoding', m.encoding === 'base64'
    && Buffer.from(m.data, 'base64').equals(Buffer.from(raw)), m);
  check('the same message has the same offset and epoch on a JSON client', meta !== undefined
    && m.offset === meta.offset && m.epoch === meta.epoch, m);
  bin.ws.send(encodeBinary({ room: 'mixed', event: 'jsonblob', payload: '{"k":[true,null]}' }));
  m = await a.take((x) => x.event === 'jsonblob');
  check('JSON binary payload to a JSON client becomes data', m.data.k[0] === true && m.encoding === undefined, m);
  a.send({ event: 'tobin', room: 'mixed', data: { x: 'é' } });
  m = await bin.take((x) => x.event === 'tobin');
  check('JSON data to a binary client is its UTF-8 JSON text', m.binary && payloadJson(m).x === 'é' && m.from === a.id, m);
  bin.ws.send(encodeBinary({ event: 'dm', dst: a.id, payload: '"direct"' }));
  m = await a.take((x) => x.event === 'dm');
  check('binary direct message (dst)', m.from === bin.id && m.data === 'direct', m);
  bin.ws.send(new Uint8Array([0, 0, 0, 9, 1]));
  m = await bin.take((x) => x.event === 'error');
  check('malformed binary envelope is bad_request, in a binary error frame', m.binary && payloadJson(m).error.code === 'bad_request', m);
  bin.send({ event: 'ping', id: 'text-on-bin' });
  m = await bin.take((x) => x.event === 'reply');
  check('text frames on a binary connection are JSON envelopes, answered in binary', m.binary && payloadJson(m).id === 'text-on-bin', m);

  for (const c of [a, b, plain, bin, bin2]) c.close();
  console.log(`${checks - failures}/${checks} checks passed`);
  process.exit(failures === 0 ? 0 : 1);
}

run().catch((e) => {
  console.log('FAIL ' + e.stack);
  process.exit(1);
});
