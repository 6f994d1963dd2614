import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { agreementIdOf } from '../../pact/index.js';
import { defaultValidator, TLP1_IDS, TLP2_IDS, tlpMarkingDefinitions } from '../../stix/index.js';
import {
  checkSharingExtension,
  decideShare,
  mayPublish,
  type PermissionGrant,
  papOf,
  recipientsOf,
  SHARING_EXTENSION_ID,
  type ShareTarget,
  withSharing,
} from './index.js';
import { agreementOf, indicator, STATEMENT_ID } from './test-fixtures.js';

// The decision table of docs/SHARING.md is the specification: every row is run as written.
const doc = readFileSync(new URL('../../../docs/SHARING.md', import.meta.url), 'utf8');

function tableAfter(heading: string): string[][] {
  const lines = doc.slice(doc.indexOf(heading)).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    rows.push(
      l
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
  }
  return rows;
}

const PARTIES = ['node-a', 'node-b', 'node-c', 'node-d', 'node-e'];
const tlp2 = (x: string) => TLP2_IDS[x.toLowerCase() as keyof typeof TLP2_IDS];
const tlp1 = (x: string) => TLP1_IDS[x.toLowerCase() as keyof typeof TLP1_IDS];

/** The object a label cell describes, and the agreement default its suffix gives. */
function objectOf(cell: string): { obj: Record<string, unknown>; defaultTlp: string | null } {
  const [head, ...rest] = cell.split(', ');
  let defaultTlp: string | null = null;
  let badExtension = false;
  for (const r of rest) {
    if (r.startsWith('default ')) defaultTlp = `TLP:${r.slice(8)}`;
    else if (r === 'bad extension') badExtension = true;
    else assert.equal(r, 'no default', `unknown label suffix ${r}`);
  }
  let obj: Record<string, unknown> = indicator();
  if (head === 'TLP marking definition') obj = tlpMarkingDefinitions().find((d) => d.id === TLP2_IDS.green)!;
  else if (head === 'statement definition')
    obj = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: STATEMENT_ID,
      created: '2025-03-01T00:00:00.000Z',
      definition_type: 'statement',
      definition: { statement: 'Copyright parley test' },
    };
  else if (head === 'bad markings') obj.object_marking_refs = TLP2_IDS.clear;
  else if (head === 'no id') delete obj.id;
  else if (head !== 'none') {
    const refs: string[] = [];
    const granular: { selectors: string[]; marking_ref: string }[] = [];
    for (const tok of (head as string).split(' + ')) {
      if (tok === 'statement') refs.push(STATEMENT_ID);
      else if (tok.startsWith('granular '))
        granular.push({ selectors: ['pattern'], marking_ref: tlp2(tok.slice(9)) });
      else if (tok.endsWith(' (1.0)')) refs.push(tlp1(tok.slice(0, -6)));
      else refs.push(tlp2(tok));
    }
    for (const r of refs) assert.ok(r, `unknown label in ${cell}`);
    if (refs.length) obj.object_marking_refs = refs;
    if (granular.length) obj.granular_markings = granular;
  }
  if (obj.type !== 'marking-definition') obj = withSharing(obj, { shareWith: ['node-d'] });
  if (badExtension)
    obj = {
      ...obj,
      extensions: { [SHARING_EXTENSION_ID]: { extension_type: 'property-extension', to: 'all' } },
    };
  return { obj, defaultTlp };
}

describe('sharing policy: the decision table of docs/SHARING.md', () => {
  const rows = tableAfter('## Decision table');
  it('has every row numbered once', () => {
    assert.ok(rows.length >= 60, `only ${rows.length} rows read`);
    assert.deepEqual(
      rows.map((r) => Number(r[0])),
      rows.map((_, i) => i + 1),
    );
  });

  for (const [num, label, sender, recipientCell, purpose, decision] of rows as string[][]) {
    it(`row ${num}: ${label} | ${sender} -> ${recipientCell} | ${purpose} => ${decision}`, () => {
      const { obj, defaultTlp } = objectOf(label as string);
      let agreement = agreementOf(PARTIES, defaultTlp?.endsWith('BOGUS') ? null : defaultTlp);
      if (defaultTlp?.endsWith('BOGUS')) agreement = { ...agreement, sharing: { default_tlp: defaultTlp } };
      const self = sender === 'origin' ? 'node-a' : sender === 'outsider' ? 'node-y' : 'node-b';
      assert.ok(sender === 'outsider' || sender === 'origin' || sender?.startsWith('receiver'), sender);
      const recipient = {
        'named party': 'node-d',
        'unnamed party': 'node-e',
        origin: 'node-a',
        'source peer': 'node-c',
        'not a party': 'node-x',
        self,
      }[recipientCell as string];
      assert.ok(recipient, `unknown recipient ${recipientCell}`);
      const permissions: PermissionGrant[] = [];
      const g = /\+ (agreement )?grant (by non-origin )?(\S+)$/.exec(sender as string);
      if (g)
        permissions.push({
          objectRefs: [obj.id as string],
          shareWith: g[1] ? [`agreement:${agreementIdOf(agreement)}`] : [recipient],
          tlp: `TLP:${g[3]}`,
          grantedBy: g[2] ? 'node-c' : 'node-a',
        });
      const prov = { origin: 'node-a', receivedFrom: self === 'node-a' ? null : 'node-c', permissions };
      assert.ok(purpose === 'collection' || purpose === 'hotline');
      const target: ShareTarget = { agreement, recipient, self, purpose };
      const got = decideShare(obj, prov, target);
      const share = /^share (\S+) \((\S+)\)$/.exec(decision as string);
      if (share) assert.deepEqual(got, { share: true, tlp: share[1], basis: share[2], pap: null });
      else {
        assert.equal(got.share, false, JSON.stringify(got));
        assert.equal(got.share === false && got.code, decision);
        assert.ok(got.share === false && got.reason.length > 10);
      }
    });
  }
});

describe('sharing policy: publishing', () => {
  for (const [label, publish] of tableAfter('Publishing (') as string[][]) {
    it(`${label} => ${publish}`, () => {
      assert.equal(mayPublish(objectOf(label as string).obj), publish === 'yes');
    });
  }
});

describe('sharing extension', () => {
  it('reads the recipients and the PAP label, and is a valid STIX 2.1 property extension', () => {
    const obj = withSharing(
      { ...indicator(), object_marking_refs: [TLP2_IDS.amber] },
      { shareWith: ['node-d', 'node-e'], pap: 'PAP:GREEN' },
    );
    assert.deepEqual(recipientsOf(obj), ['node-d', 'node-e']);
    assert.equal(papOf(obj), 'PAP:GREEN');
    const r = defaultValidator().validate(obj);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
    const d = decideShare(
      obj,
      { origin: 'node-a', receivedFrom: null, permissions: [] },
      { agreement: agreementOf(PARTIES, null), recipient: 'node-e', self: 'node-a', purpose: 'collection' },
    );
    assert.deepEqual(d, { share: true, tlp: 'amber', basis: 'marking', pap: 'PAP:GREEN' });
  });

  it('keeps other extensions beside it', () => {
    const other = 'extension-definition--11111111-2222-4333-8444-555555555555';
    const obj = withSharing(
      { ...indicator(), extensions: { [other]: { extension_type: 'property-extension', x: 1 } } },
      { shareWith: ['node-b'] },
    );
    assert.deepEqual(Object.keys(obj.extensions as object).sort(), [other, SHARING_EXTENSION_ID].sort());
    assert.equal(recipientsOf(indicator()), undefined);
  });

  const bad: [string, unknown, RegExp][] = [
    ['not an object', 'node-b', /is not an object/],
    ['wrong type', { extension_type: 'new-sdo' }, /extension_type must be "property-extension"/],
    ['unknown property', { extension_type: 'property-extension', to: ['node-b'] }, /unknown property to/],
    [
      'not a list',
      { extension_type: 'property-extension', share_with: 'node-b' },
      /share_with must be a list/,
    ],
    [
      'not a node id',
      { extension_type: 'property-extension', share_with: ['Node B'] },
      /"Node B", not a node id/,
    ],
    ['twice', { extension_type: 'property-extension', share_with: ['node-b', 'node-b'] }, /twice/],
    ['bad PAP', { extension_type: 'property-extension', pap: 'PAP:WHITE' }, /pap must be one of/],
  ];
  for (const [name, ext, message] of bad) {
    it(`refuses a malformed extension (${name}) with policy.invalid_extension`, () => {
      const obj = { ...indicator(), extensions: { [SHARING_EXTENSION_ID]: ext } };
      assert.throws(
        () => checkSharingExtension(obj),
        (e: unknown) =>
          (e as { code: string }).code === 'policy.invalid_extension' && message.test((e as Error).message),
      );
      assert.equal(recipientsOf(obj), undefined);
      assert.throws(() => withSharing(indicator(), { shareWith: ['Bad Id'] }), /not a node id/);
    });
  }
});
