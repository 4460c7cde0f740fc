// Talks to the server directly (not through the page): for facts a test needs to know
// independently of the UI, such as the operator's current check-in code.
import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from './server.mjs';

/** Logs in with the API and returns the access token. */
export async function apiLogin(baseURL, phone, password = DEMO_PASSWORD) {
  const res = await fetch(`${baseURL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ phone, password }),
  });
  assert.equal(res.status, 200, `API login as ${phone}`);
  return (await res.json()).access_token;
}

/** JSON from `method path` (status must be `expect`). */
export async function apiJson(baseURL, path, { token, method = 'GET', body, expect = 200 } = {}) {
  const res = await fetch(`${baseURL}${path}`, {
    method,
    headers: {
      Accept: 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  assert.equal(res.status, expect, `${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** Every station, through the paged list (for brute-force checks). */
export async function allStations(baseURL) {
  const out = [];
  for (let page = 1; ; page++) {
    const r = await apiJson(baseURL, `/api/v1/stations?page=${page}&per_page=100`);
    out.push(...r.items);
    if (r.items.length === 0 || out.length >= r.total) return out;
  }
}

/** Great-circle distance in metres (WGS-84 sphere, as a rider's phone would reckon). */
export function haversineM(a, b) {
  const R = 6_371_008.8;
  const rad = (d) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}
