/**
 * A map from key to one value or several (callers add a value once per key), without an array for the common single case: with a
 * million indicators, most keys name one indicator, and an array per key would cost ~40 MB more.
 */
export type Bucket<V> = V | V[];

export function bucketAdd<K, V extends object>(map: Map<K, Bucket<V>>, key: K, value: V): void {
  const b = map.get(key);
  if (b === undefined) map.set(key, value);
  else if (Array.isArray(b)) b.push(value);
  else map.set(key, [b, value]);
}

/** Whether `value` was there under `key`. */
export function bucketRemove<K, V extends object>(map: Map<K, Bucket<V>>, key: K, value: V): boolean {
  const b = map.get(key);
  if (b === undefined) return false;
  if (!Array.isArray(b)) {
    if (b !== value) return false;
    map.delete(key);
    return true;
  }
  const i = b.indexOf(value);
  if (i < 0) return false;
  b.splice(i, 1);
  if (b.length === 1) map.set(key, b[0]!);
  return true;
}

export function bucketEach<V extends object>(b: Bucket<V> | undefined, fn: (v: V) => void): void {
  if (b === undefined) return;
  if (Array.isArray(b)) for (const v of b) fn(v);
  else fn(b);
}
