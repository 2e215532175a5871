/**
 * roomcast.js: the browser client of the Roomcast gateway, speaking wire protocol version 1.1
 * (PROTOCOL.md): in rooms with history it recovers what it missed across reconnects, in rooms
 * with presence it keeps a live roster of the members, and with a token function it refreshes
 * an expiring token in-band. A dependency-free ES module, served by every node at /roomcast.js;
 * its types are at /roomcast.d.ts and its guide is docs/BROWSER.md.
 *
 *   import { Roomcast } from '/roomcast.js';
 *   const rc = new Roomcast(['wss://a.example/ws', 'wss://b.example/ws'], { token });
 *   rc.on('chat', (data, msg) => console.log(msg.from, data));
 *   await rc.connect();
 *   await rc.join('lobby');
 *   rc.publish('lobby', 'chat', { text: 'hello' });
 */

const JSON_PROTOCOL = 'roomcast.v1.json';
const BINARY_PROTOCOL = 'roomcast.v1.bin';

const EVENT_NAME = /^[A-Za-z0-9._:-]{1,64}$/;
const ROOM_NAME = /^[A-Za-z0-9._:@/-]{1,128}$/;

// Events the client emits itself. A delivery of the same name reaches only `message` listeners,
// so that no peer can fake a state change.
// `left` is the client's too: it tells of the server's `left` frame (no `from`), after which the
// room is forgotten; a peer's delivery named `left` has `from` and changes nothing.
const LOCAL_EVENTS = new Set(['connecting', 'open', 'reconnecting', 'closed', 'state', 'error', 'message', 'roster', 'left']);

// Events the server answers itself; never handed to the application as deliveries.
const CONTROL_EVENTS = new Set(['welcome', 'reply', 'pong']);

// Events the server handles itself (PROTOCOL.md section 2). A request for one is not a publish:
// it carries no idempotency key and is not sent again after a lost socket.
const BUILT_IN_EVENTS = new Set(['join', 'subscribe', 'leave', 'unsubscribe', 'ping', 'history', 'presence', 'refresh']);

// A roster request that failed for a passing reason (the cluster could not be read in time) is
// tried again after these delays (ms), then given up until the room is joined again. Any other
// error (bad_request: the room keeps no presence) means no roster while in the room.
const ROSTER_RETRY_DELAYS = [1000, 3000, 9000];
const PASSING_ERRORS = new Set(['timeout', 'unavailable', 'rate_limited', 'internal']);

// Close codes of sockets the client gives up on itself (4000-4999 are the application's range;
// 4001 is the server's since protocol 1.1, so no local close uses it).
const CLOSE_HEARTBEAT_LOST = 4000;
const CLOSE_NO_WELCOME = 4002;
// The server's close of a connection whose token expired (PROTOCOL.md section 8): get a new
// token and reconnect, when there is a token function to get one from.
const CLOSE_TOKEN_EXPIRED = 4001;

// In-band token refresh (PROTOCOL.md section 8, docs/BROWSER.md "Token lifetime"). A token with
// `exp` (and a token function to get the next one from) is refreshed at a random point of a
// window before its expiry, so that clients given tokens at the same moment do not all refresh
// in the same second. With R the time left (exp - now) and L the token's lifetime (exp - iat,
// or R without iat), the refresh goes out `lead` before exp, `lead` uniform in
// [min(5 s, R/3), min(max(30 s, L/10), R/2)]: normally between max(30 s, 10% of the lifetime)
// and 5 s before expiry, and for a short token between half and two thirds of the way to it (a
// 10 s token: 3.3 to 5 s before). A token with less than 1 s left is not refreshed in-band: its
// expiry close (4001) and a reconnect with a new token take over.
const REFRESH_NEAR_LEAD = 5000;
const REFRESH_FAR_LEAD = 30000;
const REFRESH_FAR_FRACTION = 0.1;
const REFRESH_MIN_LEFT = 1000;
// setTimeout fires at once beyond 2^31 - 1 ms (24.8 days): a later refresh is scheduled in steps.
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** The defaults of every option, documented in roomcast.d.ts and docs/BROWSER.md. */
export const DEFAULTS = Object.freeze({
  token: undefined,
  binary: false,
  reconnect: true,
  reconnectDelay: 500,
  maxReconnectDelay: 30000,
  resetBackoffAfter: 10000,
  maxHandshakeFailures: 8,
  connectTimeout: 10000,
  heartbeatInterval: 20000,
  heartbeatTimeout: 10000,
  requestTimeout: 10000,
  queueLimit: 100,
  WebSocket: undefined,
});

/** An error of the server (its code, see PROTOCOL.md section 3) or of the client itself. */
export class RoomcastError extends Error {
  /**
   * @param {string} code a server error code, or one of the client's own codes
   * @param {string} message what happened
   * @param {object} [details] extra fields: `closeCode`, `closeReason`, `room`, `event`
   */
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'RoomcastError';
    this.code = code;
    Object.assign(this, details);
  }
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

function isBytes(data) {
  return data instanceof ArrayBuffer || ArrayBuffer.isView(data);
}

function toUint8(data) {
  if (data instanceof ArrayBuffer) {
    return new Uint8Array(data);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Encodes a binary envelope (PROTOCOL.md section 4): room, event, dst, src and payload, each a
 * 4-byte big-endian length followed by its bytes.
 */
export function encodeEnvelope({ room, event, to, from, payload }) {
  const fields = [room, event, to, from].map((s) => encoder.encode(s || ''));
  fields.push(payload || new Uint8Array(0));
  const size = fields.reduce((n, f) => n + 4 + f.byteLength, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let pos = 0;
  for (const f of fields) {
    view.setUint32(pos, f.byteLength);
    out.set(f, pos + 4);
    pos += 4 + f.byteLength;
  }
  return out.buffer;
}

/**
 * Decodes a binary envelope.
 *
 * @returns {{room?: string, event: string, to?: string, from?: string, payload: Uint8Array}}
 * @throws {RoomcastError} `bad_request` when the lengths do not add up or a name is not UTF-8
 */
export function decodeEnvelope(buffer) {
  const bytes = toUint8(buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields = [];
  let pos = 0;
  for (let i = 0; i < 5; i++) {
    if (pos + 4 > bytes.byteLength) {
      throw new RoomcastError('bad_request', 'binary envelope too short');
    }
    const len = view.getUint32(pos);
    if (pos + 4 + len > bytes.byteLength) {
      throw new RoomcastError('bad_request', 'binary envelope field overruns the frame');
    }
    fields.push(bytes.subarray(pos + 4, pos + 4 + len));
    pos += 4 + len;
  }
  let meta;
  if (pos !== bytes.byteLength) {
    // Version 1.1: a frame at a position in its room's history has a sixth field, meta.
    const len = pos + 4 <= bytes.byteLength ? view.getUint32(pos) : -1;
    if (len < 0 || pos + 4 + len !== bytes.byteLength) {
      throw new RoomcastError('bad_request', 'binary envelope has trailing bytes');
    }
    meta = JSON.parse(strictDecoder.decode(bytes.subarray(pos + 4)));
  }
  const text = (f) => (f.byteLength === 0 ? undefined : strictDecoder.decode(f));
  return { room: text(fields[0]), event: text(fields[1]) || '', to: text(fields[2]), from: text(fields[3]), payload: fields[4], meta };
}

/** A payload as the application sees it: JSON when it is UTF-8 JSON text, else the bytes. */
function payloadToData(payload) {
  if (payload.byteLength === 0) {
    return undefined;
  }
  try {
    return JSON.parse(strictDecoder.decode(payload));
  } catch (e) {
    return payload.slice();
  }
}

function base64ToBytes(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) {
    out[i] = bin.charCodeAt(i);
  }
  return out;
}

/**
 * The claims of a JWT (its middle part, base64url JSON), or null when the token is not one: the
 * client reads `exp` and `iat` only to know when to refresh, it verifies nothing.
 */
function jwtClaims(token) {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]+=*$/.test(parts[1])) {
    return null;
  }
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(strictDecoder.decode(base64ToBytes(b64 + '='.repeat((4 - (b64.length % 4)) % 4))));
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims) ? claims : null;
  } catch (e) {
    return null;
  }
}

/**
 * When to refresh a token whose claims these are (the rule at REFRESH_NEAR_LEAD above).
 *
 * @returns {number|null} ms from `now`, or null: no `exp`, or too little time left
 */
function refreshDelay(claims, now) {
  const exp = claims ? claims.exp : undefined;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    return null;
  }
  const left = exp * 1000 - now;
  if (left < REFRESH_MIN_LEFT) {
    return null;
  }
  const iat = claims.iat;
  const lifetime = typeof iat === 'number' && Number.isFinite(iat) && iat < exp ? (exp - iat) * 1000 : left;
  const near = Math.min(REFRESH_NEAR_LEAD, left / 3);
  const far = Math.min(Math.max(REFRESH_FAR_LEAD, lifetime * REFRESH_FAR_FRACTION), left / 2);
  return Math.floor(left - (near + Math.random() * (far - near)));
}

function defaultUrl() {
  if (typeof location === 'undefined') {
    throw new TypeError('Roomcast: no URL given and no page location to default to');
  }
  return '/ws';
}

/** Accepts ws(s):// and http(s):// URLs, and paths relative to the page. */
function normalizeUrl(url) {
  const base = typeof location === 'undefined' ? undefined : location.href;
  const u = new URL(String(url), base);
  if (u.protocol === 'http:') {
    u.protocol = 'ws:';
  } else if (u.protocol === 'https:') {
    u.protocol = 'wss:';
  } else if (u.protocol !== 'ws:' && u.protocol !== 'wss:') {
    throw new TypeError('Roomcast: not a WebSocket URL: ' + url);
  }
  u.hash = '';
  return u.toString();
}

function checkRoom(room) {
  if (typeof room !== 'string' || !ROOM_NAME.test(room)) {
    throw new RoomcastError('invalid_room', 'room must be 1-128 characters of [A-Za-z0-9._:@/-], got ' + JSON.stringify(room));
  }
}

function checkKey(key) {
  if (typeof key !== 'string' || key.length < 1 || key.length > 64) {
    throw new RoomcastError('bad_request', 'key must be a string of 1-64 characters');
  }
}

/** A join's info (PROTOCOL.md section 7): any JSON value; the server limits its size. */
function checkInfo(info) {
  if (info !== undefined && (isBytes(info) || JSON.stringify(info) === undefined)) {
    throw new TypeError('Roomcast.join: info must be a JSON value');
  }
}

function checkEvent(event) {
  if (typeof event !== 'string' || !EVENT_NAME.test(event)) {
    throw new RoomcastError('bad_request', 'event must be 1-64 characters of [A-Za-z0-9._:-], got ' + JSON.stringify(event));
  }
}

/** A presence event's data as a roster change, or null when it is not one. */
function presenceChange(data) {
  if (data === null || typeof data !== 'object') {
    return null;
  }
  if (typeof data.joined === 'string') {
    return { joined: data.joined, user: data.user ?? null, info: data.info };
  }
  if (typeof data.left === 'string') {
    return { left: data.left };
  }
  return null;
}

/** Applies a change to a room's members (client id -> {user, info}); false when nothing changed. */
function applyPresence(members, change) {
  if (change.joined === undefined) {
    return members.delete(change.left);
  }
  // Deleted first: a member that joins again moves to the end, where the latest joins are.
  members.delete(change.joined);
  members.set(change.joined, { user: change.user, info: change.info });
  return true;
}

/**
 * Folds a room's connections by user: one entry per user, with its connections, in the order
 * the users came; a connection without a user is an entry of its own. An entry shows the info of
 * its latest connection that has one.
 */
function foldRoster(members) {
  const entries = new Map();
  for (const [client, m] of members) {
    const key = m.user === null ? 'client ' + client : 'user ' + JSON.stringify(m.user);
    let entry = entries.get(key);
    if (!entry) {
      entry = { user: m.user, info: undefined, connections: 0, clients: [] };
      entries.set(key, entry);
    }
    entry.connections++;
    entry.clients.push(client);
    if (m.info !== undefined) {
      entry.info = m.info;
    }
  }
  return Object.freeze([...entries.values()].map((e) => Object.freeze({ ...e, clients: Object.freeze(e.clients) })));
}

function report(error) {
  // A throwing listener must not break the client: report it the way an uncaught error is.
  if (typeof reportError === 'function') {
    reportError(error);
  } else {
    setTimeout(() => {
      throw error;
    });
  }
}

/**
 * A connection to a Roomcast cluster that survives node failures: see docs/BROWSER.md for the
 * reconnect, queue and close rules.
 */
export class Roomcast {
  /**
   * @param {string|string[]} [urls] one node URL or a list of them (ws://, wss://, http://,
   *     https:// or a path on the page's host); default `/ws` on the page's host
   * @param {object} [options] see DEFAULTS
   */
  constructor(urls, options = {}) {
    const list = (Array.isArray(urls) ? urls : [urls ?? defaultUrl()]).map(normalizeUrl);
    if (list.length === 0) {
      throw new TypeError('Roomcast: at least one URL is needed');
    }
    const opts = { ...DEFAULTS, ...options };
    for (const key of ['reconnectDelay', 'maxReconnectDelay', 'resetBackoffAfter', 'connectTimeout',
      'heartbeatInterval', 'heartbeatTimeout', 'requestTimeout', 'queueLimit']) {
      if (!Number.isFinite(opts[key]) || opts[key] < 0) {
        throw new TypeError('Roomcast: option ' + key + ' must be a number >= 0');
      }
    }
    if (!Number.isInteger(opts.maxHandshakeFailures) || opts.maxHandshakeFailures < 1) {
      throw new TypeError('Roomcast: option maxHandshakeFailures must be an integer >= 1');
    }
    this._urls = list;
    this._opts = opts;
    this._WebSocket = opts.WebSocket || globalThis.WebSocket;

    this._listeners = new Map();
    this._state = 'closed';
    this._ws = null;
    this._welcomed = false; // the current socket got its welcome: built-in calls may go out
    this._id = null;
    this._node = null;
    this._url = null;
    this._urlIndex = 0;
    this._attempt = 0; // reconnect attempts since the last stable connection
    this._handshakeFailures = 0; // consecutive sockets that closed before their welcome
    this._openedAt = 0;
    this._lastFrameAt = 0;
    this._generation = 0; // bumped by every new socket and by close(); stale async work checks it

    this._rooms = new Set(); // rooms the application is in or joining, kept across reconnects
    this._positions = new Map(); // room -> {offset, epoch}: the last message seen in a room with history
    this._infos = new Map(); // room -> the info given to join(), sent again by every rejoin
    this._rosters = new Map(); // room -> its roster, in rooms with presence (see _rosterPending)
    this._noPresence = new Set(); // rooms whose presence request was refused: not asked again while in them
    this._joinWaiters = new Map(); // room -> [{resolve, reject}] waiting for the next welcome
    this._byId = new Map(); // request id -> pending request or call (JSON replies carry the id)
    this._byKey = new Map(); // "event room" -> [pending calls] (binary replies have no id)
    this._queue = []; // encoded publish/send frames waiting for the connection
    this._waiting = []; // requests made while not open, sent once open
    this._nextId = 1;
    this._keyPrefix = null; // of the idempotency keys this client makes (see request())
    this._keys = 0;

    this._reconnectTimer = null;
    this._connectTimer = null;
    this._heartbeatTimer = null;
    this._refreshTimer = null; // the next in-band token refresh of the current socket
    this._token = null; // the token of the current socket (as sent, or as last refreshed)
    this._connecting = null; // {promise, resolve, reject} of connect()
  }

  /** @returns {'connecting'|'open'|'reconnecting'|'closed'} */
  get state() {
    return this._state;
  }

  /** @returns {string|null} the client id of the current connection (it changes on reconnect) */
  get id() {
    return this._id;
  }

  /** @returns {string|null} the id of the node holding the current connection */
  get node() {
    return this._node;
  }

  /** @returns {string|null} the URL of the current (or last) connection */
  get url() {
    return this._url;
  }

  /** @returns {string[]} the node URLs, in the order they are tried */
  get urls() {
    return this._urls.slice();
  }

  /** @returns {string[]} the rooms this client is in or joining; `root` is implicit */
  get rooms() {
    return [...this._rooms];
  }

  /** @returns {number} publish and send messages waiting for the connection */
  get queued() {
    return this._queue.length;
  }

  /**
   * Connects (or reconnects, after close() or a fatal close) starting at the first URL.
   *
   * @returns {Promise<{id: string, node: string, url: string}>} settled by the next `open`, or
   *     rejected with the error of a fatal close or with `closed` when close() is called first
   */
  connect() {
    if (this._state === 'open') {
      return Promise.resolve(this._openDetail());
    }
    if (!this._connecting) {
      let resolve;
      let reject;
      const promise = new Promise((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this._connecting = { promise, resolve, reject };
    }
    if (this._state === 'closed') {
      this._urlIndex = 0;
      this._attempt = 0;
      this._handshakeFailures = 0;
      this._setState('connecting', { url: this._urls[0] });
      this._openSocket();
    }
    return this._connecting.promise;
  }

  /**
   * Closes the connection with 1000 and stops reconnecting. Pending calls and requests are
   * rejected with `closed`, queued messages are dropped, and the rooms are forgotten.
   *
   * @param {string} [reason] the close reason sent to the server
   */
  close(reason = 'client closed') {
    const error = new RoomcastError('closed', 'the client was closed');
    const ws = this._ws;
    this._teardownSocket(error);
    if (ws) {
      try {
        ws.close(1000, reason);
      } catch (e) {
        // Already closing.
      }
    }
    const rooms = [...this._rooms];
    this._rooms.clear();
    rooms.forEach((room) => this._roomGone(room));
    this._finish(1000, reason, null, error);
  }

  /**
   * Registers a listener. Deliveries call it with `(data, message)`; the client's own events
   * (`connecting`, `open`, `reconnecting`, `closed`, `state`, `error`, `roster`, `left`) with one
   * detail object; `message` gets every delivery as one message object.
   *
   * @returns {() => void} a function that removes the listener
   */
  on(event, fn) {
    if (typeof fn !== 'function') {
      throw new TypeError('Roomcast.on: listener must be a function');
    }
    let set = this._listeners.get(event);
    if (!set) {
      set = new Set();
      this._listeners.set(event, set);
    }
    set.add(fn);
    return () => this.off(event, fn);
  }

  /** Removes a listener; without `fn`, every listener of the event. */
  off(event, fn) {
    if (fn === undefined) {
      this._listeners.delete(event);
    } else {
      this._listeners.get(event)?.delete(fn);
    }
  }

  /** Like on(), for one call only. */
  once(event, fn) {
    const off = this.on(event, (...args) => {
      off();
      fn(...args);
    });
    return off;
  }

  /**
   * Joins a room. The room is remembered and joined again after every reconnect, with the same
   * info. While disconnected, the join is made on the next connection. In a room with presence,
   * a successful join (re)builds the room's roster (see roster()).
   *
   * @param {{info?: *}} [options] `info`: any JSON value (at most 1,024 bytes encoded) shown to
   *     the room's other members with this connection (PROTOCOL.md section 7)
   * @returns {Promise<{room: string}>} settled by the server's reply
   */
  join(room, { info } = {}) {
    try {
      checkRoom(room);
      checkInfo(info);
      this._checkNotClosed();
    } catch (e) {
      return Promise.reject(e);
    }
    this._rooms.add(room);
    if (info === undefined) {
      this._infos.delete(room);
    } else {
      // A copy: what the application changes later does not change what rejoins send.
      this._infos.set(room, JSON.parse(JSON.stringify(info)));
    }
    if (!this._welcomed) {
      return this._waitForJoin(room);
    }
    return this._join(room).catch((e) => {
      if (e.code === 'disconnected' && this._rooms.has(room)) {
        // The reply was lost with the socket: the next connection joins it again.
        return this._waitForJoin(room);
      }
      this._rooms.delete(room);
      this._roomGone(room);
      throw e;
    });
  }

  /**
   * Leaves a room (and stops re-joining it).
   *
   * @returns {Promise<{room: string}>} settled by the server's reply; at once when disconnected
   */
  leave(room) {
    try {
      checkRoom(room);
    } catch (e) {
      return Promise.reject(e);
    }
    const had = this._rooms.delete(room);
    const info = this._infos.get(room);
    this._positions.delete(room);
    this._roomGone(room);
    const waiters = this._joinWaiters.get(room);
    if (waiters) {
      this._joinWaiters.delete(room);
      const cancelled = new RoomcastError('cancelled', 'left before the join was made', { room });
      waiters.forEach((w) => w.reject(cancelled));
    }
    if (!this._welcomed) {
      return Promise.resolve({ room });
    }
    return this._call('leave', room).catch((e) => {
      if (e.code === 'disconnected') {
        // A new connection starts outside the room anyway.
        return { room };
      }
      if (had && e.code !== 'timeout') {
        // Still in the room: its info goes on, and its roster is built again.
        this._rooms.add(room);
        if (info !== undefined) {
          this._infos.set(room, info);
        }
        if (this._welcomed) {
          this._rosterPending(room);
          this._askRoster(room);
        }
      }
      throw e;
    });
  }

  /**
   * Publishes an event to the other members of a room. `data` is any JSON value, or bytes
   * (ArrayBuffer or a typed array) sent as a binary envelope. Not acknowledged: failures such as
   * `not_member` arrive as `error` events (use request() with `{room}` for an acknowledgement).
   * While not open, the message is queued (see `queueLimit`).
   *
   * @throws {RoomcastError} `closed` when the client is closed, `queue_full` when the queue is full
   */
  publish(room, event, data, { key } = {}) {
    checkRoom(room);
    checkEvent(event);
    if (key !== undefined) {
      checkKey(key);
    }
    this._sendOrQueue(this._encode({ event, room, data, key }));
  }

  /**
   * Reads a room's history (PROTOCOL.md section 6): the newest messages, oldest first. Needs the
   * room's join permission, not membership.
   *
   * @param {{limit?: number, before?: number, timeout?: number}} [options]
   * @returns {Promise<{room: string, offset: number, epoch: string, messages: Array<{offset: number, event: string, from?: string, data?: *}>}>}
   */
  history(room, { limit, before, timeout } = {}) {
    try {
      checkRoom(room);
      this._checkNotClosed();
    } catch (e) {
      return Promise.reject(e);
    }
    const data = {};
    if (limit !== undefined) {
      data.limit = limit;
    }
    if (before !== undefined) {
      data.before = before;
    }
    return this.request('history', data, { room, timeout });
  }

  /**
   * @returns {{offset: number, epoch: string} | undefined} the position of the last message seen
   *     in a room with history: where the next connection recovers from
   */
  position(room) {
    const p = this._positions.get(room);
    return p && { ...p };
  }

  /**
   * Asks who is in a room with presence, cluster-wide (PROTOCOL.md section 7). Needs the room's
   * join permission, not membership.
   *
   * @param {{countOnly?: boolean, timeout?: number}} [options] `countOnly`: the counts without
   *     the members
   * @returns {Promise<{room: string, count: number, users: number, members?: Array<{client: string, user?: string, info?: *}>}>}
   */
  presence(room, { countOnly, timeout } = {}) {
    try {
      checkRoom(room);
      this._checkNotClosed();
    } catch (e) {
      return Promise.reject(e);
    }
    return this.request('presence', countOnly ? { countOnly: true } : undefined, { room, timeout });
  }

  /**
   * The live roster of a joined room with presence: one entry per user, `{user, info,
   * connections, clients}`, this client's own connection included; a connection without a user
   * is an entry of its own (`user` null). Built from a presence() answer after every (re)join and
   * kept up to date by the presence events; a `roster` event tells of every change.
   *
   * @returns {ReadonlyArray<{user: string|null, info?: *, connections: number, clients: string[]}>|null}
   *     frozen; null until the first answer, in a room without presence, and in a room not joined
   */
  roster(room) {
    const state = this._rosters.get(room);
    return (state && state.view) || null;
  }

  /**
   * Sends an event to one client, wherever it is connected. Same rules as publish().
   *
   * @throws {RoomcastError} `closed` or `queue_full`
   */
  send(clientId, event, data) {
    if (typeof clientId !== 'string' || clientId.length === 0) {
      throw new RoomcastError('bad_request', 'clientId must be a non-empty string');
    }
    checkEvent(event);
    this._sendOrQueue(this._encode({ event, to: clientId, data }));
  }

  /**
   * Sends a request and waits for its reply: a server-side handler's answer, or, for an event
   * with `room` or `to` and no handler, the server's acknowledgement of the delivery.
   * A publish to a room with history (`room`, no `to`) carries an idempotency `key` (the one
   * given, or one made here) and, when the socket closes before its reply, is sent again on the
   * next connection: the server delivers it once, whichever copies reached it.
   *
   * @param {string} event the event
   * @param {*} [data] a JSON value
   * @param {{room?: string, to?: string, timeout?: number, key?: string}} [options]
   * @returns {Promise<*>} the reply's data; rejected with the server's error, or with `timeout`,
   *     `disconnected` (the socket closed before the reply and it could not be sent again) or
   *     `closed`
   */
  request(event, data, { room, to, timeout, key } = {}) {
    try {
      checkEvent(event);
      if (room !== undefined) {
        checkRoom(room);
      }
      if (key !== undefined) {
        checkKey(key);
      }
      if (isBytes(data)) {
        // Binary envelopes have no request id; a reply could not be matched to its request.
        throw new TypeError('Roomcast.request: data must be a JSON value, not bytes');
      }
      this._checkNotClosed();
    } catch (e) {
      return Promise.reject(e);
    }
    const limit = timeout ?? this._opts.requestTimeout;
    return new Promise((resolve, reject) => {
      const req = { event, room, to, data, resolve, reject, timer: null, settled: false };
      if (room !== undefined && to === undefined && !BUILT_IN_EVENTS.has(event) && (key !== undefined || this._positions.has(room))) {
        req.key = key ?? this._newKey();
        req.resend = true;
      }
      req.timer = setTimeout(() => {
        this._forget(req);
        this._settle(req, new RoomcastError('timeout', 'no reply to ' + event + ' in ' + limit + ' ms', { event, room }));
      }, limit);
      if (this._state === 'open') {
        this._sendRequest(req);
      } else {
        this._waiting.push(req);
      }
    });
  }

  // ---- sockets ----

  _openSocket() {
    const generation = ++this._generation;
    const url = this._urls[this._urlIndex];
    this._url = url;
    Promise.resolve(typeof this._opts.token === 'function' ? this._opts.token() : this._opts.token).then((token) => {
      if (generation !== this._generation) {
        return;
      }
      const target = new URL(url);
      if (token !== undefined && token !== null && token !== '') {
        target.searchParams.set('access_token', String(token));
      }
      let ws;
      try {
        ws = new this._WebSocket(target.toString(), this._opts.binary ? BINARY_PROTOCOL : JSON_PROTOCOL);
      } catch (e) {
        this._fatal(new RoomcastError('bad_url', 'cannot open ' + url + ': ' + e.message), 0, '');
        return;
      }
      ws.binaryType = 'arraybuffer';
      this._ws = ws;
      this._welcomed = false;
      this._token = token === undefined || token === null || token === '' ? null : String(token);
      ws.onmessage = (e) => this._onFrame(ws, e.data);
      ws.onclose = (e) => this._onSocketClosed(ws, e.code, e.reason);
      // An error event is always followed by a close event, which does the work.
      ws.onerror = () => {};
      if (this._opts.connectTimeout > 0) {
        this._connectTimer = setTimeout(() => this._abandon(ws, CLOSE_NO_WELCOME, 'no welcome in time'), this._opts.connectTimeout);
      }
    }, (e) => {
      if (generation === this._generation) {
        // The token could not be had: that is a failed handshake too.
        this._emit('error', new RoomcastError('token', 'the token function failed: ' + (e && e.message)));
        this._socketGone(false, 1006, 'no token');
      }
    });
  }

  /** Gives up on a socket the browser still thinks alive, and moves on at once. */
  _abandon(ws, code, reason) {
    if (ws !== this._ws) {
      return;
    }
    try {
      ws.close(code, reason);
    } catch (e) {
      // Already closing.
    }
    this._onSocketClosed(ws, code, reason);
  }

  _onSocketClosed(ws, code, reason) {
    if (ws !== this._ws) {
      return; // an abandoned socket
    }
    const welcomed = this._welcomed;
    this._teardownSocket(new RoomcastError('disconnected', 'the connection closed (' + code + ')', { closeCode: code, closeReason: reason }));
    this._socketGone(welcomed, code, reason);
  }

  /** Detaches the current socket and fails what was waiting on it. */
  _teardownSocket(error) {
    const ws = this._ws;
    if (ws) {
      ws.onmessage = ws.onclose = ws.onerror = null;
    }
    this._ws = null;
    this._welcomed = false;
    this._generation++;
    clearTimeout(this._connectTimer);
    clearInterval(this._heartbeatTimer);
    clearTimeout(this._reconnectTimer);
    clearTimeout(this._refreshTimer);
    this._connectTimer = this._heartbeatTimer = this._reconnectTimer = this._refreshTimer = null;
    for (const req of this._byId.values()) {
      if (req.resend && !req.settled && this._state !== 'closed') {
        // Its key makes a second copy harmless: send it again on the next connection.
        this._waiting.push(req);
      } else {
        this._settle(req, error);
      }
    }
    for (const list of this._byKey.values()) {
      list.forEach((call) => this._settle(call, error));
    }
    this._byId.clear();
    this._byKey.clear();
  }

  /** Decides what follows a lost socket: the close rules of docs/BROWSER.md. */
  _socketGone(welcomed, code, reason) {
    if (this._state === 'closed') {
      return;
    }
    if (code === 1008) {
      this._fatal(new RoomcastError('policy', 'closed by the server with 1008 (' + (reason || 'policy') + '): not reconnecting',
        { closeCode: code, closeReason: reason }), code, reason);
      return;
    }
    if (code === CLOSE_TOKEN_EXPIRED && typeof this._opts.token !== 'function') {
      // The same token would be refused: only a token function can give the next one.
      this._fatal(new RoomcastError('token_expired', 'closed by the server with 4001 (' + (reason || 'token expired')
        + '): the token expired, and option token is not a function that could give a new one: not reconnecting',
      { closeCode: code, closeReason: reason }), code, reason);
      return;
    }
    // A 4001 with a token function is a lost socket like any other: the next attempt calls the
    // function (see _openSocket), so it goes with a new token.
    if (welcomed && code === 1000) {
      // The server ended the session on purpose (a hub removed the client).
      this._finish(code, reason, null, new RoomcastError('closed', 'closed by the server', { closeCode: code, closeReason: reason }));
      return;
    }
    if (welcomed) {
      if (Date.now() - this._openedAt >= this._opts.resetBackoffAfter) {
        this._attempt = 0;
      }
    } else {
      this._handshakeFailures++;
      if (this._handshakeFailures >= Math.max(this._opts.maxHandshakeFailures, this._urls.length)) {
        this._fatal(new RoomcastError('handshake_failed', this._handshakeFailures
          + ' connection attempts in a row failed before the welcome (refused, unauthorized, forbidden or unreachable): not reconnecting',
        { closeCode: code, closeReason: reason }), code, reason);
        return;
      }
    }
    if (!this._opts.reconnect) {
      this._fatal(new RoomcastError('disconnected', 'the connection closed (' + code + ') and reconnect is off',
        { closeCode: code, closeReason: reason }), code, reason);
      return;
    }
    // Exponential backoff with full jitter: a random delay below a ceiling that doubles per
    // attempt, so that the clients of a failed node do not all come back at once.
    this._urlIndex = (this._urlIndex + 1) % this._urls.length;
    this._attempt++;
    const ceiling = Math.min(this._opts.maxReconnectDelay, this._opts.reconnectDelay * 2 ** (this._attempt - 1));
    const delay = Math.floor(Math.random() * ceiling);
    this._setState('reconnecting', { attempt: this._attempt, delay, code, reason, url: this._urls[this._urlIndex] });
    this._reconnectTimer = setTimeout(() => {
      this._reconnectTimer = null;
      this._openSocket();
    }, delay);
  }

  _fatal(error, code, reason) {
    this._teardownSocket(error);
    this._emit('error', error);
    this._finish(code, reason, error, error);
  }

  /** Enters `closed`: nothing is pending any more. */
  _finish(code, reason, error, rejection) {
    this._queue = [];
    this._waiting.forEach((req) => this._settle(req, rejection));
    this._waiting = [];
    for (const [room, waiters] of this._joinWaiters) {
      const e = new RoomcastError(rejection.code, rejection.message, { ...rejection, room });
      waiters.forEach((w) => w.reject(e));
    }
    this._joinWaiters.clear();
    const connecting = this._connecting;
    this._connecting = null;
    const wasClosed = this._state === 'closed';
    this._state = 'closed';
    if (!wasClosed) {
      const detail = { code, reason, error };
      this._emit('closed', detail);
      this._emit('state', { state: 'closed', ...detail });
    }
    if (connecting) {
      connecting.reject(rejection);
    }
  }

  _setState(state, detail = {}) {
    this._state = state;
    this._emit(state, detail);
    this._emit('state', { state, ...detail });
  }

  _checkNotClosed() {
    if (this._state === 'closed') {
      throw new RoomcastError('closed', 'the client is closed: call connect() first');
    }
  }

  // ---- frames in ----

  _onFrame(ws, raw) {
    if (ws !== this._ws) {
      return;
    }
    this._lastFrameAt = Date.now();
    let msg;
    try {
      msg = typeof raw === 'string' ? this._decodeText(raw) : this._decodeBinary(raw);
    } catch (e) {
      this._emit('error', e instanceof RoomcastError ? e : new RoomcastError('bad_frame', 'the server sent a frame that is not protocol: ' + e.message));
      return;
    }
    if (msg.from !== undefined) {
      // Sent by a peer: whatever its name, it is a delivery, never a control frame.
      this._deliver(msg);
      return;
    }
    switch (msg.event) {
      case 'welcome':
        this._onWelcome(ws, msg.data || {});
        return;
      case 'reply':
        this._onReply(msg);
        return;
      case 'pong':
        return;
      case 'left':
        if (typeof msg.room === 'string') {
          this._onLeft(msg.room, msg.data);
          return;
        }
        this._deliver(msg);
        return;
      case 'error': {
        const err = msg.error || {};
        this._emit('error', new RoomcastError(err.code || 'internal', err.message || 'error from the server'));
        return;
      }
      default:
        this._deliver(msg);
    }
  }

  _decodeText(text) {
    const f = JSON.parse(text);
    let data = f.data;
    if (f.encoding === 'base64' && typeof data === 'string') {
      data = base64ToBytes(data);
    }
    return { event: f.event, room: f.room, from: f.from, id: f.id, status: f.status, error: f.error, data, replyTo: undefined,
      offset: f.offset, epoch: f.epoch };
  }

  _decodeBinary(buffer) {
    const env = decodeEnvelope(buffer);
    if (env.from === undefined && (CONTROL_EVENTS.has(env.event) || env.event === 'error')) {
      // Control frames carry their fields as a JSON object payload.
      const fields = env.payload.byteLength === 0 ? {} : JSON.parse(strictDecoder.decode(env.payload));
      if (env.event === 'welcome') {
        return { event: 'welcome', data: fields };
      }
      let data = fields.data;
      if (fields.encoding === 'base64' && typeof data === 'string') {
        data = base64ToBytes(data);
      }
      if (env.event === 'reply' && fields.status === 'ok' && data === undefined) {
        // A built-in's answer in binary: its fields sit beside status and event.
        const { status, event, ...rest } = fields;
        data = rest;
      }
      return { event: env.event, room: env.room ?? fields.room, id: fields.id, status: fields.status, error: fields.error, data, replyTo: fields.event };
    }
    return { event: env.event, room: env.room, from: env.from, data: payloadToData(env.payload), binary: true,
      offset: env.meta && env.meta.offset, epoch: env.meta && env.meta.epoch };
  }

  _onWelcome(ws, data) {
    clearTimeout(this._connectTimer);
    this._connectTimer = null;
    const previousId = this._id;
    const reconnected = previousId !== null;
    this._id = data.id;
    this._node = data.node;
    this._openedAt = Date.now();
    this._handshakeFailures = 0;
    this._welcomed = true;
    this._startHeartbeat(ws);
    this._scheduleRefresh(ws, this._token);
    // Join the rooms again before announcing `open`, so that the application finds itself in its
    // rooms and what it queued is published inside them.
    const rooms = [...this._rooms];
    Promise.allSettled(rooms.map((room) => this._join(room))).then((results) => {
      if (ws !== this._ws) {
        return; // lost again: the next welcome re-joins
      }
      const failed = [];
      const unrecovered = [];
      results.forEach((r, i) => {
        const room = rooms[i];
        const waiters = this._joinWaiters.get(room) || [];
        this._joinWaiters.delete(room);
        if (r.status === 'fulfilled') {
          if (r.value && r.value.recovered === false) {
            unrecovered.push(room);
          }
          waiters.forEach((w) => w.resolve(r.value));
        } else {
          this._rooms.delete(room);
          this._roomGone(room);
          failed.push(room);
          waiters.forEach((w) => w.reject(r.reason));
          this._emit('error', new RoomcastError(r.reason.code, 'could not join ' + room + ' again: ' + r.reason.message, { room }));
        }
      });
      // What waited goes out first, so that it keeps its place before anything that `open`
      // listeners publish.
      this._flush(ws);
      const detail = { id: this._id, node: this._node, url: this._url, previousId, reconnected, rooms: this.rooms, failedRooms: failed,
        unrecoveredRooms: unrecovered };
      this._setState('open', detail);
      const connecting = this._connecting;
      this._connecting = null;
      if (connecting) {
        connecting.resolve(detail);
      }
    });
  }

  _onReply(msg) {
    let pending;
    if (msg.id !== undefined && msg.id !== null) {
      pending = this._byId.get(msg.id);
      this._byId.delete(msg.id);
    } else {
      // A binary reply names its event and room: the oldest call of that pair is the one.
      const key = msg.replyTo + ' ' + (msg.room || '');
      const list = this._byKey.get(key);
      pending = list && list.shift();
      if (list && list.length === 0) {
        this._byKey.delete(key);
      }
    }
    if (!pending) {
      return; // its caller timed out
    }
    if (msg.status === 'error') {
      const err = msg.error || {};
      this._settle(pending, new RoomcastError(err.code || 'internal', err.message || 'error', { event: pending.event, room: pending.room }));
    } else {
      this._settle(pending, null, msg.data === undefined && pending.builtIn ? pending.okData : msg.data);
    }
  }

  _deliver(msg) {
    const message = { event: msg.event, room: msg.room, from: msg.from, data: msg.data };
    if (msg.epoch !== undefined && msg.room !== undefined) {
      message.offset = msg.offset;
      message.epoch = msg.epoch;
      if (this._rooms.has(msg.room)) {
        this._positions.set(msg.room, { offset: msg.offset, epoch: msg.epoch });
      }
    }
    // Only the server's presence events (no `from`) change a roster: a peer cannot fake one. The
    // roster changes first, so that `presence` listeners find roster() up to date.
    const rosterChanged = msg.event === 'presence' && msg.from === undefined && msg.room !== undefined
      && this._onPresence(msg.room, msg.data);
    this._emit('message', message);
    if (!LOCAL_EVENTS.has(msg.event)) {
      this._emit(msg.event, msg.data, message);
    }
    if (rosterChanged && this._rosters.has(msg.room)) {
      // (Unless a listener left the room meanwhile: its leave told of the dropped roster.)
      this._emit('roster', { room: msg.room, roster: this.roster(msg.room) });
    }
  }

  // ---- frames out ----

  /** A frame for publish/send: JSON text, or a binary envelope in binary mode or for bytes. */
  _encode({ event, room, to, data, key }) {
    if ((this._opts.binary || isBytes(data)) && key === undefined) {
      let payload;
      if (isBytes(data)) {
        payload = toUint8(data).slice();
      } else if (data !== undefined) {
        payload = encoder.encode(JSON.stringify(data));
      }
      return encodeEnvelope({ room, event, to, payload });
    }
    if (isBytes(data)) {
      // A key travels only in JSON (PROTOCOL.md section 6): the bytes go as base64.
      throw new TypeError('Roomcast.publish: a key needs JSON data, not bytes');
    }
    return JSON.stringify({ event, room, to, data, key });
  }

  _sendOrQueue(frame) {
    this._checkNotClosed();
    if (this._state === 'open' && this._ws) {
      this._ws.send(frame);
      return;
    }
    if (this._queue.length >= this._opts.queueLimit) {
      throw new RoomcastError('queue_full', this._opts.queueLimit === 0
        ? 'not connected, and queueing is off (queueLimit 0)'
        : 'not connected, and ' + this._opts.queueLimit + ' messages are already queued');
    }
    this._queue.push(frame);
  }

  _flush(ws) {
    const queue = this._queue;
    const waiting = this._waiting;
    this._queue = [];
    this._waiting = [];
    queue.forEach((frame) => ws.send(frame));
    waiting.forEach((req) => {
      if (!req.settled) {
        this._sendRequest(req);
      }
    });
  }

  /**
   * Joins a room on the current socket, from the last position seen in it when it keeps a
   * history, with its info, and keeps the position the reply gives; then builds its roster.
   */
  _join(room) {
    const since = this._positions.get(room);
    const info = this._infos.get(room);
    const ws = this._ws;
    // JSON carries the info as the join's data; a binary join carries it beside since in its
    // payload (PROTOCOL.md sections 6 and 7).
    let fields;
    let payload;
    if (since) {
      fields = { since };
      payload = { since };
    }
    if (info !== undefined) {
      fields = { ...fields, data: { info } };
      payload = { ...payload, info };
    }
    this._rosterPending(room);
    return this._call('join', room, this._opts.requestTimeout, fields, payload).then((reply) => {
      if (reply && reply.epoch !== undefined && this._rooms.has(room)) {
        this._positions.set(room, { offset: reply.offset, epoch: reply.epoch });
      }
      if (ws === this._ws && this._rooms.has(room)) {
        this._askRoster(room);
      }
      return reply;
    });
  }

  /**
   * A built-in event (join, leave, ping) on the current socket, answered by a reply. `fields` go
   * into a JSON frame; a binary envelope carries `payload` as its JSON payload.
   */
  _call(event, room, timeout = this._opts.requestTimeout, fields = undefined, payload = fields) {
    return new Promise((resolve, reject) => {
      const call = { event, room, resolve, reject, settled: false, builtIn: true, okData: room ? { room } : {}, timer: null };
      call.timer = setTimeout(() => {
        this._forget(call);
        this._settle(call, new RoomcastError('timeout', 'no reply to ' + event + ' in ' + timeout + ' ms', { event, room }));
      }, timeout);
      if (this._opts.binary) {
        // Binary envelopes have no request id: the reply names the event and room instead.
        call.key = event + ' ' + (room || '');
        const list = this._byKey.get(call.key) || [];
        list.push(call);
        this._byKey.set(call.key, list);
        this._ws.send(encodeEnvelope({ room, event, payload: payload && encoder.encode(JSON.stringify(payload)) }));
      } else {
        call.id = this._nextId++;
        this._byId.set(call.id, call);
        this._ws.send(JSON.stringify({ event, id: call.id, room, ...fields }));
      }
    });
  }

  /**
   * Requests always travel as JSON text with an id, in binary mode too (PROTOCOL.md section 4:
   * text frames carry JSON envelopes on any connection), so that errors are matched to them.
   */
  _sendRequest(req) {
    req.id = this._nextId++;
    this._byId.set(req.id, req);
    this._ws.send(JSON.stringify({ event: req.event, id: req.id, room: req.room, to: req.to, data: req.data, key: req.key }));
  }

  /** An idempotency key no other client makes: a random prefix per client, then a counter. */
  _newKey() {
    if (!this._keyPrefix) {
      const bytes = new Uint8Array(12);
      globalThis.crypto.getRandomValues(bytes);
      this._keyPrefix = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    }
    return this._keyPrefix + '-' + (++this._keys);
  }

  _forget(pending) {
    if (pending.id !== undefined) {
      this._byId.delete(pending.id);
    }
    if (pending.key !== undefined) {
      const list = this._byKey.get(pending.key);
      const i = list ? list.indexOf(pending) : -1;
      if (i >= 0) {
        // Keep a placeholder so that later replies of the same key still line up in order.
        list[i] = { settled: true, event: pending.event, room: pending.room };
      }
    }
    const w = this._waiting.indexOf(pending);
    if (w >= 0) {
      this._waiting.splice(w, 1);
    }
  }

  _settle(pending, error, value) {
    if (pending.settled) {
      return;
    }
    pending.settled = true;
    clearTimeout(pending.timer);
    if (error) {
      pending.reject(error);
    } else {
      pending.resolve(value);
    }
  }

  _waitForJoin(room) {
    return new Promise((resolve, reject) => {
      const list = this._joinWaiters.get(room) || [];
      list.push({ resolve, reject });
      this._joinWaiters.set(room, list);
    });
  }

  // ---- rosters ----

  /**
   * A join of the room goes out: from now on its presence changes wait, in a buffer, for the
   * answer of the presence request that follows the join (see _askRoster). Until that answer, the
   * roster shows what it showed (nothing on a first join, the last known members on a rejoin).
   */
  _rosterPending(room) {
    if (this._noPresence.has(room)) {
      return;
    }
    let state = this._rosters.get(room);
    if (!state) {
      // members: client id -> {user, info}; view: what roster() returns; buffer: the changes
      // since the buffer's socket joined; ask: the number of the request whose answer counts.
      state = { members: null, view: null, buffer: null, socket: null, ask: 0, tries: 0, timer: null };
      this._rosters.set(room, state);
    }
    clearTimeout(state.timer);
    state.timer = null;
    state.ask++;
    state.tries = 0;
    // A buffer goes on while its socket does (its changes are all there, in order); a new socket
    // starts afresh, since what the old one buffered may be undone by changes it never heard of.
    if (!state.buffer || state.socket !== this._ws) {
      state.buffer = [];
      state.socket = this._ws;
    }
  }

  /**
   * Asks who is in the room, and makes the answer the roster with the buffered changes applied
   * on top: a change that arrived while the request was out may or may not be in the answer, and
   * applying one again is harmless where losing one is not. A room whose request is refused
   * keeps no roster and is not asked again while the client is in it; a passing failure is
   * tried again a few times.
   */
  _askRoster(room) {
    const state = this._rosters.get(room);
    if (!state || !state.buffer) {
      return;
    }
    const ask = ++state.ask;
    const current = () => this._rosters.get(room) === state && state.ask === ask;
    this.presence(room).then((answer) => {
      if (!current()) {
        return;
      }
      if (!answer || !Array.isArray(answer.members)) {
        // A server without presence took the request for a publish.
        this._noRoster(room);
        return;
      }
      state.members = new Map();
      for (const m of answer.members) {
        if (m && typeof m.client === 'string') {
          state.members.set(m.client, { user: m.user ?? null, info: m.info });
        }
      }
      const buffered = state.buffer;
      state.buffer = null;
      state.socket = null;
      buffered.forEach((change) => applyPresence(state.members, change));
      state.view = foldRoster(state.members);
      this._emit('roster', { room, roster: state.view });
    }, (e) => {
      if (!current() || e.code === 'closed' || e.code === 'disconnected') {
        return; // after a lost socket, the rejoin asks again
      }
      if (!PASSING_ERRORS.has(e.code)) {
        this._noRoster(room);
      } else if (state.tries < ROSTER_RETRY_DELAYS.length) {
        state.timer = setTimeout(() => {
          state.timer = null;
          if (current() && this._welcomed) {
            this._askRoster(room);
          }
        }, ROSTER_RETRY_DELAYS[state.tries++]);
      } else {
        // Given up until the next rejoin, which asks again.
        this._dropRoster(room);
        this._emit('error', new RoomcastError(e.code, 'could not read the members of ' + room + ': ' + e.message, { room }));
      }
    });
  }

  /** @returns {boolean} whether a presence event changed the room's roster at once */
  _onPresence(room, data) {
    const state = this._rosters.get(room);
    const change = state && presenceChange(data);
    if (!change) {
      return false;
    }
    if (state.buffer) {
      state.buffer.push(change);
      return false;
    }
    if (!applyPresence(state.members, change)) {
      return false;
    }
    state.view = foldRoster(state.members);
    return true;
  }

  /** The room keeps no presence (the server refused the request): no roster while in it. */
  _noRoster(room) {
    this._noPresence.add(room);
    this._dropRoster(room);
  }

  _dropRoster(room) {
    const state = this._rosters.get(room);
    if (!state) {
      return;
    }
    clearTimeout(state.timer);
    this._rosters.delete(room);
    if (state.view) {
      this._emit('roster', { room, roster: null });
    }
  }

  /** The client is no longer in the room: forget its info and its roster. */
  _roomGone(room) {
    this._infos.delete(room);
    this._noPresence.delete(room);
    this._dropRoster(room);
  }

  // ---- token lifetime ----

  /**
   * Schedules the in-band refresh of the socket's token (PROTOCOL.md section 8): only with a
   * token function (a string cannot be renewed) and a token that is a JWT with `exp`; the time
   * is drawn at random in the window of REFRESH_NEAR_LEAD.
   *
   * @param {number} [exp] the token's `exp` as the server answered it, over the token's own
   */
  _scheduleRefresh(ws, token, exp) {
    clearTimeout(this._refreshTimer);
    this._refreshTimer = null;
    if (ws !== this._ws || typeof this._opts.token !== 'function') {
      return;
    }
    // The server's exp counts over the token's own (and serves for a token that is not a JWT).
    const claims = exp === undefined ? jwtClaims(token) : { ...jwtClaims(token), exp };
    const delay = refreshDelay(claims, Date.now());
    if (delay === null) {
      return;
    }
    if (delay > MAX_TIMER_DELAY) {
      this._refreshTimer = setTimeout(() => this._scheduleRefresh(ws, token, exp), MAX_TIMER_DELAY);
      return;
    }
    this._refreshTimer = setTimeout(() => {
      this._refreshTimer = null;
      this._refreshToken(ws);
    }, delay);
  }

  /**
   * Gets a token from the token function and sends it in a `refresh` request on the same socket
   * (a JSON request with an id, or in binary mode a binary envelope with the JSON payload
   * `{"token":..}`, like the other built-ins). On success the next refresh is scheduled from the
   * new expiry; on failure an `error` tells why, and the expiry close (4001) followed by a
   * reconnect with a new token takes over. A socket lost meanwhile drops it silently: the next
   * socket gets a token of its own.
   */
  _refreshToken(ws) {
    if (ws !== this._ws || !this._welcomed) {
      return;
    }
    const current = () => ws === this._ws && this._welcomed;
    let stage = 'token';
    new Promise((resolve) => resolve(this._opts.token())).then((value) => {
      if (!current()) {
        return undefined;
      }
      if (value === undefined || value === null || value === '') {
        throw new RoomcastError('token', 'it gave no token');
      }
      const token = String(value);
      stage = 'refresh';
      return this._call('refresh', undefined, this._opts.requestTimeout, { data: { token } }, { token }).then((reply) => {
        if (!current()) {
          return;
        }
        this._token = token;
        // The reply's exp is the one the server enforces; without one, the new token does not
        // expire and needs no refresh.
        if (reply && typeof reply.exp === 'number') {
          this._scheduleRefresh(ws, token, reply.exp);
        }
      });
    }).catch((e) => {
      if (!current()) {
        return; // the socket is gone; its close decides what follows
      }
      const code = stage === 'token' ? 'token' : (e && e.code) || 'internal';
      this._emit('error', new RoomcastError(code, (stage === 'token' ? 'the token function failed: ' : 'the token refresh failed: ')
        + (e && e.message) + '; the connection ends when its token expires, and a new one is made with a new token',
      { event: 'refresh' }));
    });
  }

  /**
   * The server took the client out of a room (PROTOCOL.md section 8: a refreshed token no longer
   * permits it): the room is forgotten like after leave() (not joined again on reconnect, its
   * position, info and roster dropped), then `left` tells the application.
   */
  _onLeft(room, data) {
    this._rooms.delete(room);
    this._positions.delete(room);
    this._roomGone(room);
    const reason = data && typeof data === 'object' && typeof data.reason === 'string' ? data.reason : null;
    this._emit('left', { room, reason });
  }

  // ---- heartbeat ----

  /**
   * The browser may not notice a dead link for minutes (no FIN, no RST: a sleeping laptop, a
   * NAT that forgot the flow). When nothing has arrived for `heartbeatInterval`, a ping with an
   * id goes out; when still nothing has arrived `heartbeatTimeout` later, the socket is given up
   * and the client reconnects.
   */
  _startHeartbeat(ws) {
    const every = this._opts.heartbeatInterval;
    if (!every) {
      return;
    }
    let pinging = false;
    this._heartbeatTimer = setInterval(() => {
      if (ws !== this._ws || pinging || Date.now() - this._lastFrameAt < every) {
        return;
      }
      pinging = true;
      const sentAt = Date.now();
      this._call('ping', undefined, this._opts.heartbeatTimeout).catch((e) => {
        if (e.code === 'timeout' && ws === this._ws && this._lastFrameAt < sentAt) {
          this._abandon(ws, CLOSE_HEARTBEAT_LOST, 'heartbeat lost');
        }
      }).finally(() => {
        pinging = false;
      });
    }, Math.max(50, Math.min(every, this._opts.heartbeatTimeout || every) / 2));
  }

  // ---- events ----

  _openDetail() {
    return { id: this._id, node: this._node, url: this._url, rooms: this.rooms };
  }

  _emit(event, ...args) {
    const set = this._listeners.get(event);
    if (!set) {
      return;
    }
    for (const fn of [...set]) {
      try {
        fn(...args);
      } catch (e) {
        report(e);
      }
    }
  }
}

export default Roomcast;
