/** Entries and documents without a database: signatures, shapes, and the documents' own checks. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { isParleyError } from '../core/index.js';
import { canonicalBytes, generateKeyPair, sign, signingInput, toB64u } from '../crypto/index.js';
import { checkAttachment, guessKind } from './documents.js';
import { checkBody, newId, parseEntry, signEntry, verifyEntry } from './entry.js';
import { COMPLIANCE_REPORT_CONTEXT, type UnsignedEntry } from './types.js';

const key = generateKeyPair('ed25519');
const code = (c: string) => (e: unknown) => isParleyError(e) && e.code === c;

const unsigned = (over: Partial<UnsignedEntry> = {}): UnsignedEntry =>
  ({
    type: 'parley.consult.entry',
    v: 1,
    id: newId('ce'),
    consultation: newId('cons'),
    agreement: `agr-${'ab'.repeat(32)}`,
    kind: 'schedule',
    by: 'cert-a',
    at: '2026-01-05T10:00:00.000Z',
    body: { title: 'Annual consultation', date: '2026-03-10', agenda: ['Implementation'], participants: [] },
    ...over,
  }) as UnsignedEntry;

const stixReport = () => ({
  type: 'report',
  spec_version: '2.1',
  id: `report--${randomUUID()}`,
  created: '2026-01-02T00:00:00.000Z',
  modified: '2026-01-02T00:00:00.000Z',
  name: 'Threat assessment: ransomware against health care',
  report_types: ['threat-report'],
  published: '2026-01-02T00:00:00.000Z',
  object_refs: [`threat-actor--${randomUUID()}`],
});

describe('consult entries', () => {
  test('a signed entry parses and verifies; the same entry with any change does not', () => {
    const e = signEntry(key, unsigned());
    assert.equal(verifyEntry(e), true);
    assert.deepEqual(parseEntry(JSON.parse(JSON.stringify(e))), e);
    const altered = { ...e, body: { ...(e.body as object), title: 'Another title' } };
    assert.throws(() => parseEntry(altered), code('consult.bad_signature'));
    assert.throws(() => parseEntry({ ...e, by: 'cert-x' }), code('consult.bad_signature'));
    const other = generateKeyPair('ed25519');
    assert.throws(() => parseEntry({ ...e, key: toB64u(other.publicKey) }), code('consult.bad_signature'));
  });

  test('fields an entry of its kind does not have are refused, even when signed', () => {
    const e = signEntry(
      key,
      unsigned({ body: { title: 'T', date: '2026-03-10', agenda: [], participants: [], extra: 1 } } as never),
    );
    assert.throws(
      () => parseEntry(e),
      (err) => code('consult.invalid')(err) && /does not have/.test((err as Error).message),
    );
    const top = signEntry(key, { ...unsigned(), note: 'x' } as never);
    assert.throws(() => parseEntry(top), code('consult.invalid'));
  });

  test('bad bodies name the field', () => {
    const field = (f: string) => (e: unknown) =>
      code('consult.invalid')(e) && (e as { details: { field: string } }).details.field === f;
    assert.throws(() => checkBody('schedule', { title: 'T', date: '2026-02-30' }), field('date'));
    assert.throws(() => checkBody('schedule', { title: '', date: '2026-02-10' }), field('title'));
    assert.throws(
      () => checkBody('schedule', { title: 'T', date: '2026-02-10', agenda: 'x' }),
      field('agenda'),
    );
    assert.throws(
      () => checkBody('measure', { measure: newId('jm'), title: 'T', owner: 'cert-b', due: 'soon' }),
      field('due'),
    );
    assert.throws(
      () => checkBody('measure', { measure: 'm1', title: 'T', owner: 'cert-b', due: '2026-04-01' }),
      field('measure'),
    );
    assert.throws(
      () => checkBody('measure-update', { measure: newId('jm'), state: 'finished' }),
      field('state'),
    );
    assert.throws(() => checkBody('minutes', { text: '' }), field('text'));
    assert.throws(() => parseEntry({ ...signEntry(key, unsigned()), kind: 'vote' }), field('kind'));
    assert.deepEqual(checkBody('schedule', { title: 'T', date: '2026-03-10T09:00:00.000Z' }), {
      title: 'T',
      date: '2026-03-10T09:00:00.000Z',
      agenda: [],
      participants: [],
    });
  });
});

describe('consult documents', () => {
  test('a STIX report is validated; a bundle must hold a report', () => {
    const r = stixReport();
    assert.match(checkAttachment('stix-report', r).sha256, /^[0-9a-f]{64}$/);
    assert.throws(
      () => checkAttachment('stix-report', { ...r, object_refs: [] }),
      code('consult.invalid_stix'),
    );
    assert.throws(
      () => checkAttachment('stix-report', { ...r, created: 'yesterday' }),
      code('consult.invalid_stix'),
    );
    const { report_types: _t, ...rest } = r;
    assert.ok(checkAttachment('stix-report', rest));
    const ind = {
      type: 'identity',
      spec_version: '2.1',
      id: `identity--${randomUUID()}`,
      created: r.created,
      modified: r.created,
      name: 'CERT A',
    };
    assert.throws(() => checkAttachment('stix-report', ind), code('consult.invalid_stix'));
    const bundle = (objects: unknown[]) => ({ type: 'bundle', id: `bundle--${randomUUID()}`, objects });
    assert.ok(checkAttachment('stix-report', bundle([ind, r])));
    assert.throws(() => checkAttachment('stix-report', bundle([ind])), code('consult.invalid_stix'));
    assert.equal(guessKind(r), 'stix-report');
    assert.equal(guessKind({ report: {} }), 'compliance-report');
  });

  test('a compliance report {report, sig, key} must verify; other JSON is kept as it is', () => {
    const report = { agreement: 'agr-x', period: '2025', measures: [{ id: 'art5', met: true }] };
    const sig = toB64u(sign(key, signingInput(COMPLIANCE_REPORT_CONTEXT, canonicalBytes(report))));
    const signed = { report, sig, key: toB64u(key.publicKey) };
    assert.equal(checkAttachment('compliance-report', signed).reportKey, signed.key);
    assert.throws(
      () => checkAttachment('compliance-report', { ...signed, report: { ...report, period: '2024' } }),
      code('consult.bad_report_signature'),
    );
    assert.throws(
      () => checkAttachment('compliance-report', { ...signed, sig: 'AAAA' }),
      code('consult.bad_report_signature'),
    );
    assert.equal(checkAttachment('compliance-report', report).reportKey, null);
    // A report that carries its own key and signature (as src/compliance writes them).
    const flat = {
      format: 'parley-compliance-report/1',
      node: 'cert-a',
      publicKey: toB64u(key.publicKey),
      period: '2025',
    };
    const flatSig = toB64u(sign(key, signingInput(COMPLIANCE_REPORT_CONTEXT, canonicalBytes(flat))));
    assert.equal(checkAttachment('compliance-report', { ...flat, sig: flatSig }).reportKey, flat.publicKey);
    assert.throws(
      () => checkAttachment('compliance-report', { ...flat, period: '2024', sig: flatSig }),
      code('consult.bad_report_signature'),
    );
    assert.throws(
      () => checkAttachment('compliance-report', { report, key: 5, sig }),
      code('consult.invalid'),
    );
    assert.throws(() => checkAttachment('compliance-report', [1, 2]), code('consult.invalid'));
    assert.throws(
      () => checkAttachment('compliance-report', { big: 'x'.repeat(300_000) }),
      code('consult.too_large'),
    );
  });

  test('the same content has the same hash whatever its key order', () => {
    const a = checkAttachment('compliance-report', { a: 1, b: [2, 3] });
    const b = checkAttachment('compliance-report', { b: [2, 3], a: 1 });
    assert.equal(a.sha256, b.sha256);
  });
});
