// GraphML of the drawn picture (for Gephi, yEd): every visible entity and
// relationship with its kinds, type, evidence, dates and sources.

const esc = (s) => String(s ?? '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' }[c]));

const NODE_KEYS = ['label', 'kinds'];
const EDGE_KEYS = ['type', 'evidence', 'since', 'until', 'sources'];

export function toGraphML(cy) {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'];
  for (const k of NODE_KEYS) out.push(`<key id="n_${k}" for="node" attr.name="${k === 'label' ? 'name' : k}" attr.type="string"/>`);
  for (const k of EDGE_KEYS) out.push(`<key id="e_${k}" for="edge" attr.name="${k}" attr.type="string"/>`);
  out.push('<graph id="scamgraph" edgedefault="directed">');
  cy.nodes().not('.more').forEach((n) => {
    out.push(`<node id="${esc(n.id())}">${NODE_KEYS.map((k) => `<data key="n_${k}">${esc(n.data(k))}</data>`).join('')}</node>`);
  });
  cy.edges().not('.more').forEach((e) => {
    out.push(`<edge id="${esc(e.id())}" source="${esc(e.source().id())}" target="${esc(e.target().id())}">${EDGE_KEYS.map((k) => `<data key="e_${k}">${esc(e.data(k))}</data>`).join('')}</edge>`);
  });
  out.push('</graph>', '</graphml>');
  return out.join('\n');
}
