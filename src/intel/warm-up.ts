/**
 * A synthetic input that the ingest worker reads, upgrades and validates when it is warmed up
 * (warmUpIngestWorker; WARM_UP_PASSES times), and throws away. Compiling the validators is not all of a cold start: the
 * reader, the upgrade and the rules run interpreted until V8 has seen them often enough to optimise
 * them, and a first large input paid for that (in-process, ATT&CK's first pass cost 1.3 to 3 times
 * the next). The objects are of the kinds feeds carry most (STIX 2.0 and 2.1 SDOs with external
 * references, relationships, indicators with patterns, custom types), so the code is optimised for
 * the shapes real inputs have. Nothing of it reaches a database.
 *
 * Its marking comes first: an object whose marking is defined later is held until the end of the
 * input. An earlier form that defined it last was followed, in one benchmark run, by a million
 * plain indicators ingesting slower (52% of the ceiling against 59-72%) with more memory (about 800
 * against 510 MiB); V8 pretenuring the long-lived objects' kind was the suspected cause, not
 * isolated. With the marking first, three runs gave 65-81% and 518-658 MiB (docs/BENCHMARKS.md).
 */
import { readStixObjects } from '../core/json-stream/index.js';
import type { StixValidator } from '../stix/index.js';
import { Preparer } from './prepare.js';
import { packRows } from './worker-protocol.js';

type Obj = Record<string, unknown>;

/** Objects in the warm-up input. */
export const WARM_UP_OBJECTS = 6000;
/**
 * Passes over it: enough runs of the hot functions for V8 to optimise them. In a one-off A/B script
 * on a loaded machine (four rounds, the process's CPU time for ATT&CK's first ingest), two passes
 * cost 11-15% less than no warm-up in every round, one pass anywhere from 34% less to 22% more, four
 * 11-46% less; two keep the warm-up short (a fraction of a second of the worker's CPU) for a steady
 * gain. Wall time of the final form, five rounds in turn: 1,266 ms against 1,470 with none.
 */
export const WARM_UP_PASSES = 2;

const uuid = (kind: number, i: number) =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
const time = (i: number) => new Date(Date.UTC(2020, 0, 1) + i * 61_000).toISOString();

const MARKING = `marking-definition--${uuid(9, 1)}`;
const IDENTITY = `identity--${uuid(8, 1)}`;
const TLP_GREEN = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';

function object(i: number): Obj {
  const common = {
    created: time(i),
    modified: time(i + 1),
    created_by_ref: IDENTITY,
    object_marking_refs: i % 5 === 0 ? [TLP_GREEN] : [MARKING],
  };
  const refs = [
    {
      source_name: 'mitre-attack',
      url: `https://attack.mitre.org/techniques/T${1000 + i}`,
      external_id: `T${1000 + i}`,
    },
    {
      source_name: `Source ${i}`,
      description: `Author, A. (2020). A report on technique ${i}.`,
      url: 'https://example.com/r',
    },
  ];
  switch (i % 8) {
    case 0:
    case 1:
    case 2:
    case 3:
      // In the order of MITRE's ATT&CK files, the bulk input CERTs load most (four in five of its
      // objects are relationships): V8 optimises for the shapes it has seen.
      return {
        type: 'relationship',
        id: `relationship--${uuid(1, i)}`,
        created: common.created,
        created_by_ref: IDENTITY,
        external_references: refs.slice(1),
        object_marking_refs: common.object_marking_refs,
        modified: common.modified,
        description: `[Group ${i}](https://attack.mitre.org/groups/G${i}) has used "technique" ${i}.\n`,
        relationship_type: i % 2 ? 'uses' : 'mitigates',
        source_ref: `intrusion-set--${uuid(2, i)}`,
        target_ref: `attack-pattern--${uuid(3, i)}`,
        x_mitre_modified_by_ref: IDENTITY,
        x_mitre_deprecated: false,
        x_mitre_attack_spec_version: '3.2.0',
        ...(i % 7 === 0 ? { revoked: false } : {}),
        x_mitre_version: '1.0',
      };
    case 4:
      return {
        type: 'attack-pattern',
        id: `attack-pattern--${uuid(3, i)}`,
        created: common.created,
        created_by_ref: IDENTITY,
        external_references: refs,
        object_marking_refs: common.object_marking_refs,
        modified: common.modified,
        name: `Technique ${i}`,
        description: `Adversaries may do thing ${i}. `.repeat(8),
        kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }],
        x_mitre_attack_spec_version: '3.2.0',
        x_mitre_deprecated: false,
        x_mitre_detection: '',
        x_mitre_domains: ['enterprise-attack'],
        x_mitre_is_subtechnique: i % 3 === 0,
        x_mitre_modified_by_ref: IDENTITY,
        x_mitre_platforms: ['Windows', 'Linux'],
        x_mitre_version: '1.0',
      };
    case 5:
      return {
        type: i % 16 === 5 ? 'malware' : 'tool',
        id: `${i % 16 === 5 ? 'malware' : 'tool'}--${uuid(4, i)}`,
        ...common,
        name: `Software ${i}`,
        labels: [i % 16 === 5 ? 'backdoor' : 'remote-access'],
        external_references: refs,
      };
    case 6:
      return {
        type: 'indicator',
        spec_version: '2.1',
        id: `indicator--${uuid(5, i)}`,
        ...common,
        indicator_types: ['malicious-activity'],
        pattern: `[ipv4-addr:value = '10.0.${(i >> 8) & 255}.${i & 255}'] OR [file:hashes.'SHA-256' = '${'ab'.repeat(32)}']`,
        pattern_type: 'stix',
        valid_from: time(i),
      };
    default:
      if (i % 3 === 0) {
        return {
          type: i % 2 ? 'intrusion-set' : 'campaign',
          id: `${i % 2 ? 'intrusion-set' : 'campaign'}--${uuid(10, i)}`,
          ...common,
          name: `Group ${i}`,
          description: `Group ${i} is a threat group. `.repeat(3),
          aliases: [`Group ${i}`, `Alias ${i}`],
          ...(i % 2 ? {} : { first_seen: time(i), last_seen: time(i + 5) }),
          external_references: refs,
          x_mitre_deprecated: false,
          revoked: false,
        };
      }
      return {
        type: i % 3 === 1 ? 'x-mitre-analytic' : 'course-of-action',
        id: `${i % 3 === 1 ? 'x-mitre-analytic' : 'course-of-action'}--${uuid(6, i)}`,
        ...common,
        name: `Analytic ${i}`,
        description: 'Monitor for it.',
        external_references: refs.slice(0, 1),
        x_mitre_platforms: ['Windows'],
        x_mitre_deprecated: false,
      };
  }
}

/** The warm-up input: a STIX 2.0 bundle (spec_version last, as MITRE writes it), its marking first. */
function input(): Uint8Array {
  const objects: Obj[] = [
    {
      type: 'marking-definition',
      id: MARKING,
      created: time(0),
      definition_type: 'statement',
      definition: { statement: 'Warm-up' },
    },
    {
      type: 'identity',
      id: IDENTITY,
      created: time(0),
      modified: time(0),
      name: 'Warm-up',
      identity_class: 'organization',
    },
  ];
  for (let i = 1; i < WARM_UP_OBJECTS; i++) objects.push(object(i));
  const text = JSON.stringify({ type: 'bundle', id: `bundle--${uuid(7, 1)}`, objects, spec_version: '2.0' });
  // As MITRE writes its files: a space after each separator.
  return Buffer.from(text.replaceAll('","', '", "').replaceAll('":"', '": "'), 'utf8');
}

/**
 * Reads, upgrades and validates the warm-up input as an ingest would, in slices of `sliceBytes`,
 * `passes` times; returns how many objects one pass read and rejected (none: the input is made to
 * take the usual path).
 */
export async function warmUpPipeline(
  validator: StixValidator,
  sliceBytes: number,
  passes = WARM_UP_PASSES,
  batchSize = 500,
): Promise<{ read: number; rejected: number }> {
  const bytes = input();
  let last = { read: 0, rejected: 0 };
  for (let k = 0; k < passes; k++) last = await pass(validator, bytes, sliceBytes, batchSize);
  return last;
}

async function pass(
  validator: StixValidator,
  bytes: Uint8Array,
  sliceBytes: number,
  batchSize: number,
): Promise<{ read: number; rejected: number }> {
  async function* slices(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < bytes.byteLength; at += sliceBytes) yield bytes.subarray(at, at + sliceBytes);
  }
  const p = new Preparer(validator, new Set());
  const reader = readStixObjects(slices());
  let rejected = 0;
  for await (const elements of reader.batches()) {
    const spec = reader.header?.specVersion;
    for (const el of elements) {
      p.accept(el, spec);
      if (p.rows.length >= batchSize) packRows(p.rows.splice(0, batchSize));
      rejected += p.rejections.splice(0).length;
    }
  }
  await reader.container;
  p.finish();
  packRows(p.rows.splice(0));
  return { read: p.read, rejected: rejected + p.rejections.length + p.retracted.length };
}
