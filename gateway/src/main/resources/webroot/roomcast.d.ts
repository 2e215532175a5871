// Type declarations of roomcast.js, the browser client of the Roomcast gateway.
// Served by every node at /roomcast.d.ts; the guide is docs/BROWSER.md.

/** A JSON value, as `data` of a JSON frame. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Bytes: sent as the payload of a binary envelope, received as a Uint8Array. */
export type Bytes = ArrayBuffer | ArrayBufferView;

/** What a delivery carries: JSON, or bytes when the payload was not UTF-8 JSON. */
export type Data = Json | Uint8Array | undefined;

export type State = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface RoomcastOptions {
  /**
   * Sent in the `access_token` query parameter of every handshake. Default: none.
   *
   * A function is called before every attempt (so a reconnect, also after the server closed
   * with 4001 because the token expired, goes with a new token) and for every in-band refresh:
   * while a connection's token is a JWT with `exp`, the client sends the server a new one in a
   * `refresh` request at a random time before the expiry, so that the connection lives on
   * (PROTOCOL.md section 8; the window is in docs/BROWSER.md). A string cannot be renewed: when
   * it expires the server closes with 4001 and the client stops with `token_expired`.
   */
  token?: string | (() => string | Promise<string>);
  /** Binary mode: subprotocol `roomcast.v1.bin` and binary envelopes. Default false (JSON). */
  binary?: boolean;
  /** Reconnect after a lost connection. Default true. */
  reconnect?: boolean;
  /** The backoff ceiling of the first reconnect attempt, in ms; it doubles per attempt. Default 500. */
  reconnectDelay?: number;
  /** The largest backoff ceiling, in ms. Default 30000. */
  maxReconnectDelay?: number;
  /** A connection open this long (ms) resets the backoff to its first step when it drops. Default 10000. */
  resetBackoffAfter?: number;
  /**
   * Consecutive attempts that fail before the welcome (refused, 401, 403, unreachable) after
   * which the client stops with error `handshake_failed`; at least the number of URLs. Default 8.
   */
  maxHandshakeFailures?: number;
  /** Time for the handshake and the welcome, in ms; 0 for none. Default 10000. */
  connectTimeout?: number;
  /** Quiet time (ms) after which a heartbeat ping goes out; 0 turns the heartbeat off. Default 20000. */
  heartbeatInterval?: number;
  /** Time (ms) a heartbeat ping waits for any frame before the link is taken for dead. Default 10000. */
  heartbeatTimeout?: number;
  /** Default timeout of join, leave and request, in ms. Default 10000. */
  requestTimeout?: number;
  /** publish and send calls kept while not open; 0 rejects them at once. Default 100. */
  queueLimit?: number;
  /** The WebSocket constructor, for environments without a global one. */
  WebSocket?: typeof WebSocket;
}

/** Error codes of the server (PROTOCOL.md section 3). */
export type ServerErrorCode =
  | 'bad_request' | 'unknown_event' | 'invalid_room' | 'not_member' | 'forbidden'
  | 'unknown_client' | 'too_large' | 'rate_limited' | 'unavailable' | 'internal';

/** Error codes of the client itself. */
export type ClientErrorCode =
  | 'timeout' // no reply in time
  | 'disconnected' // the connection closed before the reply
  | 'closed' // close() was called, or the server closed with 1000; or the client is not connected
  | 'cancelled' // leave() was called while the join waited for a connection
  | 'queue_full' // publish/send while not open, with the queue full (or queueLimit 0)
  | 'policy' // the server closed with 1008 (kicked, forbidden, abusive): fatal
  | 'handshake_failed' // maxHandshakeFailures attempts in a row failed before the welcome: fatal
  | 'bad_url' // a URL the browser refused: fatal
  | 'token' // the token function failed (before a connection attempt, or for a refresh)
  | 'token_expired' // the server closed with 4001 (token expired) and option token is a string: fatal
  | 'bad_frame'; // the server sent something that is not protocol

export declare class RoomcastError extends Error {
  constructor(code: string, message: string, details?: object);
  readonly name: 'RoomcastError';
  readonly code: ServerErrorCode | ClientErrorCode | string;
  /** The close code, for errors caused by a close. */
  readonly closeCode?: number;
  readonly closeReason?: string;
  readonly room?: string;
  /** The request's event, e.g. `refresh` for a token refresh that failed. */
  readonly event?: string;
}

/** A delivery: a room message (`room` set), a direct message, or a server event (`from` unset). */
export interface Message {
  event: string;
  room?: string;
  from?: string;
  data: Data;
  /** In a room with history: the message's offset and the room's epoch. */
  offset?: number;
  epoch?: string;
}

export interface OpenDetail {
  id: string;
  node: string;
  url: string;
  /** The client id of the previous connection, null on the first one. */
  previousId: string | null;
  reconnected: boolean;
  /** The rooms joined (again). */
  rooms: string[];
  /** Rooms that could not be joined again (each also reported as an `error`). */
  failedRooms: string[];
  /**
   * Rooms with history joined again without recovering what was missed (too old, or a new
   * epoch): read `history()` to catch up.
   */
  unrecoveredRooms: string[];
}

/** A position in a room's history (PROTOCOL.md section 6). */
export interface Position {
  offset: number;
  epoch: string;
}

/** The answer to join: in a room with history, where the membership took effect. */
export interface Joined {
  room: string;
  offset?: number;
  epoch?: string;
  /** Present when the join recovered from a position: whether everything missed was sent again. */
  recovered?: boolean;
}

/** One connection in a presence() answer (PROTOCOL.md section 7). */
export interface PresenceMember {
  client: string;
  /** The connection's user (the hub's `userClaim` claim); absent when it has none. */
  user?: string;
  /** The info the connection joined with; absent when none. */
  info?: Json;
}

/** The answer to presence(): who is in a room with presence, cluster-wide. */
export interface Presence {
  room: string;
  /** Connections. */
  count: number;
  /** Distinct users. */
  users: number;
  /** Absent with `countOnly`. */
  members?: PresenceMember[];
}

/** A user in a room's roster, with all its connections; or one connection without a user. */
export interface RosterEntry {
  /** null for a connection without a user: an entry of its own. */
  readonly user: string | null;
  /** The info of the user's latest connection that joined with one. */
  readonly info?: Json;
  readonly connections: number;
  /** The client ids of the connections, this client's own included. */
  readonly clients: readonly string[];
}

export type Roster = readonly RosterEntry[];

export interface RosterDetail {
  room: string;
  /** null when the roster is dropped: the room was left (or could not be joined again), or its members could not be read. */
  roster: Roster | null;
}

export interface HistoryMessage {
  offset: number;
  event: string;
  from?: string;
  data?: Data;
}

export interface History extends Position {
  room: string;
  messages: HistoryMessage[];
}

export interface ConnectingDetail {
  url: string;
}

export interface ReconnectingDetail {
  /** Attempts since the last stable connection, from 1. */
  attempt: number;
  /** The delay before the attempt, in ms. */
  delay: number;
  /**
   * The close code that ended the last socket: the server's (4001: token expired, reconnecting
   * with a new token from the token function) or the client's own (4000: heartbeat lost, 4002: no
   * welcome in time).
   */
  code: number;
  reason: string;
  /** The URL the attempt goes to. */
  url: string;
}

/** The server took the client out of a room (PROTOCOL.md section 8). */
export interface LeftDetail {
  room: string;
  /** The server's reason: `forbidden` when a refreshed token no longer permits the room; null when none was given. */
  reason: string | null;
}

export interface ClosedDetail {
  code: number;
  reason: string;
  /** Why the client stopped, when it was not close(). */
  error: RoomcastError | null;
}

export type StateDetail =
  | ({ state: 'connecting' } & ConnectingDetail)
  | ({ state: 'open' } & OpenDetail)
  | ({ state: 'reconnecting' } & ReconnectingDetail)
  | ({ state: 'closed' } & ClosedDetail);

export interface LocalEvents {
  connecting: (detail: ConnectingDetail) => void;
  open: (detail: OpenDetail) => void;
  reconnecting: (detail: ReconnectingDetail) => void;
  closed: (detail: ClosedDetail) => void;
  state: (detail: StateDetail) => void;
  error: (error: RoomcastError) => void;
  message: (message: Message) => void;
  /** A room's roster changed (see Roomcast.roster). */
  roster: (detail: RosterDetail) => void;
  /**
   * The server took the client out of a room (its `left` frame): the room is no longer in
   * `rooms`, is not joined again on reconnect, and its roster and position are dropped. A peer's
   * delivery named `left` reaches only `message` listeners.
   */
  left: (detail: LeftDetail) => void;
}

export interface RequestOptions {
  room?: string;
  to?: string;
  /** In ms; default the client's requestTimeout. */
  timeout?: number;
  /**
   * Idempotency key (1-64 characters) of a publish to a room with history. Without one, the
   * client makes one for such a publish, and sends it again after a reconnect when the reply was
   * lost: it is delivered once.
   */
  key?: string;
}

export declare const DEFAULTS: Readonly<Required<Omit<RoomcastOptions, 'token' | 'WebSocket'>>> & {
  readonly token: undefined;
  readonly WebSocket: undefined;
};

export declare class Roomcast {
  /**
   * @param urls one node URL or a list (ws://, wss://, http://, https://, or a path on the
   *     page's host); default `/ws` on the page's host
   */
  constructor(urls?: string | string[], options?: RoomcastOptions);

  readonly state: State;
  /** The client id of the current connection; it changes on every reconnect. */
  readonly id: string | null;
  /** The node holding the current connection. */
  readonly node: string | null;
  readonly url: string | null;
  readonly urls: string[];
  /** Rooms joined or being joined (re-joined after every reconnect); `root` is implicit. */
  readonly rooms: string[];
  /** publish/send calls waiting for the connection. */
  readonly queued: number;

  /** Settled by the next `open`; rejected by a fatal close or close(). */
  connect(): Promise<OpenDetail>;
  /** Closes with 1000, stops reconnecting, rejects what is pending, forgets the rooms. */
  close(reason?: string): void;

  /**
   * Joins a room, and joins it again after every reconnect; in a room with history, the rejoin
   * recovers what was missed while away (PROTOCOL.md section 6). `info` (any JSON, at most 1,024
   * bytes encoded, else `bad_request`) is shown to the members of a room with presence, and sent
   * again by every rejoin; in such a room the join (re)builds the room's roster.
   */
  join(room: string, options?: { info?: Json }): Promise<Joined>;
  leave(room: string): Promise<{ room: string }>;
  /**
   * Fire and forget; queued while not open. Throws `closed` or `queue_full`. In a room with
   * history, a `key` (1-64 characters, JSON data only) makes a repeat of the publish harmless.
   */
  publish(room: string, event: string, data?: Json | Bytes, options?: { key?: string }): void;
  /** The newest messages of a room with history, oldest first. */
  history(room: string, options?: { limit?: number; before?: number; timeout?: number }): Promise<History>;
  /** The position of the last message seen in a room with history, where a rejoin recovers from. */
  position(room: string): Position | undefined;
  /** Who is in a room with presence, cluster-wide; needs the room's join permission, not membership. */
  presence(room: string, options?: { countOnly?: boolean; timeout?: number }): Promise<Presence>;
  /**
   * The live roster of a joined room with presence, one entry per user; frozen, replaced on every
   * change (see the `roster` event). null until the first answer after the join, in a room
   * without presence, and in a room not joined.
   */
  roster(room: string): Roster | null;
  /** Fire and forget; queued while not open. Throws `closed` or `queue_full`. */
  send(clientId: string, event: string, data?: Json | Bytes): void;
  /** Resolves with the reply's data; rejects with the server's error, `timeout`, `disconnected` or `closed`. */
  request<T = Data>(event: string, data?: Json, options?: RequestOptions): Promise<T>;

  on<K extends keyof LocalEvents>(event: K, fn: LocalEvents[K]): () => void;
  on(event: string, fn: (data: Data, message: Message) => void): () => void;
  once<K extends keyof LocalEvents>(event: K, fn: LocalEvents[K]): () => void;
  once(event: string, fn: (data: Data, message: Message) => void): () => void;
  off(event: string, fn?: (...args: any[]) => void): void;
}

export interface Envelope {
  room?: string;
  event: string;
  to?: string;
  from?: string;
  payload?: Uint8Array;
}

/** Encodes a binary envelope (PROTOCOL.md section 4). */
export declare function encodeEnvelope(envelope: Envelope): ArrayBuffer;
/** Decodes a binary envelope; throws a RoomcastError `bad_request` when it is malformed. */
export declare function decodeEnvelope(buffer: Bytes): Required<Pick<Envelope, 'event' | 'payload'>> & Envelope;

export default Roomcast;
