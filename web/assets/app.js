// scamgraph explorer: a plain client of the public /v1 API (docs/explorer.md).
// Everything shown is built with DOM nodes and textContent: no innerHTML of
// data, no inline script (the page's CSP forbids it).
import cytoscape from './vendor/cytoscape.esm.min.js';
import * as api from './api.js';
import { KINDS, EVIDENCE, evidenceRank, REL_TYPES, DEFAULT_RELS, mainKind } from './model.js';
import { toGraphML } from './export.js';

const $ = (id) => document.getElementById(id);
const byName = new Intl.Collator('en').compare;
const PAGES = [25, 100, 250, 1000]; // choices of neighbours drawn per expansion; the rest behind an "N more" node

// el builds an element: el('li', {class: 'x', dataset: {id}}, 'text', child).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const state = {
  rels: new Set(DEFAULT_RELS),
  kinds: new Set(Object.keys(KINDS)),
  minEv: '',
  asOf: '', // '' = today
  page: PAGES[0], // neighbours per expansion
  expanded: new Set(),
  selected: '',
  undo: [],
  queries: [],
  me: null, // GET /v1/me: the key's name, role and what it may do
};
const entityCache = new Map(); // id -> Promise<entity detail>
let cy = null;

function status(msg, isError) {
  const s = $('status');
  s.textContent = msg || '';
  s.classList.toggle('error', !!isError);
}
function fail(e) { status(e instanceof api.ApiError ? e.message : String(e), true); }

// ---------- sign in ----------

async function signIn(key, quiet) {
  $('signin-error').textContent = '';
  try {
    const [me, q] = await Promise.all([api.get('/v1/me', null, { key }), api.get('/v1/queries', null, { key })]);
    api.setKey(key);
    state.me = me;
    state.queries = q.queries || [];
    showApp();
  } catch (e) {
    api.clearKey();
    if (quiet) return;
    $('signin-error').textContent = e.status === 401
      ? 'This key was refused: it is unknown, revoked or mistyped. Check it and try again.'
      : `Cannot sign in: ${e.message}`;
  }
}

function signOut() {
  api.clearKey();
  entityCache.clear();
  if (cy) cy.elements().remove();
  state.expanded.clear();
  state.undo = [];
  state.me = null;
  $('import-result').replaceChildren();
  $('import-tool').hidden = true;
  resetTriage();
  showView('graph');
  $('tab-triage').hidden = true;
  $('app').hidden = true;
  $('session').hidden = true;
  $('signin').hidden = false;
  $('key-input').value = '';
  $('entity-panel').replaceChildren(el('p', { class: 'help', text: 'Search for an entity, or click a node, to see it here.' }));
  $('key-input').focus();
}

function showApp() {
  $('signin').hidden = true;
  $('app').hidden = false;
  $('session').hidden = false;
  // GET /v1/me says what the key's role may do; the page offers only that
  // (the server checks every request all the same).
  const may = state.me.may;
  $('role-name').textContent = state.me.role;
  $('role-may').textContent = [
    may.see_victim_personal ? 'sees victims\' personal fields' : 'victims\' personal fields withheld',
    may.import ? 'may import' : null, may.cypher ? 'may run Cypher' : null].filter(Boolean).join(' · ');
  $('role-name').title = `key “${state.me.name}” (${state.me.key_id})`;
  $('import-tool').hidden = !may.import;
  $('tab-triage').hidden = !mayTriage();
  if (!cy) { initGraph(); initNodeList(); }
  initQueries();
  restoreFragment();
  refreshStats();
  $('search-input').focus();
}

// ---------- search ----------

let searchTimer = null;
let searchSeq = 0;
let activeIndex = -1;

function searchItems() { return [...$('search-results').querySelectorAll('[role=option]')]; }

function setActive(i) {
  const items = searchItems();
  if (!items.length) return;
  activeIndex = (i + items.length) % items.length;
  items.forEach((li, j) => li.setAttribute('aria-selected', j === activeIndex ? 'true' : 'false'));
  $('search-input').setAttribute('aria-activedescendant', items[activeIndex].id);
  items[activeIndex].scrollIntoView({ block: 'nearest' });
}

async function runSearch(q) {
  const seq = ++searchSeq;
  const ul = $('search-results');
  if (!q.trim()) { ul.replaceChildren(); $('search-input').setAttribute('aria-expanded', 'false'); return; }
  try {
    const page = await api.get('/v1/search', { q, limit: 15, as_of: state.asOf });
    if (seq !== searchSeq) return; // a newer search is under way
    activeIndex = -1;
    const hits = page.hits || [];
    ul.replaceChildren(...hits.map((h, i) => el('li', {
      id: `hit-${i}`, role: 'option', 'aria-selected': 'false', 'data-testid': 'search-result', dataset: { id: h.id },
      on: { click: () => pick(h.id) },
    }, el('span', { class: 'dot', 'aria-hidden': 'true', style: null, dataset: { kind: mainKind(h.kinds) } }),
    el('span', { text: h.name }), el('span', { class: 'help', text: ` ${h.kinds.join(', ')}` }))));
    for (const d of ul.querySelectorAll('.dot')) d.style.backgroundColor = KINDS[d.dataset.kind].color;
    if (!hits.length) ul.replaceChildren(el('li', { class: 'help', 'data-testid': 'search-empty', text: 'No match.' }));
    $('search-input').setAttribute('aria-expanded', hits.length ? 'true' : 'false');
  } catch (e) { if (seq === searchSeq) fail(e); }
}

function pick(id) {
  $('search-results').replaceChildren();
  $('search-input').setAttribute('aria-expanded', 'false');
  addEntity(id).then(() => select(id)).catch(fail);
}

function initSearch() {
  const input = $('search-input');
  input.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => runSearch(input.value), 250);
  });
  input.addEventListener('keydown', (ev) => {
    const items = searchItems();
    if (ev.key === 'ArrowDown') { ev.preventDefault(); setActive(activeIndex + 1); }
    else if (ev.key === 'ArrowUp') { ev.preventDefault(); setActive(activeIndex - 1); }
    else if (ev.key === 'Enter' && items.length) { ev.preventDefault(); pick(items[Math.max(activeIndex, 0)].dataset.id); }
    else if (ev.key === 'Escape') { $('search-results').replaceChildren(); input.setAttribute('aria-expanded', 'false'); }
  });
}

// ---------- entities ----------

// entity answers an entity's detail as known on the slider's date (cached
// per date: a 404 means not known then).
function entity(id) {
  const k = `${state.asOf}|${id}`;
  if (!entityCache.has(k)) {
    const p = api.get(`/v1/entities/${api.enc(id)}`, { as_of: state.asOf });
    p.catch(() => entityCache.delete(k));
    entityCache.set(k, p);
  }
  return entityCache.get(k);
}

function nodeData(e) {
  const k = mainKind(e.kinds);
  // Labels are cut here, once: Cytoscape's text-wrap ellipsis measures a
  // label again for every character it drops, which made painting a
  // 1,000-node expansion take seconds.
  const label = e.name.length > 28 ? `${e.name.slice(0, 27)}…` : e.name;
  return { id: e.id, label, name: e.name, kind: k, kinds: e.kinds.join(' '), color: KINDS[k].color, shape: KINDS[k].shape };
}
function edgeData(r) {
  return { id: r.id, source: r.from, target: r.to, type: r.type, evidence: r.evidence, since: r.since || '', until: r.until || '', sources: (r.sources || []).join(' ') };
}

// addElements adds entities and relationships not yet drawn, new nodes
// around `around` (or the middle) in free space (placeAround), and records
// one undo step. Nodes already drawn never move.
function addElements(nodes, edges, around) {
  const fresh = [];
  const newNodes = nodes.filter((n) => cy.getElementById(n.id).empty());
  const hasRoot = around && !cy.getElementById(around).empty();
  const c = hasRoot ? cy.getElementById(around).position() : freeSpot(centre());
  const spots = newNodes.length === 1 && !hasRoot ? [c] : placeAround(c, newNodes.length);
  newNodes.forEach((n, i) => fresh.push({ group: 'nodes', data: nodeData(n), position: spots[i] }));
  let added = cy.collection();
  cy.batch(() => {
    if (fresh.length) added = cy.add(fresh);
    const es = edges.filter((e) => cy.getElementById(e.id).empty() && !cy.getElementById(e.from).empty() && !cy.getElementById(e.to).empty());
    if (es.length) added = added.union(cy.add(es.map((e) => ({ group: 'edges', data: edgeData(e) }))));
  });
  if (added.nonempty()) state.undo.push({ type: 'add', eles: added });
  applyFilters();
  refreshPathOptions();
  saveFragment();
  return added;
}

// edgeLabels draws relationship types on the edges only while there are at
// most EDGE_LABELS edges: beyond, painting hundreds of rotated labels costs
// seconds and they cannot be read (the type shows on the panel and on hover).
const EDGE_LABELS = 300;
let edgeLabelsOn = true;
function edgeLabels() {
  const on = cy.edges().length <= EDGE_LABELS;
  if (on === edgeLabelsOn) return;
  edgeLabelsOn = on;
  cy.style().selector('edge').style({ label: on ? 'data(type)' : '' }).selector('edge.more').style({ label: '' }).update();
}

// placeAround finds n spots near c that keep GAP px from every node drawn:
// rings of slots around c, filled from the side facing away from the other
// nodes (so a new neighbourhood grows into free space, not into another
// cluster); occupied slots are skipped. A grid of the drawn nodes keeps it
// linear in the nodes placed.
const GAP = 56;
function placeAround(c, n) {
  const grid = new Map();
  const cell = (x, y) => `${Math.floor(x / GAP)},${Math.floor(y / GAP)}`;
  const put = (p) => { const k = cell(p.x, p.y); if (!grid.has(k)) grid.set(k, []); grid.get(k).push(p); };
  let sx = 0; let sy = 0; let m = 0;
  cy.nodes().forEach((nd) => {
    const p = nd.position();
    put({ x: p.x, y: p.y });
    if (Math.hypot(p.x - c.x, p.y - c.y) > 1) { sx += p.x - c.x; sy += p.y - c.y; m++; }
  });
  const away = m ? Math.atan2(-sy, -sx) : 0;
  const free = (p) => {
    const gx = Math.floor(p.x / GAP); const gy = Math.floor(p.y / GAP);
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
      for (const q of grid.get(`${gx + dx},${gy + dy}`) || []) if (Math.hypot(q.x - p.x, q.y - p.y) < GAP) return false;
    }
    return true;
  };
  const out = [];
  for (let ring = 1; out.length < n && ring < 400; ring++) {
    const r = 60 + ring * GAP;
    const slots = Math.max(6, Math.floor((2 * Math.PI * r) / GAP));
    // Slots in order of their angle from `away`: 0, +1, -1, +2, -2, ...
    for (let j = 0; j < slots && out.length < n; j++) {
      const step = Math.ceil(j / 2) * (j % 2 ? 1 : -1);
      const a = away + (2 * Math.PI * step) / slots;
      // With other nodes about, fill the half facing away first.
      if (m && Math.abs(step) > slots / 4 && ring < 3 + Math.sqrt(n) / 2) continue;
      const p = { x: c.x + r * Math.cos(a), y: c.y + r * Math.sin(a) };
      if (free(p)) { out.push(p); put(p); }
    }
  }
  while (out.length < n) out.push({ x: c.x + GAP * out.length, y: c.y + 2000 }); // not reached in practice
  return out;
}

// freeSpot moves p right until no node is within 90 px (a new entity does
// not land on what is drawn).
function freeSpot(p) {
  const q = { ...p };
  for (let i = 0; i < 50 && cy.nodes().some((n) => Math.hypot(n.position().x - q.x, n.position().y - q.y) < 90); i++) q.x += 120;
  return q;
}

function centre() {
  const ext = cy.extent();
  return { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 };
}

async function addEntity(id) {
  if (!cy.getElementById(id).empty()) return;
  const e = await entity(id);
  addElements([e], [], null);
  cy.animate({ center: { eles: cy.getElementById(id) } }, { duration: 150 });
}

function neighbourParams(cursor) {
  const p = { limit: state.page, cursor, as_of: state.asOf };
  if (state.rels.size !== REL_TYPES.length) p.rel = [...state.rels];
  if (state.kinds.size !== Object.keys(KINDS).length) p.kind = [...state.kinds];
  return p;
}

// expand draws id's neighbours, state.page at a time; when there are more,
// an "N more" node pages on (its cursor is the API's next_cursor). With t0
// (the double-click's time) it records in window.scamgraphExpandTiming how
// long until the new picture was painted (the benchmark reads it).
async function expand(id, cursor, t0) {
  const root = cy.getElementById(id);
  if (root.empty()) return;
  const [g, detail] = await Promise.all([
    api.get(`/v1/entities/${api.enc(id)}/neighbors`, neighbourParams(cursor)),
    entity(id),
  ]);
  const tFetched = performance.now();
  state.expanded.add(id);
  const moreId = `more:${id}`;
  cy.getElementById(moreId).remove();
  addElements(g.nodes || [], g.edges || [], id);
  const tAdded = performance.now();
  if (g.truncated && g.next_cursor) {
    const total = (detail.relationship_counts || []).filter((c) => state.rels.has(c.type)).reduce((s, c) => s + c.count, 0);
    const shown = cy.getElementById(id).connectedEdges().length;
    const n = Math.max(total - shown, 1);
    const p = root.position();
    cy.add([
      { group: 'nodes', classes: 'more', data: { id: moreId, label: `${n} more`, root: id, cursor: g.next_cursor }, position: { x: p.x + 40, y: p.y - 60 } },
      { group: 'edges', classes: 'more', data: { id: `${moreId}-edge`, source: id, target: moreId } },
    ]);
  }
  status(`${(g.nodes || []).length - 1} neighbours of ${detail.name}${g.truncated ? ' (more behind the “more” node)' : ''}`);
  saveFragment();
  if (t0 !== undefined) {
    // Two frames: the one Cytoscape draws the new elements in, then the next.
    requestAnimationFrame(() => requestAnimationFrame(() => {
      window.scamgraphExpandTiming = { ms: performance.now() - t0, fetchMs: tFetched - t0, addMs: tAdded - tFetched, elements: cy.elements().length };
    }));
  }
}

function select(id) {
  state.selected = id;
  cy.$(':selected').unselect();
  const n = cy.getElementById(id);
  if (n.nonempty()) n.select();
  showPanel(id).catch(fail);
  saveFragment();
}

// ---------- entity panel ----------

function kindChip(k) {
  const c = el('span', { class: 'kind', text: k });
  c.style.backgroundColor = (KINDS[k] || KINDS.person).color;
  return c;
}
function evBadge(ev) { return el('span', { class: `ev ev-${ev}`, 'data-testid': 'evidence', text: ev.replace('_', ' ') }); }
function fmtValue(v) { return Array.isArray(v) ? v.join(', ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v); }

function sourceItem(sid) {
  const li = el('li', { 'data-testid': 'source', dataset: { id: sid } }, sid);
  entity(sid).then((s) => {
    const p = s.properties || {};
    const url = typeof p.url === 'string' && /^https?:\/\//.test(p.url) ? p.url : '';
    li.replaceChildren(
      url ? el('a', { href: url, rel: 'noopener noreferrer', target: '_blank', text: s.name }) : el('span', { text: s.name }),
      el('span', { class: 'help', text: ` — ${p.publisher || 'publisher unknown'}, ${p.published || 'date unknown'}` }),
    );
  }).catch(() => {});
  return li;
}

function dates(r) {
  if (!r.since && !r.until) return '';
  return ` ${r.since || '…'} – ${r.until || 'now'}`;
}

async function showPanel(id) {
  const panel = $('entity-panel');
  let e; let nb;
  try {
    [e, nb] = await Promise.all([
      entity(id),
      api.get(`/v1/entities/${api.enc(id)}/neighbors`, { limit: 100, as_of: state.asOf }),
    ]);
  } catch (err) {
    if (err.status !== 404 || !state.asOf || state.selected !== id) throw err;
    panel.replaceChildren(el('h2', { 'data-testid': 'entity-unknown', text: `Not known on ${state.asOf}` }),
      el('p', { class: 'help', text: id }),
      el('p', { text: 'Nobody had reported this entity yet on that date. Move the date slider later to see it.' }));
    return;
  }
  if (state.selected !== id) return;
  const names = new Map((nb.nodes || []).map((n) => [n.id, n]));
  const props = Object.entries(e.properties || {});
  const groups = new Map();
  for (const r of nb.edges || []) {
    if (r.from !== id && r.to !== id) continue;
    if (!groups.has(r.type)) groups.set(r.type, []);
    groups.get(r.type).push(r);
  }
  const rels = [...groups.entries()].sort().map(([type, rs]) => el('section', { 'data-testid': 'rel-group', dataset: { type } },
    el('h4', { text: `${type} (${rs.length})` }),
    el('ul', {}, rs.map((r) => {
      const otherId = r.from === id ? r.to : r.from;
      const other = names.get(otherId);
      return el('li', { 'data-testid': 'relationship', dataset: { id: r.id } },
        r.from === id ? '→ ' : '← ',
        el('button', { type: 'button', class: 'link', on: { click: () => addEntity(otherId).then(() => select(otherId)).catch(fail) }, text: other ? other.name : otherId }),
        ' ', evBadge(r.evidence), el('span', { class: 'help', text: dates(r) }),
        r.sources && r.sources.length ? el('ul', {}, r.sources.map(sourceItem)) : null);
    }))));
  panel.replaceChildren(...[
    el('h2', { 'data-testid': 'entity-name', text: e.name }),
    el('div', { 'data-testid': 'entity-kinds' }, e.kinds.map(kindChip)),
    el('p', { class: 'help', text: e.id }),
    el('div', { class: 'actions' },
      el('button', { type: 'button', 'data-testid': 'panel-add', on: { click: () => addEntity(id).catch(fail) }, text: 'Add to graph' }),
      el('button', { type: 'button', 'data-testid': 'panel-expand', on: { click: () => addEntity(id).then(() => expand(id)).catch(fail) }, text: 'Expand' }),
      el('button', { type: 'button', 'data-testid': 'panel-path-from', on: { click: () => setPathEnd('path-from', e) }, text: 'Path from here' }),
      el('button', { type: 'button', 'data-testid': 'panel-path-to', on: { click: () => setPathEnd('path-to', e) }, text: 'Path to here' }),
      el('button', { type: 'button', 'data-testid': 'panel-timeline', on: { click: () => showTimeline(id).catch(fail) }, text: 'Timeline' })),
    e.aliases && e.aliases.length ? el('section', {}, el('h3', { text: 'Aliases' }), el('ul', { 'data-testid': 'aliases' }, e.aliases.map((a) => el('li', { text: a })))) : null,
    el('h3', { text: 'Properties' }),
    props.length ? el('dl', { 'data-testid': 'properties' }, props.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { 'data-testid': `prop-${k}`, text: fmtValue(v) })])) : el('p', { class: 'help', text: 'None.' }),
    el('h3', { text: 'Sources' }),
    el('ul', { 'data-testid': 'sources' }, (e.sources || []).map(sourceItem)),
    el('h3', { text: 'Relationships' }),
    el('div', { 'data-testid': 'relationships' }, rels.length ? rels : el('p', { class: 'help', text: 'None shown (check the filters).' }),
      nb.truncated ? el('p', { class: 'help', text: 'More relationships exist than shown here: expand the node in the graph to page through them.' }) : null),
    el('div', { id: 'timeline', 'data-testid': 'timeline' }),
  ].filter(Boolean));
}

async function showTimeline(id) {
  const t = await api.get(`/v1/queries/timeline/${api.enc(id)}`, { as_of: state.asOf });
  const box = $('timeline');
  box.replaceChildren(el('h3', { text: 'Timeline' }), el('ol', {}, (t.items || []).map((it) => el('li', { 'data-testid': 'timeline-item' },
    el('strong', { text: it.date }), ' ',
    it.event ? it.event.name : `${it.what.replace('_', ' ')}: ${it.relationship ? it.relationship.type : ''} ${it.other ? it.other.name : ''}`,
    it.relationship ? [' ', evBadge(it.relationship.evidence)] : null))));
  if (!(t.items || []).length) box.append(el('p', { class: 'help', text: 'No dated events or relationships.' }));
}

// ---------- graph ----------

function graphStyle() {
  const s = [
    { selector: 'node', style: { 'background-color': 'data(color)', shape: 'data(shape)', label: 'data(label)', 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 3, color: '#111', 'text-outline-color': '#fff', 'text-outline-width': 2, width: 26, height: 26, 'border-width': 1, 'border-color': '#222' } },
    { selector: 'node.more', style: { shape: 'round-rectangle', 'background-color': '#fff', 'border-style': 'dashed', 'border-width': 2, width: 70, height: 22, 'text-valign': 'center', 'text-margin-y': 0, 'font-weight': 'bold' } },
    { selector: 'edge.more', style: { 'line-style': 'dashed', 'target-arrow-shape': 'none', label: '' } },
    { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#f59e0b' } },
    { selector: 'node.pinned', style: { 'border-width': 3, 'border-color': '#000', 'border-style': 'double' } },
    { selector: 'edge', style: { width: 1.5, 'line-color': '#6b7280', 'target-arrow-color': '#6b7280', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier', label: 'data(type)', 'font-size': 7, color: '#1f2937', 'text-rotation': 'autorotate', 'text-outline-color': '#fff', 'text-outline-width': 1.5 } },
    { selector: 'edge[evidence="allegation"]', style: { 'line-style': 'dotted' } },
    { selector: 'edge[evidence="media_report"]', style: { 'line-style': 'dashed' } },
    { selector: 'edge[evidence="official_statement"]', style: { 'line-style': 'dashed', width: 2, 'line-color': '#374151', 'target-arrow-color': '#374151' } },
    { selector: 'edge[evidence="charge"]', style: { width: 3, 'line-color': '#6b21a8', 'target-arrow-color': '#6b21a8' } },
    { selector: 'edge[evidence="designation"]', style: { width: 4, 'line-color': '#111', 'target-arrow-color': '#111' } },
    { selector: 'edge[evidence="conviction"]', style: { width: 5, 'line-color': '#111', 'target-arrow-color': '#111' } },
    { selector: 'edge.path', style: { 'line-color': '#d97706', 'target-arrow-color': '#d97706', 'z-index': 10, width: 5 } },
    { selector: 'node.path', style: { 'border-width': 4, 'border-color': '#d97706' } },
    { selector: '.filtered', style: { display: 'none' } },
  ];
  return s;
}

function initGraph() {
  cy = cytoscape({ container: $('cy'), style: graphStyle(), wheelSensitivity: 0.3, minZoom: 0.1, maxZoom: 4 });
  window.scamgraphCy = cy; // for the browser tests and the console
  cy.on('tap', 'node', (ev) => {
    const n = ev.target;
    if (n.hasClass('more')) { expand(n.data('root'), n.data('cursor')).catch(fail); return; }
    select(n.id());
  });
  cy.on('dbltap', 'node', (ev) => { if (!ev.target.hasClass('more')) expand(ev.target.id(), undefined, performance.now()).catch(fail); });
  let grabbed = null;
  cy.on('grab', 'node', (ev) => { grabbed = { node: ev.target, pos: { ...ev.target.position() } }; });
  cy.on('dragfree', 'node', (ev) => {
    ev.target.data('placed', true); // the layout keeps what the user placed
    if (grabbed && grabbed.node === ev.target) state.undo.push({ type: 'move', node: ev.target, pos: grabbed.pos });
    grabbed = null;
  });
  $('btn-expand').addEventListener('click', () => { const n = cy.$('node:selected').first(); if (n.nonempty()) expand(n.id()).catch(fail); else status('Select a node first.'); });
  $('btn-pin').addEventListener('click', () => {
    const ns = cy.$('node:selected');
    ns.forEach((n) => { if (n.locked()) { n.unlock(); n.removeClass('pinned'); } else { n.lock(); n.addClass('pinned'); } });
    if (ns.nonempty()) state.undo.push({ type: 'pin', eles: ns });
  });
  $('btn-hide').addEventListener('click', hideSelected);
  $('btn-undo').addEventListener('click', undo);
  $('btn-layout').addEventListener('click', tidy);
  $('btn-clear').addEventListener('click', () => { const all = cy.elements(); if (all.nonempty()) { state.undo.push({ type: 'remove', eles: all.remove() }); } state.expanded.clear(); refreshPathOptions(); saveFragment(); });
  $('export-png').addEventListener('click', () => download(cy.png({ output: 'blob', bg: '#ffffff', full: true, scale: 2 }), 'scamgraph.png'));
  $('export-graphml').addEventListener('click', () => download(new Blob([toGraphML(cy)], { type: 'application/graphml+xml' }), 'scamgraph.graphml'));
  $('export-json').addEventListener('click', () => download(new Blob([JSON.stringify({ elements: cy.elements().not('.more').jsons() }, null, 1)], { type: 'application/json' }), 'scamgraph.cyjs.json'));
  document.addEventListener('keydown', (ev) => {
    if (ev.target.closest('input, select, textarea')) return;
    if ((ev.ctrlKey || ev.metaKey) && ev.key === 'z') { ev.preventDefault(); undo(); }
    else if (ev.key === 'Delete') hideSelected();
  });
}

function hideSelected() {
  const sel = cy.$(':selected');
  if (sel.empty()) { status('Select a node or edge first.'); return; }
  const gone = sel.union(sel.connectedEdges()).remove();
  state.undo.push({ type: 'remove', eles: gone });
  refreshPathOptions();
  saveFragment();
}

function undo() {
  const step = state.undo.pop();
  if (!step) { status('Nothing to undo.'); return; }
  if (step.type === 'add') step.eles.remove();
  else if (step.type === 'remove') step.eles.restore();
  else if (step.type === 'move') step.node.position(step.pos);
  else if (step.type === 'pin') step.eles.forEach((n) => { if (n.locked()) { n.unlock(); n.removeClass('pinned'); } else { n.lock(); n.addClass('pinned'); } });
  refreshPathOptions();
  saveFragment();
}

// tidy lays the graph out again, keeping pinned nodes and those the user
// dragged where they are.
function tidy() {
  const keep = cy.nodes().filter((n) => n.data('placed') && !n.locked());
  keep.lock();
  const l = cy.elements(':visible').layout({ name: 'cose', animate: false, randomize: false, nodeRepulsion: () => 9000, idealEdgeLength: () => 90, fit: true, padding: 30 });
  l.one('layoutstop', () => keep.unlock());
  l.run();
}

function download(blob, name) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  status(`Exported ${name} (${blob.size} bytes).`);
}

// ---------- filters ----------

function initFilters() {
  $('filter-rels').replaceChildren(...REL_TYPES.map((t) => el('label', {},
    el('input', { type: 'checkbox', value: t, checked: state.rels.has(t), dataset: { testid: `rel-${t}` }, on: { change: (ev) => { ev.target.checked ? state.rels.add(t) : state.rels.delete(t); applyFilters(); saveFragment(); } } }), t)));
  $('filter-kinds').replaceChildren(...Object.keys(KINDS).map((k) => el('label', {},
    el('input', { type: 'checkbox', value: k, checked: state.kinds.has(k), on: { change: (ev) => { ev.target.checked ? state.kinds.add(k) : state.kinds.delete(k); applyFilters(); saveFragment(); } } }), k)));
  $('expand-limit').replaceChildren(...PAGES.map((n) => el('option', { value: String(n), text: String(n) })));
  $('expand-limit').value = String(state.page);
  $('filter-evidence').replaceChildren(el('option', { value: '', text: 'any' }), ...EVIDENCE.map((e) => el('option', { value: e, text: e.replace('_', ' ') })));
  const slider = $('date-slider');
  slider.max = String(MONTHS.length);
  slider.value = String(MONTHS.length);
  $('date-label').textContent = 'today';
  renderLegend();
  if (filtersWired) return;
  filtersWired = true;
  $('filter-evidence').addEventListener('change', (ev) => { state.minEv = ev.target.value; applyFilters(); saveFragment(); });
  $('expand-limit').addEventListener('change', (ev) => { state.page = Number(ev.target.value) || PAGES[0]; });
  slider.addEventListener('input', () => { $('date-label').textContent = sliderDate() || 'today'; });
  slider.addEventListener('change', () => setAsOf(sliderDate()).catch(fail));
}
let filtersWired = false;

// The slider runs over month ends from 2010 to this month; its last stop
// is "today" (no as_of).
const MONTHS = (() => {
  const out = [];
  const now = new Date();
  for (let y = 2010; y <= now.getUTCFullYear(); y++) {
    for (let m = 0; m < 12; m++) {
      if (y === now.getUTCFullYear() && m > now.getUTCMonth()) break;
      out.push(new Date(Date.UTC(y, m + 1, 0)).toISOString().slice(0, 10));
    }
  }
  return out;
})();
function sliderDate() { const i = Number($('date-slider').value); return i >= MONTHS.length ? '' : MONTHS[i]; }

// setAsOf replays every view on a date: the neighbours of every expanded
// node are asked again with as_of and what the API no longer returns is
// hidden; nodes whose entity was not known then (entity detail with as_of
// answers 404) are hidden; the search, the entity panel and the statistics
// are asked again with as_of.
async function setAsOf(date) {
  state.asOf = date;
  entityCache.clear();
  $('date-label').textContent = date || 'today';
  const i = date ? MONTHS.indexOf(date) : MONTHS.length;
  if (i >= 0) $('date-slider').value = String(i);
  saveFragment();
  if (!cy) return;
  cy.elements().removeData('asofHidden');
  if (date) {
    const known = new Set();
    for (const id of state.expanded) {
      if (cy.getElementById(id).empty()) continue;
      let cursor;
      for (let page = 0; page < 4; page++) {
        const g = await api.get(`/v1/entities/${api.enc(id)}/neighbors`, { ...neighbourParams(cursor), limit: 100 });
        (g.nodes || []).forEach((n) => { if (n.id !== id) known.add(n.id); }); // the root comes back whatever the date
        (g.edges || []).forEach((e) => known.add(e.id));
        if (!g.truncated || !g.next_cursor) break;
        cursor = g.next_cursor;
      }
    }
    cy.edges().not('.more').forEach((e) => {
      if ((state.expanded.has(e.source().id()) || state.expanded.has(e.target().id())) && !known.has(e.id())) e.data('asofHidden', true);
    });
    const unsure = cy.nodes().not('.more').filter((n) => !known.has(n.id()));
    await Promise.all(unsure.map((n) => entity(n.id()).catch((e) => { if (e.status === 404) n.data('asofHidden', true); })));
  }
  applyFilters();
  if (state.selected) showPanel(state.selected).catch(fail);
  if ($('search-input').value.trim()) runSearch($('search-input').value);
  refreshStats();
  status(date ? `Showing the graph as known on ${date}.` : 'Showing the graph as known today.');
}

function applyFilters() {
  if (!cy) return;
  const min = state.minEv ? evidenceRank(state.minEv) : 0;
  cy.batch(() => {
    cy.elements().removeClass('filtered');
    cy.nodes().not('.more').forEach((n) => { if (n.data('asofHidden') || !n.data('kinds').split(' ').some((k) => state.kinds.has(k))) n.addClass('filtered'); });
    cy.edges().not('.more').forEach((e) => {
      if (!state.rels.has(e.data('type')) || evidenceRank(e.data('evidence')) < min || e.data('asofHidden')) e.addClass('filtered');
    });
  });
  scheduleNodeList();
}

function renderLegend() {
  const line = (ev) => el('div', { class: 'li' }, el('span', { class: `line line-${ev}`, 'aria-hidden': 'true' }), ev.replace('_', ' '));
  const kind = (k) => { const d = el('span', { class: 'dot', 'aria-hidden': 'true' }); d.style.backgroundColor = KINDS[k].color; return el('div', { class: 'li' }, d, `${k} (${KINDS[k].shape})`); };
  $('legend').replaceChildren(
    el('details', {}, el('summary', { text: 'Legend' }),
      el('h4', { text: 'Evidence (weakest first)' }), ...EVIDENCE.map(line),
      el('h4', { text: 'Kinds' }), ...Object.keys(KINDS).map(kind)));
}

// ---------- paths ----------

function refreshPathOptions() { // after every add and remove
  edgeLabels();
  for (const sel of [$('path-from'), $('path-to')]) {
    const cur = sel.value;
    const nodes = cy.nodes().not('.more').map((n) => ({ id: n.id(), name: n.data('name') })).sort((a, b) => byName(a.name, b.name));
    sel.replaceChildren(el('option', { value: '', text: '— pick an entity in the graph —' }), ...nodes.map((n) => el('option', { value: n.id, text: n.name })));
    if (nodes.some((n) => n.id === cur)) sel.value = cur;
  }
}

function setPathEnd(which, e) {
  addEntity(e.id).then(() => { refreshPathOptions(); $(which).value = e.id; $('path-finder-details')?.setAttribute('open', ''); status(`${which === 'path-from' ? 'From' : 'To'}: ${e.name}`); }).catch(fail);
}

async function findPaths() {
  const from = $('path-from').value;
  const to = $('path-to').value;
  const out = $('path-result');
  if (!from || !to) { out.replaceChildren(el('p', { class: 'error', text: 'Pick both ends (From and To).' })); return; }
  try {
    const r = await api.get('/v1/paths', { from, to, mode: $('path-mode').value, max_hops: $('path-hops').value, max_degree: $('path-degree').value, min_evidence: state.minEv, as_of: state.asOf });
    addElements(r.nodes || [], r.edges || [], from);
    cy.elements().removeClass('path');
    const names = new Map((r.nodes || []).map((n) => [n.id, n.name]));
    const edges = new Map((r.edges || []).map((e) => [e.id, e]));
    for (const p of r.paths || []) for (const id of [...p.node_ids, ...p.edge_ids]) cy.getElementById(id).addClass('path');
    out.replaceChildren(
      el('p', { 'data-testid': 'path-count', text: `${(r.paths || []).length} path(s)${r.truncated ? ' (more exist)' : ''}` }),
      ...(r.paths || []).map((p, i) => el('div', { 'data-testid': 'path' },
        el('strong', { text: `Path ${i + 1}: ${p.length} hop(s)` }),
        ...p.edge_ids.map((eid) => {
          const e = edges.get(eid);
          return el('div', { class: 'hop', 'data-testid': 'path-hop' },
            `${names.get(e.from) || e.from} —${e.type}→ ${names.get(e.to) || e.to} `, evBadge(e.evidence),
            el('span', { class: 'help', text: dates(e) }),
            el('ul', {}, (e.sources || []).map(sourceItem)));
        }))));
    if (!(r.paths || []).length) out.append(el('p', { class: 'help', text: 'No path within these bounds. Try more hops, a higher hub cut, or a lower minimum evidence.' }));
  } catch (e) { out.replaceChildren(el('p', { class: 'error', role: 'alert', text: e.message })); }
}

// ---------- named queries ----------

function initQueries() {
  const sel = $('query-name');
  sel.replaceChildren(...state.queries.map((q) => el('option', { value: q.name, text: q.name })));
  sel.onchange = renderQueryForm;
  renderQueryForm();
}

function renderQueryForm() {
  const q = state.queries.find((x) => x.name === $('query-name').value);
  const form = $('query-form');
  if (!q) { form.replaceChildren(); return; }
  $('query-summary').textContent = q.summary;
  form.replaceChildren(...q.parameters.filter((p) => p.name !== 'format' && p.name !== 'as_of').map((p) => {
    const id = `qp-${p.name}`;
    const input = p.enum
      ? el('select', { id, name: p.name, 'data-testid': id }, p.required ? null : el('option', { value: '', text: '(any)' }), p.enum.map((v) => el('option', { value: v, text: v })))
      : el('input', { id, name: p.name, 'data-testid': id, type: p.type === 'integer' ? 'number' : 'text', min: p.minimum, max: p.maximum, placeholder: p.default !== undefined ? String(p.default) : (p.in === 'path' ? 'entity id' : ''), required: p.required });
    if (p.in === 'path' && state.selected) input.value = state.selected;
    return el('div', {}, el('label', { for: id, text: `${p.name}${p.required ? ' (required)' : ''}` }), input, el('p', { class: 'help', text: p.description || '' }));
  }));
}

async function runQuery() {
  const q = state.queries.find((x) => x.name === $('query-name').value);
  const out = $('query-result');
  if (!q) return;
  const params = { as_of: state.asOf };
  let path = q.path;
  for (const p of q.parameters) {
    const input = $(`qp-${p.name}`);
    if (!input) continue;
    const v = input.value.trim();
    if (p.in === 'path') {
      if (!v) { out.replaceChildren(el('p', { class: 'error', text: `${p.name} is required: pick an entity or type its id.` })); return; }
      path = path.replace(`{${p.name}}`, api.enc(v));
    } else if (v) params[p.name] = v;
  }
  try {
    const r = await api.get(path, params);
    out.replaceChildren(renderResult(r));
  } catch (e) { out.replaceChildren(el('p', { class: 'error', role: 'alert', text: e.message })); }
}

const entName = (x) => (x && typeof x === 'object' && x.id && x.name ? x.name : null);

// renderResult tabulates a named query's answer and draws its paths and
// subgraphs.
function renderResult(r) {
  const key = Object.keys(r).find((k) => Array.isArray(r[k]));
  if (r.graph && r.graph.nodes) addElements(r.graph.nodes, r.graph.edges || [], null);
  if (!key) return el('pre', { text: JSON.stringify(r, null, 1).slice(0, 4000) });
  // prosecuted-compound-links sends each person's events once, by id: the
  // table shows them on each of the person's rows again.
  const byPerson = r.events && !Array.isArray(r.events) ? r.events : null;
  const rows = byPerson ? r[key].map((row) => (row.person && byPerson[row.person.id] ? { person: row.person, events: byPerson[row.person.id], ...row } : row)) : r[key];
  for (const row of rows) if (row.path && row.path.nodes) addElements(row.path.nodes, row.path.edges || [], null);
  if (!rows.length) return el('p', { 'data-testid': 'query-empty', text: 'No results.' });
  const cols = Object.keys(rows[0]).filter((c) => c !== 'path' && c !== 'relationship');
  const cell = (v) => {
    if (Array.isArray(v)) return v.map((x) => entName(x) || fmtValue(x)).join('; ');
    return entName(v) || (v && typeof v === 'object' ? fmtValue(v) : String(v ?? ''));
  };
  return el('div', {},
    el('p', { 'data-testid': 'query-count', text: `${rows.length} ${key}` }),
    el('table', {}, el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col', text: c })), rows[0].path ? el('th', { text: 'hops' }) : null)),
      el('tbody', {}, rows.map((row) => el('tr', { 'data-testid': 'query-row' }, cols.map((c) => el('td', { text: cell(row[c]) })),
        row.path ? el('td', {}, (row.path.edges || []).map((e) => el('div', {}, `${e.type} `, evBadge(e.evidence)))) : null)))));
}

// ---------- shareable state (URL fragment; never the key) ----------

let fragTimer = null;
function saveFragment() {
  clearTimeout(fragTimer);
  fragTimer = setTimeout(() => {
    const p = new URLSearchParams();
    if (cy) {
      const ids = cy.nodes().not('.more').map((n) => n.id()).slice(0, 200);
      if (ids.length) p.set('e', ids.join('|'));
      const ex = [...state.expanded].filter((id) => !cy.getElementById(id).empty());
      if (ex.length) p.set('x', ex.join('|'));
    }
    if (state.selected) p.set('sel', state.selected);
    if (state.rels.size !== DEFAULT_RELS.length || !DEFAULT_RELS.every((t) => state.rels.has(t))) p.set('rels', [...state.rels].join(','));
    if (state.kinds.size !== Object.keys(KINDS).length) p.set('kinds', [...state.kinds].join(','));
    if (state.minEv) p.set('ev', state.minEv);
    if (state.asOf) p.set('asof', state.asOf);
    history.replaceState(null, '', `#${p.toString()}`);
  }, 200);
}

async function restoreFragment() {
  const p = new URLSearchParams(location.hash.slice(1));
  if (p.has('rels')) state.rels = new Set(p.get('rels').split(',').filter((t) => REL_TYPES.includes(t)));
  if (p.has('kinds')) state.kinds = new Set(p.get('kinds').split(',').filter((k) => k in KINDS));
  if (p.has('ev') && EVIDENCE.includes(p.get('ev'))) state.minEv = p.get('ev');
  initFilters();
  $('filter-evidence').value = state.minEv;
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(p.get('asof') || '') ? p.get('asof') : '';
  const ids = (p.get('e') || '').split('|').filter(Boolean);
  try {
    for (const id of (p.get('x') || '').split('|').filter(Boolean)) {
      await addEntity(id);
      await expand(id);
    }
    const missing = ids.filter((id) => cy.getElementById(id).empty());
    const es = await Promise.all(missing.map((id) => entity(id).catch(() => null)));
    addElements(es.filter(Boolean), [], null);
    if (asOf) await setAsOf(asOf);
    if (p.get('sel')) select(p.get('sel'));
    if (ids.length) cy.fit(undefined, 30);
  } catch (e) { fail(e); }
}

// ---------- statistics ----------

let statsSeq = 0;
async function refreshStats() {
  const seq = ++statsSeq;
  const box = $('stats');
  try {
    const st = await api.get('/v1/stats', { as_of: state.asOf });
    if (seq !== statsSeq) return;
    const kinds = Object.entries(st.by_kind || {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
    const rels = Object.entries(st.by_relationship_type || {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
    box.replaceChildren(
      el('p', {}, el('strong', { text: state.asOf ? `As of ${state.asOf}` : 'Today' }), ': ',
        el('span', { 'data-testid': 'stats-entities', text: String(st.entities) }), ' entities, ',
        el('span', { 'data-testid': 'stats-relationships', text: String(st.relationships) }), ' relationships'),
      el('table', {}, el('tbody', {}, [...kinds, ...rels].map(([k, n]) => el('tr', { 'data-testid': 'stats-row', dataset: { name: k } }, el('th', { scope: 'row', text: k }), el('td', { text: String(n) }))))));
  } catch (e) { if (seq === statsSeq) box.replaceChildren(el('p', { class: 'error', text: e.message })); }
}

// ---------- import by drag-and-drop (roles that may import) ----------

// importFile runs a dry run of the file through POST /v1/imports and shows
// what would change and the file:line problems; the user then confirms the
// real import (or the import of the good records only).
async function importFile(file) {
  const out = $('import-result');
  $('import-tool').open = true;
  if (!state.me || !state.me.may.import) { status(`Your role (${state.me ? state.me.role : 'unknown'}) may not import files: ask for an importer key.`, true); return; }
  if (!/\.(ndjson|jsonl|csv)$/i.test(file.name)) { out.replaceChildren(el('p', { class: 'error', role: 'alert', text: `${file.name}: not an import file (want .ndjson, .jsonl or .csv; see docs/import-format.md).` })); return; }
  out.replaceChildren(el('p', { class: 'help', text: `Checking ${file.name} (dry run)…` }));
  try {
    const r = await api.upload('/v1/imports', { name: file.name, dry_run: true }, file);
    const rep = r.report;
    const bad = rep.rejected > 0;
    const confirm = (skipBad) => el('button', {
      type: 'button', 'data-testid': skipBad ? 'import-confirm-skip' : 'import-confirm',
      on: { click: () => commitImport(file, skipBad).catch((e) => out.append(el('p', { class: 'error', role: 'alert', text: e.message }))) },
      text: skipBad ? `Import the ${rep.records - rep.rejected} good records, skip the ${rep.rejected} bad` : 'Import for real',
    });
    out.replaceChildren(reportView(rep, `Dry run of ${file.name}: nothing written yet.`),
      el('div', { class: 'actions' },
        bad ? (rep.records > rep.rejected ? confirm(true) : null) : confirm(false),
        el('button', { type: 'button', 'data-testid': 'import-cancel', on: { click: () => out.replaceChildren(el('p', { class: 'help', text: 'Import cancelled: nothing was written.' })) }, text: 'Cancel' })));
  } catch (e) { out.replaceChildren(el('p', { class: 'error', role: 'alert', text: e.message })); }
}

function writeStats(w) { return `${w.created} created, ${w.updated} updated, ${w.unchanged} unchanged`; }

function reportView(rep, title) {
  const line = (p) => el('li', { 'data-testid': 'import-problem', text: `${p.file}:${p.line}: ${p.reason}` });
  return el('div', { 'data-testid': 'import-report' },
    el('p', {}, el('strong', { text: title })),
    el('p', { 'data-testid': 'import-summary', text: `${rep.records} records, ${rep.rejected} refused. Entities: ${writeStats(rep.entities)}. Relationships: ${writeStats(rep.relationships)}.` }),
    rep.problems && rep.problems.length ? [el('h4', { text: 'Problems' }), el('ul', {}, rep.problems.map(line))] : null,
    rep.warnings && rep.warnings.length ? [el('h4', { text: 'Warnings' }), el('ul', {}, rep.warnings.map((p) => el('li', { 'data-testid': 'import-warning', text: `${p.file}:${p.line}: ${p.reason}` })))] : null);
}

async function commitImport(file, skipBad) {
  const out = $('import-result');
  const r = await api.upload('/v1/imports', { name: file.name, skip_bad: skipBad || undefined }, file);
  out.replaceChildren(reportView(r.report, r.report.written ? `Imported ${file.name}.` : `${file.name}: nothing written.`));
  out.firstChild.dataset.testid = 'import-done';
  await refreshAll();
}

// refreshAll asks every drawn view again after the graph changed: details,
// the neighbours of expanded nodes, the panel, the search and the stats.
async function refreshAll() {
  entityCache.clear();
  for (const id of [...state.expanded]) if (cy.getElementById(id).nonempty()) await expand(id);
  if (state.selected) await showPanel(state.selected).catch(fail);
  if ($('search-input').value.trim()) runSearch($('search-input').value);
  refreshStats();
  status('The graph was refreshed after the import.');
}

function initImport() {
  const zone = $('drop-zone');
  let depth = 0;
  const hasFiles = (ev) => [...(ev.dataTransfer?.types || [])].includes('Files');
  document.addEventListener('dragenter', (ev) => { if (!hasFiles(ev) || $('app').hidden) return; depth++; zone.hidden = false; });
  document.addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (!depth) zone.hidden = true; });
  document.addEventListener('dragover', (ev) => { if (hasFiles(ev)) ev.preventDefault(); });
  document.addEventListener('drop', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    depth = 0; zone.hidden = true;
    const f = ev.dataTransfer.files[0];
    if (!f || $('app').hidden) return;
    if (!/\.(ndjson|jsonl|csv|json)$/i.test(f.name) && (/\.txt$/i.test(f.name) || f.type === 'text/plain')) loadArticle(f);
    else importFile(f);
  });
  $('import-file').addEventListener('change', (ev) => { const f = ev.target.files[0]; if (f) importFile(f); ev.target.value = ''; });
}

// ---------- views: the graph, and "paste an article" ----------

// showView shows one tab's panel ('graph' or 'triage') and hides the other.
function showView(name, focus) {
  for (const v of ['graph', 'triage']) {
    const on = v === name;
    const tab = $(`tab-${v}`);
    tab.setAttribute('aria-selected', on ? 'true' : 'false');
    tab.tabIndex = on ? 0 : -1;
    $(`${v}-view`).hidden = !on;
  }
  if (name === 'graph' && cy) {
    cy.resize();
    const sel = cy.$('node:selected');
    if (sel.nonempty()) cy.center(sel);
  }
  if (focus) $(`tab-${name}`).focus();
}

function initViews() {
  $('tab-graph').addEventListener('click', () => showView('graph'));
  $('tab-triage').addEventListener('click', () => showView('triage'));
  // Tabs: arrows, Home and End move between them (and show their panel).
  $('tab-graph').parentElement.addEventListener('keydown', (ev) => {
    const tabs = [...ev.currentTarget.querySelectorAll('[role=tab]')].filter((t) => !t.hidden);
    const i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    let j = -1;
    if (ev.key === 'ArrowRight') j = (i + 1) % tabs.length;
    else if (ev.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
    else if (ev.key === 'Home') j = 0;
    else if (ev.key === 'End') j = tabs.length - 1;
    if (j < 0) return;
    ev.preventDefault();
    showView(tabs[j].id.slice(4), true);
  });
}

// ---------- paste an article: triage (POST /v1/triage) ----------

// POST /v1/triage is for importers and analysts (and admins): GET /v1/me
// says so as may.import or may.cypher (the analyst's right).
function mayTriage() { return !!(state.me && (state.me.may.import || state.me.may.cypher)); }

const triage = { result: null, text: '' };

function resetTriage() {
  triage.result = null;
  triage.text = '';
  $('triage-form').reset();
  $('triage-error').textContent = '';
  $('triage-summary').textContent = '';
  $('triage-result').replaceChildren();
}

// loadArticle reads a dropped or chosen .txt file into the form.
async function loadArticle(file) {
  if (!mayTriage()) { status(`Your role (${state.me ? state.me.role : 'unknown'}) may not triage articles: ask for an analyst or importer key.`, true); return; }
  showView('triage');
  if (file.size > 1 << 20) { $('triage-error').textContent = `${file.name} is larger than 1 MiB: triage reads at most 1 MiB of text.`; return; }
  $('triage-text').value = await file.text();
  if (!$('triage-title').value) $('triage-title').value = file.name.replace(/\.txt$/i, '');
  $('triage-error').textContent = '';
  status(`Read ${file.name} (${file.size} bytes): fill in the publisher and date, then triage it.`);
  $('triage-text').focus();
}

// byteIndex maps byte offsets into text's UTF-8 (what the API answers) to
// indexes into the JavaScript string (UTF-16).
function byteIndex(text) {
  const map = [];
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i);
    const len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < len; k++) map.push(i);
    i += cp >= 0x10000 ? 2 : 1;
  }
  map.push(text.length);
  return (off) => map[Math.min(Math.max(off, 0), map.length - 1)];
}

async function runTriage(ev) {
  ev.preventDefault();
  const text = $('triage-text').value;
  const out = $('triage-result');
  $('triage-error').textContent = '';
  if (!text.trim()) { $('triage-error').textContent = 'Paste the article’s text first (or open a .txt file).'; $('triage-text').focus(); return; }
  const body = { text };
  for (const k of ['publisher', 'date', 'title', 'url']) {
    const v = $(`triage-${k}`).value.trim();
    if (v) body[k] = v;
  }
  $('triage-summary').textContent = 'Triaging the article…';
  try {
    const r = await api.post('/v1/triage', body);
    triage.result = r;
    triage.text = text;
    out.replaceChildren(triageView(r, text));
    $('triage-summary').textContent = `Triage done: ${count(r.known.length, 'known entity', 'known entities')} (${count(r.mentions.length, 'mention')}), ${count(r.candidates.length, 'new candidate')}, ${count(r.cohorts.length, 'cohort')}, ${count(r.dates.length, 'date')}, ${count(r.events.length, 'event cue')}; the draft holds ${count(r.draft.entities, 'entity', 'entities')} and ${count(r.draft.relationships, 'relationship')}.${r.index_stale ? ' The index of names is older than the last import: see the note.' : ''}`;
    status('Triage done: nothing was written. Review the draft below.');
    $('triage-results-heading').focus();
  } catch (e) {
    $('triage-summary').textContent = '';
    $('triage-error').textContent = e.field ? `${e.message}` : `Triage failed: ${e.message}`;
  }
}

const kindsText = (ks) => (ks || []).join(', ');
const count = (n, one, many) => `${n.toLocaleString('en')} ${n === 1 ? one : many || `${one}s`}`;

// openEntity shows an entity in the panel and moves the focus there.
function openEntity(id) {
  state.selected = id;
  if (cy) { cy.$(':selected').unselect(); cy.getElementById(id).select(); }
  showPanel(id).then(() => $('entity-panel').focus()).catch(fail);
}

function addToCanvas(id, name) {
  addEntity(id).then(() => status(`${name} is on the canvas (the Graph tab).`)).catch(fail);
}

const regionNames = (() => { try { return new Intl.DisplayNames(['en'], { type: 'region' }); } catch (_) { return null; } })();
const country = (cc) => { try { return regionNames ? `${cc} (${regionNames.of(cc)})` : cc; } catch (_) { return cc; } };

// highlighted draws the text with its spans: known mentions as buttons
// (open the entity), ambiguous ones flagged "?", new candidates, dates,
// cohorts and event words marked. Overlapping spans keep the first kind.
function highlighted(r, text) {
  const at = byteIndex(text);
  const spans = [];
  const push = (list, kind) => { for (const x of list) spans.push({ kind, x, s: at(x.start), e: at(x.end) }); };
  push(r.mentions, 'known');
  push(r.candidates, 'candidate');
  push(r.cohorts, 'cohort');
  push(r.dates, 'date');
  push(r.events, 'event');
  const order = ['known', 'candidate', 'cohort', 'date', 'event'];
  spans.sort((a, b) => a.s - b.s || order.indexOf(a.kind) - order.indexOf(b.kind));
  const box = el('div', { class: 'article', 'data-testid': 'triage-article', tabindex: '0', role: 'region', 'aria-label': 'The article with what triage found highlighted' });
  let pos = 0;
  for (const sp of spans) {
    if (sp.s < pos || sp.e <= sp.s) continue; // overlaps one drawn already
    if (sp.s > pos) box.append(text.slice(pos, sp.s));
    const t = text.slice(sp.s, sp.e);
    const x = sp.x;
    if (sp.kind === 'known') {
      const why = `${x.name} (${kindsText(x.kinds)})${x.by_alias ? ', named by an alias' : ''}${x.ambiguous ? `, ambiguous${x.others && x.others.length ? `: also ${x.others.join(', ')}` : ': a short name'}` : ''}`;
      box.append(el('button', {
        type: 'button', class: `mention known${x.ambiguous ? ' ambiguous' : ''}${x.by_alias ? ' by-alias' : ''}`, 'data-testid': 'triage-mention',
        dataset: { id: x.id, ambiguous: x.ambiguous ? 'true' : 'false' }, title: `${why}: open it`,
        on: { click: () => openEntity(x.id) },
      }, t, el('span', { class: 'sr-only', text: ` (known: ${why})` }), x.ambiguous ? el('span', { class: 'flag', 'aria-hidden': 'true', text: '?' }) : null));
    } else {
      const what = sp.kind === 'candidate' ? `new ${x.kind || 'name'}${x.cue ? ` (cue “${x.cue}”)` : ''}`
        : sp.kind === 'date' ? `date ${x.date}` : sp.kind === 'cohort' ? `cohort of ${x.count}${x.nationality ? ` ${x.nationality}` : ''}` : `event: ${x.event_type}`;
      box.append(el('mark', { class: `mention ${sp.kind}`, 'data-testid': `triage-mark-${sp.kind}`, title: what }, t, el('span', { class: 'sr-only', text: ` (${what})` })));
    }
    pos = sp.e;
  }
  if (pos < text.length) box.append(text.slice(pos));
  return box;
}

function triageKey() {
  const sample = (cls, label) => el('span', {}, el('span', { class: `mention ${cls}`, 'aria-hidden': 'true', text: 'Name' }), ` ${label}`);
  return el('div', { class: 'triage-key', 'aria-hidden': 'true' },
    el('span', {}, el('span', { class: 'mention known', text: 'Name' }), ' known entity (click to open)'),
    el('span', {}, el('span', { class: 'mention known ambiguous', text: 'Name' }, el('span', { class: 'flag', text: '?' })), ' ambiguous'),
    sample('candidate', 'new candidate'), sample('date', 'date'), sample('cohort', 'victim cohort'), sample('event', 'event word'));
}

function listSection(title, testid, items, render, empty) {
  return el('section', {}, el('h4', { text: `${title} (${items.length})` }),
    items.length ? el('ul', { 'data-testid': testid }, items.map(render)) : el('p', { class: 'help', 'data-testid': `${testid}-empty`, text: empty }));
}

function triageView(r, text) {
  const ambiguous = new Set(r.mentions.filter((m) => m.ambiguous).map((m) => m.id));
  const known = listSection('Known entities', 'triage-known', r.known, (k) => el('li', { 'data-testid': 'triage-known-item', dataset: { id: k.id } },
    el('strong', { text: k.name }), ' ', k.kinds.map(kindChip),
    el('span', { class: 'help', text: ` ${k.mentions} mention${k.mentions === 1 ? '' : 's'}` }),
    k.by_alias ? el('span', { class: 'tag', text: 'by alias' }) : null,
    ambiguous.has(k.id) ? el('span', { class: 'tag', 'data-testid': 'triage-ambiguous', text: 'ambiguous' }) : null,
    el('div', { class: 'actions' },
      el('button', { type: 'button', 'data-testid': 'triage-open', 'aria-label': `Open ${k.name}`, on: { click: () => openEntity(k.id) }, text: 'Open' }),
      el('button', { type: 'button', 'data-testid': 'triage-add', 'aria-label': `Add ${k.name} to the canvas`, on: { click: () => addToCanvas(k.id, k.name) }, text: 'Add to canvas' }))),
  'The article names no entity the graph holds.');
  const cands = listSection('New candidates', 'triage-candidates', r.candidates, (c) => el('li', { 'data-testid': 'triage-candidate', dataset: { id: c.id || '', kind: c.kind || '' } },
    el('strong', { text: c.text }), ' ', c.kind ? kindChip(c.kind) : el('span', { class: 'help', text: 'kind unknown' }),
    c.cue ? el('span', { class: 'help', text: ` cue “${c.cue}”` }) : null, c.id ? el('span', { class: 'help', text: ` → ${c.id}` }) : el('span', { class: 'help', text: ' (not in the draft)' })),
  'No new names.');
  const cohorts = listSection('Victim cohorts', 'triage-cohorts', r.cohorts, (c) => el('li', { 'data-testid': 'triage-cohort' },
    el('strong', { text: `${c.approximate ? 'about ' : ''}${c.count.toLocaleString('en')}` }), c.nationality ? ` · ${country(c.nationality)}` : ' · nationality not stated',
    el('span', { class: 'help', text: ` “${c.text}”` })), 'No victim cohort with a count.');
  const dates = listSection('Dates', 'triage-dates', r.dates, (d) => el('li', { 'data-testid': 'triage-date' },
    el('strong', { text: d.date }), el('span', { class: 'help', text: ` ${d.precision}${d.relative ? ', relative to the publication date' : ''}: “${d.text}”` })), 'No dates.');
  const events = listSection('Event cues', 'triage-events', r.events, (e) => el('li', { 'data-testid': 'triage-event', dataset: { type: e.event_type } },
    el('strong', { text: e.event_type }), ` “${e.text}”`, el('div', { class: 'help', text: e.sentence.text.length > 160 ? `${e.sentence.text.slice(0, 159)}…` : e.sentence.text })), 'No event words.');
  return el('section', { class: 'triage-out', 'aria-labelledby': 'triage-results-heading' },
    el('h3', { id: 'triage-results-heading', tabindex: '-1', text: 'What the article names' }),
    el('p', { class: 'help', text: `Read against ${count(r.indexed_names, 'known name')}. Activate a highlighted known name to open its entity.` }),
    r.index_stale ? el('div', { class: 'notice', 'data-testid': 'triage-stale' },
      el('p', { text: 'The index of known names is older than the graph’s last import, merge or undo: names added since may show as new candidates. A new index is being built in the background.' }),
      el('button', { type: 'button', 'data-testid': 'triage-again', on: { click: () => $('triage-form').requestSubmit() }, text: 'Triage again' })) : null,
    triageKey(), highlighted(r, text),
    el('div', { class: 'triage-lists' }, known, cands, cohorts, dates, events),
    draftView(r.draft));
}

// draftName is the file name of a draft: its source id, made safe.
function draftName(d) { return `${(d.source_id || 'triage-draft').replace(/[^A-Za-z0-9._-]+/g, '-')}.ndjson`; }

function draftView(d) {
  const canImport = !!(state.me && state.me.may.import);
  const file = () => new File([d.ndjson], draftName(d), { type: 'application/x-ndjson' });
  const accept = el('div', { id: 'triage-accept', class: 'result', 'data-testid': 'triage-accept', 'aria-live': 'polite' });
  return el('section', { class: 'draft', 'data-testid': 'triage-draft-panel' },
    el('h3', { text: 'Draft import file' }),
    el('p', { 'data-testid': 'triage-draft-summary', text: `The source record ${d.source_id}, ${count(d.entities, 'entity', 'entities')} and ${count(d.relationships, 'relationship')}; every entity is marked triage: "draft". Review every line before importing it.` }),
    d.notes && d.notes.length ? el('ul', { class: 'help' }, d.notes.map((n) => el('li', { text: n }))) : null,
    el('label', { for: 'triage-draft', text: 'Draft (NDJSON, docs/import-format.md)' }),
    el('textarea', { id: 'triage-draft', readonly: true, rows: '8', wrap: 'off', spellcheck: 'false', 'data-testid': 'triage-draft' }, d.ndjson),
    el('div', { class: 'actions' },
      el('button', { type: 'button', 'data-testid': 'triage-download', on: { click: () => download(file(), draftName(d)) }, text: 'Download the draft' }),
      canImport ? el('button', { type: 'button', 'data-testid': 'triage-check', on: { click: () => checkDraft(file(), accept) }, text: 'Accept the draft: check it first (dry run)' }) : null),
    canImport ? null : el('p', { class: 'help', 'data-testid': 'triage-no-import', text: `Your role (${state.me ? state.me.role : 'unknown'}) may not import: download the draft and hand it to an importer, or import it with scamgraph import.` }),
    accept);
}

// checkDraft runs the draft through POST /v1/imports?dry_run=true and
// offers the real import when nothing is refused.
async function checkDraft(file, out) {
  out.replaceChildren(el('p', { class: 'help', text: `Checking ${file.name} (dry run)…` }));
  try {
    const r = await api.upload('/v1/imports', { name: file.name, dry_run: true }, file);
    const rep = r.report;
    out.replaceChildren(reportView(rep, `Dry run of the draft: nothing written yet.`),
      el('div', { class: 'actions' },
        rep.rejected ? null : el('button', { type: 'button', 'data-testid': 'triage-import', on: { click: () => importDraft(file, out) }, text: 'Import the draft for real' }),
        el('button', { type: 'button', 'data-testid': 'triage-cancel', on: { click: () => out.replaceChildren(el('p', { class: 'help', text: 'Import cancelled: nothing was written.' })) }, text: 'Cancel' })));
    status(rep.rejected ? 'The dry run refused records of the draft: see its problems.' : 'Dry run of the draft: nothing written yet.', rep.rejected > 0);
    (out.querySelector('[data-testid=triage-import]') || out.querySelector('[data-testid=triage-cancel]')).focus();
  } catch (e) { out.replaceChildren(el('p', { class: 'error', role: 'alert', text: e.message })); }
}

async function importDraft(file, out) {
  try {
    const r = await api.upload('/v1/imports', { name: file.name }, file);
    out.replaceChildren(reportView(r.report, r.report.written ? `Imported the draft (${file.name}).` : `${file.name}: nothing written.`),
      el('p', { 'data-testid': 'triage-import-done', text: 'The new entities are in the graph and searchable now. Triage the article again to see them as known.' }));
    out.querySelector('[data-testid=triage-import-done]').tabIndex = -1;
    out.querySelector('[data-testid=triage-import-done]').focus();
    await refreshAll();
  } catch (e) { out.append(el('p', { class: 'error', role: 'alert', text: e.message })); }
}

function initTriage() {
  $('triage-form').addEventListener('submit', runTriage);
  $('triage-file').addEventListener('change', (ev) => { const f = ev.target.files[0]; if (f) loadArticle(f); ev.target.value = ''; });
}

// ---------- keyboard access to the canvas ----------

// The node list mirrors the canvas as a listbox: arrows move the selection,
// Enter opens the entity, E expands, P pins, Delete hides, Home/End jump.
let listTimer = null;
function scheduleNodeList() { clearTimeout(listTimer); listTimer = setTimeout(renderNodeList, 120); }

function renderNodeList() {
  const ul = $('node-list');
  const nodes = cy.nodes().not('.more').filter((n) => !n.hasClass('filtered')).sort((a, b) => byName(a.data('name'), b.data('name')));
  const sel = cy.$('node:selected').first();
  ul.replaceChildren(...nodes.map((n, i) => el('li', {
    id: `node-opt-${i}`, role: 'option', 'data-testid': 'node-option', dataset: { id: n.id() },
    'aria-selected': n.same(sel) ? 'true' : 'false',
    on: { click: () => { focusNode(n.id()); select(n.id()); } },
  }, el('span', { class: 'dot', 'aria-hidden': 'true', dataset: { kind: n.data('kind') } }), `${n.data('name')}`,
  el('span', { class: 'help', text: ` ${n.data('kind')}${state.expanded.has(n.id()) ? ', expanded' : ''}${n.locked() ? ', pinned' : ''}` }))));
  for (const d of ul.querySelectorAll('.dot')) d.style.backgroundColor = KINDS[d.dataset.kind].color;
  $('node-count').textContent = `${nodes.length}`;
  const active = ul.querySelector('[aria-selected=true]');
  if (active) ul.setAttribute('aria-activedescendant', active.id); else ul.removeAttribute('aria-activedescendant');
}

function focusNode(id) {
  cy.$(':selected').unselect();
  const n = cy.getElementById(id);
  n.select();
  const ul = $('node-list');
  for (const li of ul.children) li.setAttribute('aria-selected', li.dataset.id === id ? 'true' : 'false');
  const li = [...ul.children].find((x) => x.dataset.id === id);
  if (li) { ul.setAttribute('aria-activedescendant', li.id); li.scrollIntoView({ block: 'nearest' }); }
  status(`${n.data('name')} (${n.data('kind')}): Enter opens, E expands, P pins, Delete hides.`);
}

function initNodeList() {
  const ul = $('node-list');
  cy.on('add remove select unselect lock unlock', scheduleNodeList);
  ul.addEventListener('keydown', (ev) => {
    const items = [...ul.children];
    if (!items.length) return;
    const cur = items.findIndex((li) => li.getAttribute('aria-selected') === 'true');
    const id = cur >= 0 ? items[cur].dataset.id : '';
    const go = (i) => { ev.preventDefault(); focusNode(items[Math.min(Math.max(i, 0), items.length - 1)].dataset.id); };
    switch (ev.key) {
      case 'ArrowDown': go(cur + 1); break;
      case 'ArrowUp': go(cur < 0 ? items.length - 1 : cur - 1); break;
      case 'Home': go(0); break;
      case 'End': go(items.length - 1); break;
      case 'Enter': if (id) { ev.preventDefault(); select(id); } break;
      case 'e': case 'E': if (id) { ev.preventDefault(); expand(id).catch(fail); } break;
      case 'p': case 'P': if (id) { ev.preventDefault(); $('btn-pin').click(); } break;
      case 'Delete': case 'Backspace':
        if (id) { ev.preventDefault(); ev.stopPropagation(); hideSelected(); setTimeout(() => { const next = [...ul.children][Math.min(cur, ul.children.length - 1)]; if (next) focusNode(next.dataset.id); }, 150); }
        break;
      default:
    }
  });
}

// ---------- start ----------

document.addEventListener('DOMContentLoaded', () => {
  api.setProgressElement($('progress'));
  $('signin-form').addEventListener('submit', (ev) => { ev.preventDefault(); signIn($('key-input').value.trim()); });
  $('sign-out').addEventListener('click', signOut);
  $('path-find').addEventListener('click', findPaths);
  $('query-run').addEventListener('click', runQuery);
  initSearch();
  initImport();
  initViews();
  initTriage();
  const key = api.getKey();
  if (key) signIn(key, true);
  else $('key-input').focus();
});
