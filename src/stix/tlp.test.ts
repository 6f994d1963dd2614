import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTlpMarkingId, TLP_MARKINGS, TLP1_IDS, TLP2_IDS, tlpMarkingDefinitions, tlpOf } from './tlp.js';

describe('TLP', () => {
  it('knows the nine well-known ids of DOMAIN.md', () => {
    assert.equal(TLP_MARKINGS.size, 9);
    assert.equal(TLP1_IDS.white, 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9');
    assert.equal(TLP2_IDS['amber+strict'], 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003');
    assert.ok(isTlpMarkingId(TLP2_IDS.clear));
    assert.ok(!isTlpMarkingId('marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168'));
  });

  it('reads the level of an object, mapping TLP 1.0 WHITE to CLEAR', () => {
    assert.equal(tlpOf({ object_marking_refs: [TLP1_IDS.white] }), 'clear');
    assert.equal(tlpOf({ object_marking_refs: [TLP1_IDS.green] }), 'green');
    assert.equal(tlpOf({ object_marking_refs: [TLP1_IDS.amber] }), 'amber');
    assert.equal(tlpOf({ object_marking_refs: [TLP1_IDS.red] }), 'red');
    assert.equal(tlpOf({ object_marking_refs: [TLP2_IDS['amber+strict']] }), 'amber+strict');
    assert.equal(
      tlpOf({ object_marking_refs: ['marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168'] }),
      undefined,
    );
    assert.equal(tlpOf({}), undefined);
  });

  it('takes the most restrictive of several TLP markings (sharing fails closed)', () => {
    assert.equal(tlpOf({ object_marking_refs: [TLP2_IDS.green, TLP1_IDS.red, TLP2_IDS.clear] }), 'red');
    assert.equal(tlpOf({ object_marking_refs: [TLP2_IDS.amber, TLP2_IDS['amber+strict']] }), 'amber+strict');
  });

  it('gives the exact marking definitions behind the ids', () => {
    const defs = tlpMarkingDefinitions();
    assert.equal(defs.length, 9);
    const amber = defs.find((d) => d.id === TLP2_IDS.amber);
    assert.deepEqual(amber, {
      type: 'marking-definition',
      spec_version: '2.1',
      id: TLP2_IDS.amber,
      created: '2022-10-01T00:00:00.000Z',
      name: 'TLP:AMBER',
      extensions: {
        'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': {
          extension_type: 'property-extension',
          tlp_2_0: 'amber',
        },
      },
    });
    const white = defs.find((d) => d.id === TLP1_IDS.white);
    assert.deepEqual(white?.definition, { tlp: 'white' });
    assert.equal(white?.name, 'TLP:WHITE');
  });
});
