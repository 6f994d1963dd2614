import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { sharedData } from '../../../test/support/shared-data.js';
import { isParleyError } from '../errors.js';
import { openStixInput } from './open-input.js';
import { readStixObjects } from './read-stix-objects.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-json-stream-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `parts()` to a file through a write stream, honouring back-pressure. */
async function writeFile(file: string, parts: Iterable<string>): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  for (const p of parts) {
    bytes += Buffer.byteLength(p);
    if (!out.write(p)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

const rssMiB = (): number => process.memoryUsage().rss / 2 ** 20;

test('ATT&CK ICS 18.1 yields its 1,826 objects, deep-equal to JSON.parse of the file', async () => {
  const file = sharedData('mitre-attack', 'ics-attack-18.1.json');
  const reader = readStixObjects(createReadStream(file, { highWaterMark: 64 * 1024 }));
  const values: unknown[] = [];
  for await (const e of reader) {
    assert.equal(e.index, values.length);
    values.push(e.value);
  }
  const whole = JSON.parse(readFileSync(file, 'utf8')) as { id: string; objects: unknown[] };
  assert.equal(values.length, 1826);
  assert.deepEqual(values, whole.objects);
  assert.deepEqual(reader.header, { form: 'bundle', type: 'bundle', id: whole.id });
  const info = await reader.container;
  assert.equal(info.form, 'bundle');
  assert.equal(info.count, 1826);
  assert.equal(info.specVersion, undefined);
});

test("a STIX 2.0 bundle's spec_version written after the objects is reported at the end", async () => {
  const head = '{"type":"bundle","id":"bundle--1","objects":[{"type":"indicator","id":"indicator--1"}';
  const chunks = [head, ',{"type":"malware","id":"malware--1"}]', ',"spec_version":"2.0"}'];
  const reader = readStixObjects(Readable.from(chunks.map((c) => Buffer.from(c))));
  const seen: (string | undefined)[] = [];
  for await (const e of reader) seen.push(`${e.index}:${reader.header?.specVersion}`);
  assert.deepEqual(seen, ['0:undefined', '1:undefined']);
  assert.equal((await reader.container).specVersion, '2.0');
  // Written first, it is known before the first object.
  const first = readStixObjects(
    Readable.from(['{"spec_version":"2.0","type":"bundle","objects":[{"a":1}]}']),
  );
  for await (const _ of first) assert.equal(first.header?.specVersion, '2.0');
});

test('errors end the iteration and reject the container promise with the same error', async () => {
  const reader = readStixObjects(Readable.from([Buffer.from('[{"a":1},{"b":'), Buffer.from('2}')]));
  const got: unknown[] = [];
  await assert.rejects(
    (async () => {
      for await (const e of reader) got.push(e.value);
    })(),
    (e: unknown) => isParleyError(e) && e.code === 'input.truncated',
  );
  assert.deepEqual(got, [{ a: 1 }, { b: 2 }]);
  await assert.rejects(reader.container, (e: unknown) => isParleyError(e) && e.code === 'input.truncated');
});

test('stopping early closes the source and rejects the container promise with input.not_read', async () => {
  const source = Readable.from(['[{"a":1},', '{"a":2},', '{"a":3}]']);
  const reader = readStixObjects(source);
  for await (const e of reader) if (e.index === 0) break;
  assert.ok(source.destroyed);
  await assert.rejects(reader.container, (e: unknown) => isParleyError(e) && e.code === 'input.not_read');
  await assert.rejects(reader[Symbol.asyncIterator]().next(), /only once/);
});

test('a 100 MB single-line bundle streams with bounded memory', async (t) => {
  const file = path.join(dir, 'big.json');
  const pad = 'x'.repeat(800);
  const n = 120_000;
  function* parts() {
    yield '{"type":"bundle","id":"bundle--0","objects":[';
    let batch: string[] = [];
    for (let i = 0; i < n; i++) {
      batch.push(
        `${i ? ',' : ''}{"type":"indicator","spec_version":"2.1","id":"indicator--${i}","pattern":"[file:name = '${i}.exe']","description":"${pad} \\"é\\" }]"}`,
      );
      if (batch.length === 1000) {
        yield batch.join('');
        batch = [];
      }
    }
    yield `${batch.join('')}]}`;
  }
  const size = await writeFile(file, parts());
  assert.ok(size > 100 * 2 ** 20, `file is ${size} bytes`);
  // In this process: RSS hardly moves.
  const start = rssMiB();
  let peak = start;
  let count = 0;
  const reader = readStixObjects(createReadStream(file, { highWaterMark: 256 * 1024 }));
  for await (const batch of reader.batches()) {
    count += batch.length;
    peak = Math.max(peak, rssMiB());
  }
  assert.equal(count, n);
  assert.equal((await reader.container).bytes, size);
  const growth = peak - start;
  t.diagnostic(`RSS growth ${growth.toFixed(0)} MiB for ${(size / 2 ** 20).toFixed(0)} MiB`);
  assert.ok(
    growth < 60,
    `RSS grew by ${growth.toFixed(0)} MiB while streaming ${(size / 2 ** 20).toFixed(0)} MiB`,
  );
  // In a fresh process whose V8 old space is capped at 32 MiB: holding the input would abort it.
  const child = streamInFreshProcess(file, 32);
  t.diagnostic(`fresh process: peak RSS ${child.peakRss.toFixed(0)} MiB`);
  assert.equal(child.n, n);
  assert.ok(child.peakRss < 160, `peak RSS ${child.peakRss.toFixed(0)} MiB`);
  await rm(file);
});

/** Streams `file` in `node --max-old-space-size=<cap>`; returns the count and peak RSS (VmHWM). */
function streamInFreshProcess(file: string, capMiB: number): { n: number; peakRss: number } {
  const module = new URL('./index.ts', import.meta.url).href;
  const code = `
    import { createReadStream, readFileSync } from 'node:fs';
    import { readStixObjects } from ${JSON.stringify(module)};
    const reader = readStixObjects(createReadStream(process.argv[1], { highWaterMark: 256 * 1024 }));
    let n = 0;
    for await (const batch of reader.batches()) n += batch.length;
    const hwm = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    console.log(JSON.stringify({ n, peakRss: Number(hwm[1]) / 1024 }));`;
  const args = [`--max-old-space-size=${capMiB}`, '--import', 'tsx', '--input-type=module', '-e', code, file];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { n: number; peakRss: number };
}

test('a 50 MB single object is refused quickly with input.object_too_large, memory bounded', async () => {
  const file = path.join(dir, 'one-object.json');
  const mib = 'a'.repeat(2 ** 20);
  function* parts() {
    yield '{"type":"bundle","id":"bundle--0","objects":[{"type":"note","id":"note--1","content":"';
    for (let i = 0; i < 50; i++) yield mib;
    yield '"}]}';
  }
  await writeFile(file, parts());
  const start = rssMiB();
  const t0 = performance.now();
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  await assert.rejects(
    (async () => {
      for await (const _ of readStixObjects(stream)) assert.fail('no element expected');
    })(),
    (e: unknown) =>
      isParleyError(e) &&
      e.code === 'input.object_too_large' &&
      /limit of 16777216 bytes/.test(e.message) &&
      (e.details as { offset: number }).offset === 45 + 16 * 2 ** 20,
  );
  const ms = performance.now() - t0;
  assert.ok(stream.destroyed, 'the file is closed without reading the rest');
  assert.ok(stream.bytesRead < 20 * 2 ** 20, `read ${stream.bytesRead} bytes`);
  assert.ok(ms < 6000, `took ${ms.toFixed(0)} ms`); // loose: shared CI machines; bytesRead is the proof
  assert.ok(rssMiB() - start < 40, `RSS grew by ${(rssMiB() - start).toFixed(0)} MiB`);
  await rm(file);
});

test('a source that fails is reported as input.read_failed', async () => {
  const reader = readStixObjects(createReadStream(path.join(dir, 'no-such-file.json')));
  await assert.rejects(
    (async () => {
      for await (const _ of reader) assert.fail('no element expected');
    })(),
    (e: unknown) => isParleyError(e) && e.code === 'input.read_failed' && /ENOENT/.test(e.message),
  );
  await assert.rejects(reader.container, /ENOENT/);
});

test('openStixInput reads a file, or the given standard input for -', async () => {
  const stdin = Readable.from(['[{"type":"note"}]']);
  assert.equal(openStixInput('-', stdin), stdin);
  const file = sharedData('mitre-attack', 'ics-attack-18.1.json');
  let n = 0;
  for await (const batch of readStixObjects(openStixInput(file)).batches()) n += batch.length;
  assert.equal(n, 1826);
});

test('string chunks and plain async iterables are accepted', async () => {
  async function* gen() {
    yield '{"more":false,"objects":[{"type":"note","content":"é';
    yield new Uint8Array(Buffer.from('"}]}'));
  }
  const reader = readStixObjects(gen());
  const got = [];
  for await (const e of reader) got.push(e.raw);
  assert.deepEqual(got, ['{"type":"note","content":"é"}']);
  assert.equal((await reader.container).form, 'envelope');
});
