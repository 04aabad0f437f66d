// SPDX-License-Identifier: BSD-2-Clause
// vnetlab web: the page's script (docs/web.md).  It draws the lab with the
// svg the server renders (Graphviz: groups id="node-NAME", id="link-INDEX"),
// listens to the lab's event stream (one sample a second) and sends link
// edits as `vnetlab link` words.  The token comes in the URL once; the
// server sets a cookie for the reads, and changes carry it in a header.
'use strict';

const state = { lab: null, sample: null, prev: null, sel: null, events: null, ticks: 0 };

// The URL's token kept for this tab, and taken out of the address bar.
const token = (() => {
  const q = new URLSearchParams(location.search);
  if (q.get('token')) {
    sessionStorage.setItem('vnetlab_token', q.get('token'));
    history.replaceState(null, '', location.pathname + location.hash);
  }
  return sessionStorage.getItem('vnetlab_token') || '';
})();

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k instanceof Node ? k : String(k ?? ''));
  return e;
}

function say(text, bad) {
  const m = $('msg');
  m.textContent = text;
  m.className = 'show' + (bad ? ' err' : '');
  clearTimeout(say.timer);
  say.timer = setTimeout(() => { m.className = ''; }, 4000);
}

async function get(path) {
  const r = await fetch(path, { credentials: 'same-origin' });
  if (!r.ok) throw new Error((await r.json().catch(() => ({}))).error || r.statusText);
  return r;
}

// ---- the drawing ----

// Graphviz's svg, with anything that could run taken out before it joins
// the page (the names in it are the lab's own, but a page never trusts).
function cleanSvg(text) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const svg = doc.documentElement;
  if (svg.nodeName !== 'svg') throw new Error('the drawing is not svg');
  svg.querySelectorAll('script, foreignObject').forEach((n) => n.remove());
  svg.querySelectorAll('*').forEach((n) => {
    for (const a of [...n.attributes])
      if (a.name.startsWith('on') || /^\s*javascript:/i.test(a.value)) n.removeAttribute(a.name);
  });
  return document.importNode(svg, true);
}

async function drawLab() {
  const text = await (await get(`/api/labs/${encodeURIComponent(state.lab)}/graph.svg`)).text();
  const svg = cleanSvg(text);
  const box = $('graph');
  box.replaceChildren(svg);
  svg.querySelectorAll('[id^="node-"], [id^="link-"]').forEach((g) => {
    g.addEventListener('click', (ev) => {
      ev.stopPropagation();
      const id = g.id;
      select(id.startsWith('node-') ? { node: id.slice(5) } : { link: Number(id.slice(5)) });
    });
  });
}

function select(sel) {
  state.sel = sel;
  document.querySelectorAll('#graph .selected').forEach((n) => n.classList.remove('selected'));
  const id = sel.node !== undefined ? 'node-' + sel.node : 'link-' + sel.link;
  const g = document.getElementById(id);
  if (g) g.classList.add('selected');
  render();
}

// ---- numbers ----

function rate(now, before, dt) {
  if (before === undefined || now === undefined || dt <= 0) return '–';
  const v = (now - before) / dt;
  return v >= 1e6 ? (v / 1e6).toFixed(1) + 'M' : v >= 1e3 ? (v / 1e3).toFixed(1) + 'k' : v.toFixed(v < 10 ? 1 : 0);
}

function nodeOf(sample, name) {
  return (sample?.nodes || []).find((n) => n.name === name);
}

// The live interface of hook "NODE:IF" in a sample (vnet nodes only).
function ifaceOf(sample, hook) {
  const [node, hk] = hook.split(':');
  const n = nodeOf(sample, node);
  const cfg = (n?.ifaces || []).find((f) => f.hook === hk);
  const name = cfg?.ifname || hk;
  return (n?.live?.ifaces || []).find((f) => f.name === name);
}

// ---- the panel ----

function render() {
  const p = $('panel');
  const s = state.sample;
  if (!state.sel || !s) {
    p.replaceChildren(el('p', { class: 'hint' }, s ? 'Click a node or a link.' : 'Waiting for the lab…'));
    return;
  }
  p.replaceChildren(...(state.sel.node !== undefined ? nodePanel(state.sel.node) : linkPanel(state.sel.link)));
}

function nodePanel(name) {
  const n = nodeOf(state.sample, name);
  if (!n) return [el('p', { class: 'hint' }, `${name}: not in the lab now`)];
  const out = [el('h2', { id: 'panel-title' }, `${n.name} (${n.kind})`)];
  if (n.hostname) out.push(el('p', {}, `hostname ${n.hostname}${n.forwarding ? ', forwarding' : ''}`));
  const live = n.live || {};
  if (live.error) out.push(el('p', { class: 'down' }, live.error));
  const dt = (state.sample.t - (state.prev?.t ?? 0)) / 1000;
  const ifrows = (live.ifaces || []).filter((f) => f.name !== 'lo').map((f) => {
    const b = (ifaceOf(state.prev, `${name}:${f.name}`) || {});
    const addrs = (live.addrs || []).filter((a) => a.dev === f.name).map((a) => a.addr).join(' ');
    return el('tr', {}, el('td', {}, f.name), el('td', { class: f.up ? '' : 'down' }, f.up ? 'up' : 'down'),
      el('td', {}, addrs || '–'),
      el('td', { class: 'n' }, rate(f.rx_packets, b.rx_packets, dt)), el('td', { class: 'n' }, rate(f.tx_packets, b.tx_packets, dt)),
      el('td', { class: 'n' }, rate(f.rx_bytes, b.rx_bytes, dt)), el('td', { class: 'n' }, rate(f.tx_bytes, b.tx_bytes, dt)));
  });
  if (ifrows.length) {
    out.push(el('h3', {}, 'interfaces (per second)'));
    out.push(el('table', { id: 'node-ifaces' }, el('tr', {}, ...['if', 'state', 'addresses', 'rx pkt', 'tx pkt', 'rx B', 'tx B'].map((h) => el('th', {}, h))), ...ifrows));
  } else {
    for (const f of n.ifaces || []) out.push(el('p', {}, `${f.hook} → ${f.peer || '–'} ${(f.addrs || []).join(' ')}`));
  }
  const routes = live.routes || n.routes || [];
  if (routes.length) {
    out.push(el('h3', {}, 'routes'));
    out.push(el('table', { id: 'node-routes' }, ...routes.map((r) => el('tr', {}, el('td', {}, r.to), el('td', {}, r.via ? 'via ' + r.via : ''), el('td', {}, r.dev ? 'dev ' + r.dev : '')))));
  }
  if ((n.services || []).length) {
    out.push(el('h3', {}, 'services'));
    out.push(el('table', {}, ...n.services.map((v) => el('tr', {}, el('td', {}, v.service), el('td', { class: v.state === 'running' ? '' : 'down' }, v.state)))));
  }
  return out;
}

function impairText(dir) {
  const parts = Object.entries(dir || {}).map(([k, v]) => `${k} ${v.value} [${v.by}]`);
  return parts.length ? parts.join(', ') : 'none';
}

// One end's counters: totals in data-value (for tests and tools), rates shown.
function endRow(which, hook) {
  const now = ifaceOf(state.sample, hook) || {};
  const before = ifaceOf(state.prev, hook) || {};
  const dt = (state.sample.t - (state.prev?.t ?? 0)) / 1000;
  const cell = (k) => el('td', { class: 'n', id: `lc-${which}-${k}`, 'data-value': now[k] ?? '' }, rate(now[k], before[k], dt));
  return el('tr', {}, el('td', {}, hook), cell('rx_packets'), cell('tx_packets'), cell('rx_bytes'), cell('tx_bytes'));
}

function linkPanel(i) {
  const l = (state.sample.links || [])[i];
  if (!l) return [el('p', { class: 'hint' }, `link ${i}: not in the lab now`)];
  const [a, b] = l.endpoints;
  const out = [el('h2', { id: 'panel-title' }, `${a} ↔ ${b}`),
    el('p', {}, 'state ', el('b', { id: 'link-state', class: l.state === 'up' ? '' : 'down' }, l.state),
      l.pipe ? ' · userspace pipe' : '', l.via ? ` · via ${l.via}` : ''),
    el('h3', {}, 'impairments'),
    el('table', { id: 'link-impair' },
      el('tr', {}, el('td', {}, `downstream ${a} → ${b}`), el('td', { id: 'imp-downstream' }, impairText(l.downstream))),
      el('tr', {}, el('td', {}, `upstream ${b} → ${a}`), el('td', { id: 'imp-upstream' }, impairText(l.upstream)))),
    el('h3', {}, 'interfaces (per second)'),
    el('table', { id: 'link-counters' }, el('tr', {}, ...['end', 'rx pkt', 'tx pkt', 'rx B', 'tx B'].map((h) => el('th', {}, h))),
      endRow('a', a), endRow('b', b))];
  if (l.counters) {
    const c = l.counters;
    const row = (d) => el('tr', {}, el('td', {}, d), ...['rx', 'tx', 'lost', 'queue_drops', 'duplicated', 'bit_errors'].map((k) => el('td', { class: 'n', id: `pc-${d}-${k}` }, c[d]?.[k] ?? '–')));
    out.push(el('h3', {}, 'pipe (frames)'),
      el('table', { id: 'pipe-counters' }, el('tr', {}, ...['', 'rx', 'tx', 'lost', 'q-drops', 'dup', 'ber'].map((h) => el('th', {}, h))), row('downstream'), row('upstream')));
  }
  out.push(...editForms(a, b));
  return out;
}

function editForms(a, b) {
  const dir = el('select', { id: 'imp-dir' }, ...['both', 'downstream', 'upstream'].map((d) => el('option', { value: d }, d)));
  const param = el('select', { id: 'imp-param' }, ...['delay', 'jitter', 'loss', 'bandwidth', 'duplicate', 'ber', 'queue'].map((p) => el('option', { value: p }, p)));
  const value = el('input', { id: 'imp-value', type: 'text', placeholder: '20ms, 1%, none' });
  const secs = el('input', { id: 'cap-seconds', type: 'text', value: '5' });
  const hook = el('select', { id: 'cap-hook' }, el('option', { value: a }, a), el('option', { value: b }, b));
  const set = el('form', { id: 'imp-form', onsubmit: (e) => { e.preventDefault(); edit(a, b, ['set', dir.value, param.value, value.value.trim()]); } },
    dir, param, value, el('button', { id: 'imp-set', type: 'submit' }, 'set'),
    el('button', { id: 'imp-clear', type: 'button', onclick: () => edit(a, b, ['clear']) }, 'clear all'));
  const updown = el('form', {}, el('button', { id: 'link-up', type: 'button', onclick: () => edit(a, b, ['up']) }, 'link up'),
    el('button', { id: 'link-down', type: 'button', onclick: () => edit(a, b, ['down']) }, 'link down'));
  const cap = el('form', { id: 'cap-form', onsubmit: (e) => { e.preventDefault(); capture(hook.value, secs.value); } },
    hook, secs, 's', el('button', { id: 'cap-go', type: 'submit' }, 'download pcap'));
  return [el('h3', {}, 'change'), set, updown, el('h3', {}, 'capture'), cap];
}

// A link edit: `vnetlab link LAB A B WORDS...`, by the keeper.
async function edit(a, b, words) {
  if (!token) { say('open the URL vnetlab web printed (with its token) to change links', true); return; }
  try {
    const r = await fetch(`/api/labs/${encodeURIComponent(state.lab)}/link`, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Vnetlab-Token': token },
      body: JSON.stringify({ ends: [a, b], words }),
    });
    const o = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(o.error || r.statusText);
    say(`${a} ↔ ${b}: ${words.join(' ')}: done`);
    // The drawing labels impairments and dashes down links: drawn again.
    await drawLab().catch(() => {});
    if (state.sel) select(state.sel);
  } catch (e) {
    say(e.message, true);
  }
}

function capture(hook, secs) {
  const q = new URLSearchParams({ hook, seconds: secs });
  const link = el('a', { href: `/api/labs/${encodeURIComponent(state.lab)}/capture?${q}`, download: '' });
  document.body.append(link);
  link.click();
  link.remove();
  say(`capturing ${hook} for ${secs} s…`);
}

// ---- the stream ----

function listen() {
  if (state.events) state.events.close();
  state.prev = state.sample = null;
  const es = new EventSource(`/api/labs/${encodeURIComponent(state.lab)}/events`);
  state.events = es;
  es.onmessage = (ev) => {
    state.prev = state.sample;
    state.sample = JSON.parse(ev.data);
    state.ticks++;
    document.body.dataset.ticks = String(state.ticks);
    $('status').textContent = `${state.lab}: live ${new Date(state.sample.t).toLocaleTimeString()}`;
    markLinks();
    render();
  };
  es.addEventListener('gone', () => { es.close(); $('status').textContent = `${state.lab}: no longer running`; });
  es.onerror = () => { $('status').textContent = `${state.lab}: reconnecting…`; };
}

// Links that are down are drawn dashed whatever the drawing said.
function markLinks() {
  (state.sample.links || []).forEach((l, i) => {
    const g = document.getElementById('link-' + i);
    if (g) g.querySelectorAll('path').forEach((p) => p.setAttribute('stroke-dasharray', l.state === 'up' ? '' : '5,3'));
  });
}

async function openLab(name) {
  state.lab = name;
  state.sel = null;
  location.hash = 'lab=' + encodeURIComponent(name);
  try {
    await drawLab();
  } catch (e) {
    $('graph').replaceChildren(el('p', { class: 'down' }, `drawing ${name}: ${e.message}`));
  }
  listen();
  render();
}

async function start() {
  try {
    const labs = await (await get('/api/labs')).json();
    const running = labs.filter((l) => l.status === 'running');
    const sel = $('lab');
    sel.replaceChildren(...running.map((l) => el('option', { value: l.name }, `${l.name} (${l.nodes ?? '?'} nodes)`)));
    sel.onchange = () => openLab(sel.value);
    if (!running.length) { $('status').textContent = 'no running labs (vnetlab up FILE)'; return; }
    const want = decodeURIComponent((location.hash.match(/lab=([^&]+)/) || [])[1] || '');
    const first = running.some((l) => l.name === want) ? want : running[0].name;
    sel.value = first;
    await openLab(first);
  } catch (e) {
    $('status').textContent = e.message;
  }
}

start();
