import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Loads docs/palm-hid/vectors.json, the palm-hid/1 byte-exact cases the project carries beside
 * the spec they belong to (docs/palm-hid/palm-hid-v1.md), so a clone alone runs every test.
 */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VECTORS_PATH = path.resolve(REPO_ROOT, 'docs/palm-hid/vectors.json');

export interface VectorReport {
  t: number;
  data: string;
}
export interface VectorMessage {
  cid: string;
  cmd: string;
  payload: string;
}
export interface VectorError {
  cid: string | null;
  code: string;
}
export interface VectorCase {
  name: string;
  description: string;
  reports?: VectorReport[];
  writes?: VectorReport[];
  messages: VectorMessage[];
  errors: VectorError[];
  init?: {
    nonce: string;
    cid: number;
    version: number;
    firmware: [number, number, number];
    capabilities: number;
  };
  info?: { serial: string; model: string; format: number; dims: number; publicKey: string };
  capture?: {
    publicKey: string;
    hostNonce: string;
    lastAcceptedCounter: number;
    verdict: 'accept' | 'bad-signature' | 'nonce-mismatch' | 'replay';
    fields: {
      format: number;
      hand: number;
      quality: number;
      liveness: number;
      counter: number;
      dims: number;
      template: string;
    };
  };
}

export function loadVectors(): { protocol: string; cases: VectorCase[] } {
  const v = JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as {
    protocol: string;
    cases: VectorCase[];
  };
  if (v.protocol !== 'palm-hid/1' || !Array.isArray(v.cases) || v.cases.length === 0) {
    throw new Error(`${VECTORS_PATH} is not a palm-hid/1 vector file`);
  }
  return v;
}

/** The reports a receiver reads in a case (`reports`, or `writes` as the device receives them). */
export function inputOf(c: VectorCase): VectorReport[] {
  const r = c.reports ?? c.writes;
  if (!r) throw new Error(`vector ${c.name} has neither reports nor writes`);
  return r;
}
