/**
 * One value or several under a key (callers add a value once per key), without an array for the
 * common single case: with a million indicators, most keys name one indicator, and an array per key
 * would cost ~40 MB more. ExactTable and the CIDR trie keep their values this way.
 */
export type Bucket<V> = V | V[];
