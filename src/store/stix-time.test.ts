import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatDateAdded, parseDateAddedUs, versionOrderKey } from './stix-time.js';

describe('date_added text', () => {
  it('always has six fractional digits and a Z', () => {
    assert.equal(formatDateAdded(0), '1970-01-01T00:00:00.000000Z');
    assert.equal(formatDateAdded(1_700_000_000_000_001n), '2023-11-14T22:13:20.000001Z');
    assert.equal(formatDateAdded(1_700_000_000_999_999), '2023-11-14T22:13:20.999999Z');
  });

  it('parses RFC 3339 with any precision or offset, truncating past microseconds', () => {
    assert.equal(parseDateAddedUs('2023-11-14T22:13:20Z'), 1_700_000_000_000_000n);
    assert.equal(parseDateAddedUs('2023-11-14T22:13:20.5Z'), 1_700_000_000_500_000n);
    assert.equal(parseDateAddedUs('2023-11-14T22:13:20.0000019Z'), 1_700_000_000_000_001n);
    assert.equal(parseDateAddedUs('2023-11-15T00:13:20.000001+02:00'), 1_700_000_000_000_001n);
    for (const bad of ['', '2023-11-14', '2023-11-14 22:13:20Z', 'yesterday', '2023-13-45T99:99:99Z']) {
      assert.equal(parseDateAddedUs(bad), undefined, bad);
    }
  });

  it('round-trips every microsecond value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 253_402_300_799_999_999n }), (us) => {
        assert.equal(parseDateAddedUs(formatDateAdded(us)), us);
      }),
    );
  });
});

describe('version order', () => {
  it('orders STIX timestamps by instant whatever their precision', () => {
    const k = versionOrderKey;
    assert.equal(k('2025-01-01T00:00:00Z'), k('2025-01-01T00:00:00.000Z'));
    assert.ok(k('2025-01-01T00:00:00Z') < k('2025-01-01T00:00:00.001Z'));
    assert.ok(k('2025-01-01T00:00:00.1Z') > k('2025-01-01T00:00:00.09Z'));
    assert.ok(k('') < k('2025-01-01T00:00:00Z'));
  });
});
