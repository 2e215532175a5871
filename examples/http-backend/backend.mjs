// An HTTP backend for Roomcast in another language than Java: Node.js 20, no packages, written
// from docs/SERVICES.md and docs/OPERATIONS.md alone. With examples/http-backend/roomcast.json a node
//   - POSTs its clients' order.* events to /orders and hands the answers back as their replies;
//     the backend then publishes order.created to the order's room through the node's
//     management API, with an API key whose only scope is publish;
//   - asks /authorize before a join or a publish in a vip-* room;
//   - POSTs its lifecycle events, signed and in batches, to /hooks.
// GET /events shows the lifecycle events received so far (each id once, in order).
//
//   node examples/http-backend/backend.mjs [--port 8000] [--host 127.0.0.1] [--management http://127.0.0.1:8081]
//
// The keys and the webhook secret must match the node's configuration: ROOMCAST_BACKEND_KEY,
// ROOMCAST_PUBLISH_KEY and ROOMCAST_WEBHOOK_SECRET, else the example configuration's values.

import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';

const API_KEY = process.env.ROOMCAST_BACKEND_KEY || 'example-backend-key';
const WEBHOOK_SECRET = process.env.ROOMCAST_WEBHOOK_SECRET || 'example-webhook-secret';
const PUBLISH_KEY = process.env.ROOMCAST_PUBLISH_KEY || 'example-publish-key-0123456789';
const MAX_ITEM = 100;
const MAX_BODY = 1 << 20;

function options(argv) {
  const given = { port: '8000', host: '127.0.0.1', management: 'http://127.0.0.1:8081' };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in given) || argv[i + 1] === undefined) {
      fail(`unknown option or missing value: ${argv[i]} (options: --port N, --host H, --management URL)`);
    }
    given[name] = argv[i + 1];
  }
  const port = Number(given.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    fail(`--port needs a port number from 0 to 65535, not "${given.port}"`);
  }
  if (!/^https?:\/\/[^/]+$/.test(given.management)) {
    fail(`--management needs the node's management URL, such as http://127.0.0.1:8081, not "${given.management}"`);
  }
  return { port, host: given.host, management: given.management };
}

function fail(message) {
  console.error(`http-backend: ${message}`);
  process.exit(2);
}

// ---- orders: a services rule with a url ----

const orders = new Map(); // idempotency key -> the answer already given, the last MAX_KEYS
const MAX_KEYS = 10000;
let ordered = 0;

/** @returns [status, body] for one forwarded client event (docs/SERVICES.md, "Services over HTTP") */
function order(request) {
  if (request.event !== 'order.create') {
    return [404, { message: `no such order event: ${request.event}` }]; // the client gets unknown_event
  }
  const item = request.data && request.data.item;
  if (typeof item !== 'string' || item.length < 1 || item.length > MAX_ITEM) {
    return [400, { message: `order.create needs data.item, a name of 1 to ${MAX_ITEM} characters` }];
  }
  // A request sent again after a lost connection carries the same key: answer it the same.
  if (request.key && orders.has(request.key)) {
    return [200, orders.get(request.key)];
  }
  const answer = { order: `o-${++ordered}`, item, client: request.client.id };
  if (request.key) {
    orders.set(request.key, answer);
    if (orders.size > MAX_KEYS) { // a client sends a request again within seconds, not after thousands of others
      orders.delete(orders.keys().next().value);
    }
  }
  if (request.room) {
    announce(request.hub, request.room, answer);
  }
  return [200, answer];
}

/** Publishes order.created to every member of the room, on every node (docs/OPERATIONS.md, "API keys"). */
function announce(hub, room, order) {
  const url = `${management}/admin/rooms/${encodeURIComponent(room)}/publish?hub=${encodeURIComponent(hub)}`;
  fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${PUBLISH_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ event: 'order.created', data: order }),
  }).then(async (res) => {
    if (!res.ok) { // 404 unknown_room: nobody is in the room, nothing to tell
      console.error(`http-backend: publishing ${order.order} to ${room}: HTTP ${res.status} ${await res.text()}`);
    }
  }, (e) => console.error(`http-backend: publishing ${order.order} to ${room}: ${e.message}`));
}

// ---- an authorizer with a url ----

/** Only {"allow": true} allows: vip-closed is closed to all, and in vip rooms only chat is published. */
function authorize(request) {
  if (request.action === 'join') {
    return { allow: request.room !== 'vip-closed' };
  }
  return { allow: request.action === 'publish' && request.event === 'chat' };
}

// ---- webhooks ----

const seen = new Set(); // the ids of the last MAX_SEEN events: a batch comes again within seconds
const MAX_SEEN = 100000;
const received = []; // the last MAX_KEPT, for GET /events
const MAX_KEPT = 10000;
let badSignatures = 0;

/** Checks the HMAC-SHA256 of the raw body in constant time, then keeps each event id once. */
function hooks(raw, signature) {
  const expected = Buffer.from('sha256=' + createHmac('sha256', WEBHOOK_SECRET).update(raw).digest('hex'));
  const given = Buffer.from(String(signature || ''));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    badSignatures++;
    return 401;
  }
  for (const event of JSON.parse(raw.toString('utf8')).events) {
    if (!seen.has(event.id)) { // at least once: a batch may come again
      seen.add(event.id);
      received.push(event);
      if (seen.size > MAX_SEEN) {
        seen.delete(seen.values().next().value);
      }
      if (received.length > MAX_KEPT) {
        received.shift();
      }
    }
  }
  return 204;
}

// ---- HTTP ----

function answer(res, status, body) {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

function handle(req, raw, res) {
  const path = new URL(req.url, 'http://backend').pathname;
  if (req.method === 'GET' && path === '/events') {
    return answer(res, 200, { events: received, badSignatures });
  }
  if (req.method !== 'POST') {
    return answer(res, 405, { message: 'POST only' });
  }
  if (path === '/hooks') {
    return answer(res, hooks(raw, req.headers['roomcast-signature']));
  }
  // The node sends the rule's headers: here, the key this backend wants.
  if (req.headers['x-api-key'] !== API_KEY) {
    return answer(res, 401, { message: 'a wrong or missing x-api-key' });
  }
  let request;
  try {
    request = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    return answer(res, 400, { message: 'the body is not JSON' });
  }
  if (path === '/orders') {
    const [status, body] = order(request);
    return answer(res, status, body);
  }
  if (path === '/authorize') {
    return answer(res, 200, authorize(request));
  }
  return answer(res, 404, { message: `nothing at ${path}` });
}

const { port, host, management } = options(process.argv.slice(2));
const server = createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY) {
      answer(res, 413, { message: 'the body is too large' });
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (res.headersSent) {
      return;
    }
    try {
      handle(req, Buffer.concat(chunks), res);
    } catch (e) { // a body of the wrong shape: this request fails, the backend goes on
      answer(res, 400, { message: `a body this backend cannot read: ${e.message}` });
    }
  });
});
server.on('error', (e) => fail(e.message));
server.listen(port, host, () => {
  console.log(`http-backend ready port=${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
