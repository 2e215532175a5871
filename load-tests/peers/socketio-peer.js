'use strict';
// A rooms server on Socket.IO with the semantics of Roomcast's protocol, in Socket.IO's own
// terms: the client id is the socket id (sent in the CONNECT reply), `join`/`leave` are events
// answered through an acknowledgement, any other event carries {room, data} for a room publish
// to the other members, or {to, data} for a direct send. Written the way a Socket.IO user would:
// socket.join(room), socket.to(room).emit(...), io.to(id).emit(...). WebSocket transport only
// (no HTTP long-polling), no compression. Socket.IO buffers for slow clients without a bound:
// its own behaviour, left as is.
const http = require('http');
const { Server } = require('socket.io');
const { parseFlags, serve } = require('./common');

const flags = parseFlags(process.argv.slice(2));
const server = http.createServer();
const io = new Server(server, {
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  maxHttpBufferSize: 64 * 1024,
});

function answer(ack, body) {
  if (typeof ack === 'function') {
    ack(body);
  }
}

function failure(code, message) {
  return { status: 'error', error: { code, message } };
}

io.on('connection', (socket) => {
  socket.onAny((event, message, ack) => {
    if (typeof message === 'function') {
      ack = message;
      message = undefined;
    }
    switch (event) {
      case 'join':
        if (typeof message !== 'string') {
          answer(ack, failure('bad_request', 'room is required'));
        } else {
          socket.join(message);
          answer(ack, { status: 'ok', room: message });
        }
        return;
      case 'leave':
        if (typeof message !== 'string') {
          answer(ack, failure('bad_request', 'room is required'));
        } else {
          socket.leave(message);
          answer(ack, { status: 'ok', room: message });
        }
        return;
      case 'ping':
        answer(ack, { status: 'ok' });
        return;
      default:
    }
    if (message === null || typeof message !== 'object') {
      answer(ack, failure('bad_request', 'expected {room, data} or {to, data}'));
    } else if (typeof message.to === 'string') {
      if (!io.sockets.sockets.has(message.to)) {
        answer(ack, failure('unknown_client', `no client ${message.to}`));
        return;
      }
      io.to(message.to).emit(event, { from: socket.id, data: message.data });
      answer(ack, { status: 'ok' });
    } else if (typeof message.room === 'string') {
      if (!socket.rooms.has(message.room)) {
        answer(ack, failure('not_member', `not a member of room "${message.room}"`));
        return;
      }
      socket.to(message.room).emit(event, { room: message.room, from: socket.id, data: message.data });
      answer(ack, { status: 'ok' });
    } else {
      answer(ack, failure('unknown_event', `no handler for event "${event}", and no "to" or "room"`));
    }
  });
});

serve('socketio-peer', server, flags);
