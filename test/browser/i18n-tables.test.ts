/** The web UI's string tables: every English key in Russian and Chinese, with the same placeholders. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EN } from '../../web/src/i18n/en.js';
import { RU } from '../../web/src/i18n/ru.js';
import { ZH } from '../../web/src/i18n/zh.js';

const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

for (const [name, table] of [
  ['ru', RU],
  ['zh', ZH],
] as const) {
  test(`web UI strings: ${name} has every key, no other, with the same placeholders`, () => {
    assert.deepEqual(Object.keys(table).sort(), Object.keys(EN).sort());
    for (const [k, en] of Object.entries(EN)) {
      const s = (table as Record<string, string>)[k]!;
      assert.ok(s.trim().length > 0, `${name}: ${k} is empty`);
      assert.deepEqual(holes(s), holes(en), `${name}: ${k} placeholders differ from English`);
    }
  });
}

test('web UI strings: Russian and Chinese are translated, not English copies', () => {
  // Only names that read the same in every language (the product name, "UTC") may equal English.
  const same = (t: Record<string, string>) =>
    Object.entries(EN)
      .filter(([k, en]) => t[k] === en)
      .map(([k]) => k);
  assert.deepEqual(same(RU), ['app.title', 'time.utc']);
  assert.deepEqual(same(ZH), ['app.title', 'time.utc']);
});
