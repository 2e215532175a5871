'use strict';
// A rooms server on the `ws` package, speaking the subset of Roomcast's JSON protocol
// (docs/PROTOCOL.md) that the harness and the simulations use: a welcome frame with the client
// id, join/leave/ping with replies, publish to the other members of a room, and direct sends.
// Written the way a user of `ws` would: one Map of rooms to Sets of sockets, each delivery
// serialized once and sent to every member.
const http = require('http');
const { WebSocketServer } = require('ws');
const { SEND_QUEUE_LIMIT, parseFlags, serve } = require('./common');

const SUBPROTOCOL = 'roomcast.v1.json';
const ROOT = 'root';

const flags = parseFlags(process.argv.slice(2));
const server = http.createServer((req, res) => {
  res.writeHead(404);
  res.end();
});
const wss = new WebSocketServer({
  server,
  path: '/ws',
  perMessageDeflate: false,
  maxPayload: 64 * 1024,
  handleProtocols: (offered) => (offered.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
});

const clients = new Map();
const rooms = new Map();
let sequence = 0;

wss.on('connection', (ws) => {
  const id = `ws-${(++sequence).toString(36)}`;
  ws.clientId = id;
  ws.rooms = new Set();
  clients.set(id, ws);
  join(ws, ROOT);
  ws.send(JSON.stringify({ event: 'welcome', data: { id, node: 'ws-peer', rooms: [ROOT] } }));
  ws.on('message', (data, isBinary) => onMessage(ws, data, isBinary));
  ws.on('close', () => {
    for (const room of ws.rooms) {
      leave(ws, room);
    }
    clients.delete(id);
  });
  ws.on('error', () => {});
});

function join(ws, room) {
  let members = rooms.get(room);
  if (!members) {
    members = new Set();
    rooms.set(room, members);
  }
  members.add(ws);
  ws.rooms.add(room);
}

function leave(ws, room) {
  const members = rooms.get(room);
  ws.rooms.delete(room);
  if (members) {
    members.delete(ws);
    if (members.size === 0) {
      rooms.delete(room);
    }
  }
}

function send(ws, frame) {
  if (ws.readyState === ws.OPEN && ws.bufferedAmount < SEND_QUEUE_LIMIT) {
    ws.send(frame);
  }
}

function reply(ws, id, data) {
  if (id !== undefined) {
    send(ws, JSON.stringify({ event: 'reply', id, status: 'ok', data }));
  }
}

function fail(ws, id, code, message) {
  const error = { code, message };
  send(ws, JSON.stringify(id === undefined ? { event: 'error', error } : { event: 'reply', id, status: 'error', error }));
}

function onMessage(ws, data, isBinary) {
  if (isBinary) {
    fail(ws, undefined, 'bad_request', 'binary envelopes are not served by this peer');
    return;
  }
  let m;
  try {
    m = JSON.parse(data);
  } catch (e) {
    fail(ws, undefined, 'bad_request', 'not JSON');
    return;
  }
  if (m === null || typeof m !== 'object' || typeof m.event !== 'string') {
    fail(ws, undefined, 'bad_request', 'event is required');
    return;
  }
  const room = m.room !== undefined ? m.room : m.channel;
  switch (m.event) {
    case 'join':
    case 'subscribe':
      if (typeof room !== 'string') {
        fail(ws, m.id, 'bad_request', 'room is required');
      } else {
        join(ws, room);
        reply(ws, m.id, { room });
      }
      return;
    case 'leave':
    case 'unsubscribe':
      if (typeof room !== 'string') {
        fail(ws, m.id, 'bad_request', 'room is required');
      } else if (room === ROOT) {
        fail(ws, m.id, 'forbidden', 'root cannot be left');
      } else {
        leave(ws, room);
        reply(ws, m.id, { room });
      }
      return;
    case 'ping':
      if (m.id !== undefined) {
        reply(ws, m.id, {});
      } else {
        send(ws, '{"event":"pong"}');
      }
      return;
    default:
  }
  if (m.to !== undefined) {
    const target = clients.get(m.to);
    if (!target) {
      fail(ws, m.id, 'unknown_client', `no client ${m.to}`);
      return;
    }
    send(target, JSON.stringify({ event: m.event, from: ws.clientId, data: m.data }));
    reply(ws, m.id, {});
  } else if (typeof room === 'string') {
    if (!ws.rooms.has(room)) {
      fail(ws, m.id, 'not_member', `not a member of room "${room}"`);
      return;
    }
    const frame = JSON.stringify({ event: m.event, room, from: ws.clientId, data: m.data });
    for (const member of rooms.get(room)) {
      if (member !== ws) {
        send(member, frame);
      }
    }
    reply(ws, m.id, {});
  } else {
    fail(ws, m.id, 'unknown_event', `no handler for event "${m.event}", and no "to" or "room"`);
  }
}

serve('ws-peer', server, flags);
