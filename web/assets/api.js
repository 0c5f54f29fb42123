// The explorer's client of the public /v1 API: the key from sessionStorage
// (never the URL), problem+json errors in words, 429/503 retried after their
// Retry-After, and a progress indicator for requests over 300 ms.

const KEY = 'scamgraph.key';

export function getKey() { return sessionStorage.getItem(KEY) || ''; }
export function setKey(k) { sessionStorage.setItem(KEY, k); }
export function clearKey() { sessionStorage.removeItem(KEY); }

// ApiError carries a problem's words: status, title, detail and the field.
export class ApiError extends Error {
  constructor(status, problem) {
    const title = problem.title || `HTTP ${status}`;
    const detail = problem.detail ? `: ${problem.detail}` : '';
    const field = problem.field || (problem.errors && problem.errors[0] && problem.errors[0].field) || '';
    super(`${title}${detail}${field ? ` (field: ${field})` : ''}`);
    this.status = status;
    this.problem = problem;
    this.field = field;
  }
}

let inflight = 0;
let progressTimer = null;
let progressEl = null;
export function setProgressElement(el) { progressEl = el; }
function startProgress() {
  inflight++;
  if (inflight === 1 && progressEl) {
    progressTimer = setTimeout(() => { progressEl.hidden = false; }, 300);
  }
}
function stopProgress() {
  inflight--;
  if (inflight <= 0) {
    inflight = 0;
    clearTimeout(progressTimer);
    if (progressEl) progressEl.hidden = true;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// retryAfter reads Retry-After (seconds or an HTTP date) as milliseconds,
// bounded to 1-30 s.
function retryAfter(res) {
  const h = res.headers.get('Retry-After');
  let ms = 1000;
  if (h) {
    const n = Number(h);
    ms = Number.isFinite(n) ? n * 1000 : Date.parse(h) - Date.now();
  }
  return Math.min(Math.max(ms || 1000, 250), 30000);
}

// query builds a query string from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// get fetches path (with params) as JSON, or as text when asText.
export async function get(path, params, { asText = false, key = getKey(), retries = 3 } = {}) {
  return send('GET', path + query(params), undefined, { asText, key, retries });
}

// post sends body as JSON to path and answers the JSON reply.
export async function post(path, body, { key = getKey(), retries = 3 } = {}) {
  return send('POST', path, JSON.stringify(body), { key, retries });
}

async function send(method, url, body, { asText, key, retries }) {
  startProgress();
  try {
    for (let attempt = 0; ; attempt++) {
      let res;
      const headers = { Authorization: `Bearer ${key}`, Accept: asText ? '*/*' : 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      try {
        res = await fetch(url, { method, body, headers, credentials: 'omit', cache: 'no-store' });
      } catch (e) {
        throw new ApiError(0, { title: 'The service cannot be reached', detail: 'check that scamgraph is running and your network' });
      }
      if ((res.status === 429 || res.status === 503) && attempt < retries) {
        await sleep(retryAfter(res));
        continue;
      }
      if (!res.ok) {
        let problem = {};
        try { problem = await res.json(); } catch (_) { /* not JSON */ }
        if (res.status === 401) problem.title = problem.title || 'Unauthorized';
        throw new ApiError(res.status, problem);
      }
      return asText ? res.text() : res.json();
    }
  } finally {
    stopProgress();
  }
}

// entity paths: ids may hold a slash, escaped as %2F.
export const enc = (id) => encodeURIComponent(id);

// upload POSTs a file as the raw body to path (with params) and answers
// {status, body}: the report of POST /v1/imports, whether 200, 201 or a
// 422 problem (whose member report holds the file:line problems). Other
// errors throw an ApiError in words.
export async function upload(path, params, file, { key = getKey() } = {}) {
  startProgress();
  try {
    let res;
    try {
      res = await fetch(path + query(params), { method: 'POST', body: file, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/octet-stream', Accept: 'application/json' }, credentials: 'omit', cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, { title: 'The service cannot be reached', detail: 'check that scamgraph is running and your network' });
    }
    let body = {};
    try { body = await res.json(); } catch (_) { /* not JSON */ }
    if (res.ok) return { status: res.status, report: body };
    if (res.status === 422 && body.report) return { status: res.status, report: body.report, problem: body };
    throw new ApiError(res.status, body);
  } finally {
    stopProgress();
  }
}
