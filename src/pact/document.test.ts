import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { canonicalBytes, generateIdentity, toB64u } from '../crypto/index.js';
import { DEFAULT_DEADLINES, DEFAULT_TAXONOMY } from './defaults.js';
import {
  type AgreementDocument,
  agreementIdOf,
  buildDocument,
  checkDocument,
  checkSignature,
  signDocument,
  versionHash,
} from './document.js';

const a = generateIdentity({ nodeId: 'cert-a' });
const b = generateIdentity({ nodeId: 'cert-b' });
const party = (i: typeof a, name: string) => ({
  node: i.nodeId,
  party: name,
  signing_key: toB64u(i.signing.publicKey),
  agreement_key: toB64u(i.agreement.publicKey),
});
const now = Date.parse('2026-05-08T00:00:00.000Z');
const doc = buildDocument({ terms: {}, proposer: 'cert-a', parties: [party(a, 'A'), party(b, 'B')], now });

test('the id is "agr-" and the SHA-256 of the canonical document (RFC 8785)', () => {
  const h = createHash('sha256').update(canonicalBytes(doc)).digest('hex');
  assert.equal(versionHash(doc), h);
  assert.equal(agreementIdOf(doc), `agr-${h}`);
  // Member order does not matter to the hash: the document is canonicalised first.
  const reordered = Object.fromEntries(Object.entries(doc).reverse()) as unknown as AgreementDocument;
  assert.equal(versionHash(reordered), h);
});

test('defaults: the six Article 2 categories mapped to RSIT, NIS2-like deadlines, TLP:AMBER', () => {
  assert.equal(doc.taxonomy.length, 6);
  assert.deepEqual(
    doc.taxonomy.map((t) => t.code),
    DEFAULT_TAXONOMY.map((t) => t.code),
  );
  assert.ok(doc.taxonomy.every((t) => t.rsit.length > 0));
  assert.deepEqual(doc.deadlines, DEFAULT_DEADLINES);
  assert.equal(doc.deadlines.find((d) => d.urgency === 'high')?.respond_hours, 72);
  assert.equal(doc.sharing.default_tlp, 'TLP:AMBER');
  assert.deepEqual(doc.channels, ['technical', 'formal-inquiry', 'crisis', 'law-enforcement']);
  assert.equal(doc.parties[1]?.competent_authorities[0]?.name, 'B');
});

test('a version 2 names its agreement and the version it amends', () => {
  const v2 = buildDocument({
    terms: { languages: ['en', 'ru'] },
    proposer: 'cert-b',
    parties: doc.parties,
    now,
    previous: doc,
  });
  assert.equal(v2.id, agreementIdOf(doc));
  assert.equal(agreementIdOf(v2), agreementIdOf(doc));
  assert.equal(v2.previous, versionHash(doc));
  assert.equal(v2.version, 2);
  assert.deepEqual(v2.languages, ['en', 'ru']);
});

test('each party signs the canonical document; another key, another party or a changed document fails', () => {
  const sa = signDocument(a, doc);
  const sb = signDocument(b, doc);
  assert.ok(checkSignature(doc, sa));
  assert.ok(checkSignature(doc, sb));
  assert.equal(checkSignature(doc, { ...sa, node: 'cert-b' }), false);
  assert.equal(checkSignature({ ...doc, title: 'changed' }, sa), false);
  const stranger = generateIdentity({ nodeId: 'cert-z' });
  assert.equal(checkSignature(doc, signDocument(stranger, doc)), false);
});

test('checkDocument names the field that is wrong', () => {
  const bad = (patch: Record<string, unknown>, field: string) =>
    assert.throws(
      () => checkDocument({ ...doc, ...patch }),
      (e: { code: string; details: { field: string } }) => {
        assert.equal(e.code, 'pact.invalid_document');
        assert.equal(e.details.field, field);
        return true;
      },
    );
  bad({ channels: ['telepathy'] }, 'channels');
  bad({ sharing: { default_tlp: 'TLP:WHITE' } }, 'sharing');
  bad(
    { deadlines: [{ message_type: '*', urgency: 'critical', acknowledge_hours: 48, respond_hours: 24 }] },
    'deadlines',
  );
  bad({ languages: ['English'] }, 'languages');
  bad({ parties: [doc.parties[0]] }, 'parties');
  bad({ parties: [doc.parties[0], doc.parties[0]] }, 'parties[1].node');
  bad({ entry_into_force: '2026-05-08' }, 'entry_into_force');
  bad({ proposed_by: 'cert-z' }, 'proposed_by');
  bad({ version: 2 }, 'id');
  assert.throws(() => checkDocument({ ...doc, extra: 1 }), { code: 'pact.invalid_document' });
  assert.equal(checkDocument(JSON.parse(JSON.stringify(doc))).title, doc.title);
  // Sharing default "none": unmarked objects are not shared.
  assert.equal(checkDocument({ ...doc, sharing: { default_tlp: null } }).sharing.default_tlp, null);
});
