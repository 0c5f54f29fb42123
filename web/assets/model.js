// The domain's vocabulary as the explorer draws it: kinds (colour, shape),
// evidence grades (weakest first; line style), relationship types.

export const KINDS = {
  tycoon: { color: '#b91c1c', shape: 'star' },
  official: { color: '#7c3aed', shape: 'diamond' },
  person: { color: '#2563eb', shape: 'ellipse' },
  compound: { color: '#c2410c', shape: 'round-rectangle' },
  company: { color: '#0f766e', shape: 'rectangle' },
  victim: { color: '#be185d', shape: 'ellipse' },
  location: { color: '#4d7c0f', shape: 'triangle' },
  organization: { color: '#1d4ed8', shape: 'hexagon' },
  event: { color: '#a16207', shape: 'round-tag' },
  source: { color: '#525252', shape: 'rectangle' },
};

export const EVIDENCE = ['allegation', 'media_report', 'official_statement', 'charge', 'designation', 'conviction'];
export const evidenceRank = (e) => EVIDENCE.indexOf(e) + 1;

export const REL_TYPES = ['OWNS', 'CONTROLS', 'DIRECTS', 'OPERATES', 'HOLDS_OFFICE', 'ADVISES', 'PROTECTS',
  'FAMILY_OF', 'ASSOCIATE_OF', 'RECRUITED_TO', 'HELD_AT', 'RELEASED_FROM', 'SUBJECT_OF', 'CONDUCTED',
  'PARTICIPATED_IN', 'LOCATED_IN', 'PART_OF', 'REPRESENTS', 'ASSISTED_BY', 'MENTIONED_IN'];

// Relationship types shown by default (MENTIONED_IN ties everything to its
// source and would bury the picture).
export const DEFAULT_RELS = REL_TYPES.filter((t) => t !== 'MENTIONED_IN');

// mainKind picks the kind that styles a node (the most specific first).
export function mainKind(kinds) {
  for (const k of Object.keys(KINDS)) if ((kinds || []).includes(k)) return k;
  return 'person';
}

export function dateStr(d) { return d || ''; }
