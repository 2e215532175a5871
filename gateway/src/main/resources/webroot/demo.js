// The demo chat at /: plain ES module on roomcast.js, no build step.
//
// Wire events of the demo (all in the chosen room unless said otherwise):
//   chat  {name, text}   a message
//   hello {name}         someone joined (or came back with a new client id); answered with a
//                        direct `hello` so that the newcomer learns the names already there
//   bye   {name}         someone is leaving
//   members              a request answered by the node (DemoHandlers) with the room's members
//   order.create {item}  a request that the node's default hub forwards to the example order
//                        service (examples/order-service, docs/SERVICES.md), answered with
//                        {order, item, by}
//   order.created {order, item, client}
//                        the service's publish of a new order to the room it was made in
//
// The page joins with info {name}. In a room with presence (the node's default hub has it in
// every room) the member list is the client's live roster: each user once, with the number of
// connections they have; elsewhere it is the `members` request, asked again every few seconds.

import { Roomcast } from './roomcast.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const urls = params.get('nodes') ? params.get('nodes').split(',').map((u) => u.trim()).filter(Boolean) : ['/ws'];
const ROOM_NAME = /^[A-Za-z0-9._:@/-]{1,64}$/;
const MEMBERS_POLL_MS = 5000;
const RECENT_MESSAGES = 50;
// Longer than the hub's own limit for the order service (3 s), so that a missing or silent
// service is reported by the hub as `unavailable`, not by the client as `timeout`.
const ORDER_TIMEOUT_MS = 5000;
const ORDERS_SHOWN = 10;
const ORDER_SERVICE_COMMAND = 'java -jar examples/order-service/target/order-service.jar';

const rc = new Roomcast(urls, { binary: params.get('binary') === '1' });
const names = new Map(); // client id -> display name
let me = null; // {name, room} once joined
let membersTimer = null;
let orderAsk = 0; // bumped by every order and every join: only the latest order's outcome is shown

// ---- rendering ----

function colorOf(id) {
  let h = 0;
  for (const c of id || '?') {
    h = (h * 31 + c.charCodeAt(0)) >>> 0;
  }
  return `hsl(${h % 360} 55% 52%)`;
}

function avatar(name, id) {
  const el = document.createElement('span');
  el.className = 'avatar';
  el.style.background = colorOf(id);
  el.textContent = (name || '?').trim().charAt(0).toUpperCase() || '?';
  return el;
}

function scrollDown() {
  const list = $('messages');
  list.scrollTop = list.scrollHeight;
}

function addSystem(text, bad = false) {
  const li = document.createElement('li');
  li.className = 'system' + (bad ? ' bad' : '');
  li.textContent = text;
  $('messages').append(li);
  scrollDown();
  return li;
}

function addMessage({ name, text, from, mine, before = null, earlier = false }) {
  const li = document.createElement('li');
  li.className = 'msg' + (mine ? ' mine' : '') + (earlier ? ' earlier' : '');
  li.dataset.from = from || '';
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  const meta = document.createElement('div');
  meta.className = 'meta';
  const who = document.createElement('b');
  who.textContent = name || 'anonymous';
  // History keeps no time of day: an earlier message shows none.
  const time = earlier ? '' : new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  meta.append(who, time);
  const body = document.createElement('div');
  body.className = 'text';
  body.textContent = text;
  bubble.append(meta, body);
  li.append(avatar(name, from), bubble);
  $('messages').insertBefore(li, before);
  scrollDown();
}

// ---- history ----

/**
 * Shows a room's recent chat above the line `before`, when the room keeps a history (the node's
 * default configuration keeps one for every room): the messages up to the join's position, so
 * that none is shown twice with those that arrive live after it.
 */
async function showRecent(room, offset, before) {
  let recent;
  try {
    recent = await rc.history(room, { limit: RECENT_MESSAGES, before: offset + 1 });
  } catch (e) {
    return; // history is a courtesy: the chat works without it
  }
  if (!me || me.room !== room || !before.isConnected) {
    return;
  }
  const chat = recent.messages.filter((m) => m.event === 'chat' && m.data);
  if (chat.length === 0) {
    return;
  }
  const divider = document.createElement('li');
  divider.className = 'system';
  divider.textContent = `earlier in #${room}`;
  $('messages').insertBefore(divider, before);
  for (const m of chat) {
    addMessage({ name: m.data.name, text: String(m.data.text ?? ''), from: m.from, before, earlier: true });
  }
}

function memberItem({ key, name, isMe, connections = 1, where }) {
  const li = document.createElement('li');
  li.dataset.id = key;
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = name || 'someone';
  if (connections > 1) {
    const count = document.createElement('span');
    count.className = 'connections';
    count.textContent = ` ×${connections}`;
    count.title = `${connections} connections`;
    who.append(count);
  }
  if (isMe) {
    const you = document.createElement('span');
    you.className = 'you';
    you.textContent = ' (you)';
    who.append(you);
  }
  const place = document.createElement('span');
  place.className = 'where';
  place.textContent = where;
  place.title = where;
  li.append(avatar(name, key), who, place);
  return li;
}

/** The `members` answer: one line per connection, named by the hellos seen. */
function renderMembers(members) {
  $('members').replaceChildren(...members.map((m) => memberItem({
    key: m.id,
    name: m.id === rc.id ? me.name : names.get(m.id),
    isMe: m.id === rc.id,
    where: `${m.id} · ${m.node}`,
  })));
  $('member-count').textContent = String(members.length);
}

/** The roster: one line per user, named by their info, or per connection without a user. */
function renderRoster(roster) {
  $('members').replaceChildren(...roster.map((e) => {
    const name = e.info && typeof e.info.name === 'string' && e.info.name ? e.info.name : e.user;
    return memberItem({
      key: e.user ?? e.clients[0],
      name,
      isMe: e.clients.includes(rc.id),
      connections: e.connections,
      where: (e.user === null ? '' : e.user + ' · ') + e.clients.join(', '),
    });
  }));
  $('member-count').textContent = String(roster.length);
}

function showBanner(text) {
  $('banner').textContent = text;
  $('banner').hidden = !text;
}

// ---- members ----

/** Shows the room's roster when it has one: @returns whether it did. */
function showRoster() {
  const roster = me && rc.roster(me.room);
  if (!roster) {
    return false;
  }
  $('members-note').hidden = true;
  renderRoster(roster);
  return true;
}

async function refreshMembers() {
  if (!me || rc.state !== 'open' || showRoster()) {
    return; // a roster is kept up to date by the client: nothing to ask
  }
  const room = me.room;
  try {
    const reply = await rc.request('members', null, { room, timeout: 5000 });
    if (me && me.room === room && !rc.roster(room)) {
      $('members-note').hidden = true;
      renderMembers(reply.members);
    }
  } catch (e) {
    // A gateway without the demo's handlers (an embedded one) cannot list members.
    $('members-note').textContent = 'Member list unavailable: ' + e.message;
    $('members-note').hidden = false;
  }
}

function startMembersPoll() {
  clearInterval(membersTimer);
  // Without presence a member that vanishes is only seen by asking again (a room with a roster
  // is not asked).
  membersTimer = setInterval(refreshMembers, MEMBERS_POLL_MS);
}

// ---- orders ----

/** A display name for a client id: mine, one learnt from a hello or a chat, or the roster's. */
function nameOf(clientId) {
  if (me && clientId === rc.id) {
    return me.name;
  }
  if (names.get(clientId)) {
    return names.get(clientId);
  }
  const entry = me && (rc.roster(me.room) || []).find((e) => e.clients.includes(clientId));
  const info = entry && entry.info;
  return info && typeof info.name === 'string' && info.name ? info.name : clientId || 'someone';
}

/**
 * Says how the latest order went, under the form. `tone` is '', 'ok' or 'bad'; `command` is shown
 * as code after the text; `detail` is the tooltip (the server's own words, when the text is ours).
 */
function showOrderNote(text, { tone = '', command = null, detail = '' } = {}) {
  const note = $('order-note');
  note.className = 'order-note' + (tone ? ' ' + tone : '');
  note.replaceChildren(text);
  if (command) {
    const code = document.createElement('code');
    code.textContent = command;
    note.append(code);
  }
  note.title = detail;
  note.hidden = !text;
}

/** The service's answer, read defensively: another service on app.orders may answer otherwise. */
function describeOrder(reply) {
  if (!reply || typeof reply !== 'object') {
    return 'ordered';
  }
  return `order ${reply.order}: ${reply.item}` + (reply.by ? `, served by ${reply.by}` : '');
}

function showOrderFailure(e) {
  if (e.code === 'unavailable') {
    // The hub found no consumer on app.orders, or none answered within its 3 s: for the demo
    // that means the example service is not running, and the way out is to start it.
    showOrderNote('The order service is not running: start it with ', { tone: 'bad', command: ORDER_SERVICE_COMMAND, detail: e.message });
  } else {
    showOrderNote('Not ordered: ' + e.message, { tone: 'bad', detail: e.code });
  }
}

/**
 * Orders an item in the current room. The item goes as typed (trimmed), even empty: what makes a
 * valid item is the service's rule, and its refusal says what it wants.
 */
async function placeOrder(item) {
  const ask = ++orderAsk;
  $('order').disabled = true; // one order at a time: a double click must not order twice
  showOrderNote(`ordering ${item || '(no item)'}…`);
  try {
    const reply = await rc.request('order.create', { item }, { room: me.room, timeout: ORDER_TIMEOUT_MS });
    if (ask === orderAsk) {
      showOrderNote(describeOrder(reply), { tone: 'ok' });
      $('order-item').value = '';
    }
  } catch (e) {
    if (ask === orderAsk) {
      showOrderFailure(e);
    }
  } finally {
    if (ask === orderAsk) {
      $('order').disabled = false;
    }
  }
}

/** An order.created line at the top of the panel's list; the oldest go past ORDERS_SHOWN. */
function addOrderLine({ order, item, client }) {
  const li = document.createElement('li');
  li.dataset.order = String(order ?? '');
  const what = document.createElement('span');
  what.className = 'item';
  what.textContent = String(item ?? '?');
  const by = document.createElement('span');
  by.className = 'by';
  by.textContent = `order ${order} · ${nameOf(client)}`;
  by.title = by.textContent; // the line is cut to the panel's width
  li.append(what, by);
  const list = $('orders');
  list.prepend(li);
  while (list.children.length > ORDERS_SHOWN) {
    list.lastElementChild.remove();
  }
}

/** A new room starts with an empty panel; an order still out for the last room is not shown. */
function resetOrders() {
  orderAsk++;
  $('order').disabled = false;
  showOrderNote('');
  $('orders').replaceChildren();
}

// ---- connection ----

rc.on('state', (d) => {
  $('state').dataset.state = d.state;
  $('state').textContent = d.state;
  if (d.state === 'reconnecting' && me) {
    addSystem(`connection lost (${d.code}); retrying in ${(d.delay / 1000).toFixed(1)} s`);
  }
});

rc.on('open', (d) => {
  $('client-id').textContent = d.id;
  $('node-id').textContent = d.node;
  showBanner('');
  if (me && d.reconnected) {
    addSystem(`reconnected to node ${d.node} as ${d.id}`);
    rc.publish(me.room, 'hello', { name: me.name });
    refreshMembers();
  }
});

rc.on('closed', (d) => {
  if (d.error) {
    showBanner('Disconnected: ' + d.error.message + ' Reload the page to try again.');
  }
});

rc.on('error', (e) => {
  if (me) {
    addSystem(e.message, true);
  }
});

rc.on('chat', (data, msg) => {
  if (!me || msg.room !== me.room || !data) {
    return;
  }
  names.set(msg.from, String(data.name || ''));
  addMessage({ name: data.name, text: String(data.text ?? ''), from: msg.from });
});

rc.on('hello', (data, msg) => {
  if (!me || !data) {
    return;
  }
  const known = names.has(msg.from);
  names.set(msg.from, String(data.name || ''));
  if (msg.room === me.room) {
    addSystem(`${data.name} joined`);
    // Tell the newcomer who we are; a direct hello (no room) is not answered again.
    rc.send(msg.from, 'hello', { name: me.name });
  }
  if (msg.room === me.room || !known) {
    refreshMembers();
  }
});

rc.on('bye', (data, msg) => {
  if (me && msg.room === me.room && data) {
    addSystem(`${data.name} left`);
    names.delete(msg.from);
    refreshMembers();
  }
});

// The client's roster of a room with presence changed (it folds the node's presence events).
rc.on('roster', ({ room }) => {
  if (me && room === me.room && !showRoster()) {
    refreshMembers(); // the roster was dropped: back to asking
  }
});

// Presence events in a room that has no roster (yet): the member list is asked again.
rc.on('presence', (data, msg) => {
  if (me && msg.room === me.room && !rc.roster(me.room)) {
    refreshMembers();
  }
});

// The service publishes each new order to the room it was made in: every member sees it, the
// one who ordered too (a service's publish has no sender to leave out).
rc.on('order.created', (data, msg) => {
  if (me && msg.room === me.room && data && typeof data === 'object') {
    addOrderLine(data);
  }
});

// ---- UI ----

$('join-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const name = $('name').value.trim();
  const room = $('room').value.trim();
  if (!name || !ROOM_NAME.test(room)) {
    showBanner('Pick a name, and a room of letters, digits and . _ : @ / -');
    return;
  }
  $('join').disabled = true;
  let joined;
  try {
    joined = await rc.join(room, { info: { name } });
  } catch (e) {
    showBanner('Could not join ' + room + ': ' + e.message);
    return;
  } finally {
    $('join').disabled = false;
  }
  showBanner('');
  me = { name, room };
  localStorage.setItem('roomcast.demo', JSON.stringify(me));
  $('room-name').textContent = room;
  $('messages').replaceChildren();
  resetOrders();
  const joinedLine = addSystem(`you joined #${room} as ${name}`);
  if (joined && joined.epoch !== undefined) {
    showRecent(room, joined.offset, joinedLine);
  }
  $('join-panel').hidden = true;
  $('chat').hidden = false;
  $('text').focus();
  rc.publish(room, 'hello', { name });
  refreshMembers();
  startMembersPoll();
});

$('composer').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const text = $('text').value.trim();
  if (!text || !me) {
    return;
  }
  try {
    rc.publish(me.room, 'chat', { name: me.name, text });
  } catch (e) {
    addSystem('not sent: ' + e.message, true);
    return;
  }
  // The server does not echo a publish to its sender.
  addMessage({ name: me.name, text, from: rc.id, mine: true });
  $('text').value = '';
});

$('order-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (me) {
    placeOrder($('order-item').value.trim());
  }
});

$('leave').addEventListener('click', async () => {
  if (!me) {
    return;
  }
  const { room, name } = me;
  me = null;
  clearInterval(membersTimer);
  try {
    rc.publish(room, 'bye', { name });
    await rc.leave(room);
  } catch (e) {
    // Leaving while disconnected: nothing to undo on the server.
  }
  $('chat').hidden = true;
  $('join-panel').hidden = false;
});

addEventListener('pagehide', () => {
  if (me && rc.state === 'open') {
    rc.publish(me.room, 'bye', { name: me.name });
  }
});

try {
  const saved = JSON.parse(localStorage.getItem('roomcast.demo') || 'null');
  if (saved) {
    $('name').value = saved.name || '';
    $('room').value = saved.room || 'lobby';
  }
} catch (e) {
  // No storage: nothing to restore.
}
if (params.get('room')) {
  $('room').value = params.get('room');
}

rc.connect().catch(() => {
  // Reported by the `closed` listener.
});
