/**
 * Compiles the TypeBox schemas with Ajv (JSON Schema 2020-12). Sub-schemas marked `x-shared`
 * (external references, hashes, extensions, the SCOs embedded in observed-data...) are compiled
 * once and referenced by `$ref`, which keeps the generated code small and compilation fast; types
 * are compiled on first use. The compiler also remembers, for every schema node, the nearest
 * `x-rule` annotation and which nodes lie under each anyOf/oneOf, so that issues.ts can name the
 * rule an Ajv error breaks.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { STIX_FORMATS } from './common.js';
import { fastKeywords, forChecking } from './fast-keywords.js';
import { stixPropertiesKeyword } from './property-rules.js';
import { isUri } from './uri.js';

type Node = Record<string, unknown>;
const PREFIX = 'stix:';

/** A type's two validators: a fast yes/no one, and one that explains a failure. */
export interface CompiledType {
  check: ValidateFunction;
  explain: ValidateFunction;
}

const newAjv = (explain: boolean): Ajv2020 => {
  // unicodeRegExp false: the published patterns use escapes (`\-`, `\"`) that the `u` flag rejects.
  // The explaining instance collects every error, each with its schema node (verbose), which names
  // the rule (see ruleOf); the checking one stops at the first and allocates little on success.
  const ajv = new Ajv2020({ strict: false, allErrors: explain, verbose: explain, unicodeRegExp: false });
  addFormats.default(ajv, ['uri', 'email']);
  // The same verdicts as ajv-formats' uri, with a fast path for plain http(s) urls (uri.ts).
  ajv.addFormat('uri', isUri);
  for (const [name, re] of Object.entries(STIX_FORMATS)) ajv.addFormat(name, re);
  ajv.addKeyword(stixPropertiesKeyword(explain));
  if (!explain) for (const k of fastKeywords()) ajv.addKeyword(k);
  return ajv;
};

export class SchemaCompiler {
  private readonly fast = newAjv(false);
  private readonly ajv = newAjv(true);
  private readonly pending = new Map<string, Node>();
  private readonly shared = new Map<string, Node>();
  private readonly ruleOfNode = new WeakMap<object, string | undefined>();
  private readonly reach = new WeakMap<object, Set<object>>();

  compile(schema: unknown): CompiledType {
    const root = this.externalize(schema, true) as Node;
    this.index(root, undefined);
    this.flush();
    let explain: ValidateFunction | undefined;
    const ajv = this.ajv;
    const check = this.fast.compile(forChecking(root) as Node);
    return {
      check,
      // Compiled when first needed: most types never see an invalid object.
      get explain() {
        explain ??= ajv.compile(root);
        return explain;
      },
    };
  }

  /** The rule code annotated nearest above (or on) the schema node of an error. */
  ruleOf(e: ErrorObject): string | undefined {
    return e.parentSchema ? this.ruleOfNode.get(e.parentSchema) : undefined;
  }

  /** Whether error `e` was raised inside a branch of the failed anyOf/oneOf `c`. */
  isInside(e: ErrorObject, c: ErrorObject): boolean {
    if (!e.parentSchema || !c.parentSchema || !e.instancePath.startsWith(c.instancePath)) return false;
    let set = this.reach.get(c.parentSchema);
    if (!set) {
      set = new Set();
      this.collect((c.parentSchema as Node)[c.keyword], set);
      this.reach.set(c.parentSchema, set);
    }
    return set.has(e.parentSchema);
  }

  private collect(node: unknown, into: Set<object>): void {
    if (!node || typeof node !== 'object' || into.has(node)) return;
    into.add(node);
    const ref = (node as Node).$ref;
    if (typeof ref === 'string' && ref.startsWith(PREFIX))
      this.collect(this.shared.get(ref.slice(PREFIX.length)), into);
    for (const v of Object.values(node)) this.collect(v, into);
  }

  private externalize(node: unknown, isRoot: boolean): unknown {
    if (Array.isArray(node)) return node.map((n) => this.externalize(n, false));
    if (!node || typeof node !== 'object') return node;
    const name = (node as Node)['x-shared'];
    if (!isRoot && typeof name === 'string') {
      if (!this.shared.has(name) && !this.pending.has(name)) this.pending.set(name, node as Node);
      return { $ref: PREFIX + name };
    }
    const out: Node = {};
    const propertyRules = (node as Node)['x-stix-properties'] === true;
    for (const [k, v] of Object.entries(node)) {
      // properties.json as one keyword (property-rules.ts) instead of patternProperties.
      if (propertyRules && (k === 'patternProperties' || k === 'additionalProperties')) continue;
      out[k] = this.externalize(v, false);
    }
    if (propertyRules) out.stixProperties = true;
    return out;
  }

  private flush(): void {
    while (this.pending.size > 0) {
      const [name, node] = this.pending.entries().next().value as [string, Node];
      this.pending.delete(name);
      const s = { ...(this.externalize(node, true) as Node), $id: PREFIX + name };
      this.shared.set(name, s);
      this.index(s, undefined);
      this.ajv.addSchema(s);
      this.fast.addSchema(forChecking(s) as Node);
    }
  }

  private index(node: unknown, inherited: string | undefined): void {
    if (Array.isArray(node)) {
      for (const n of node) this.index(n, inherited);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const own = (node as Node)['x-rule'];
    const rule = typeof own === 'string' ? own : inherited;
    if (!this.ruleOfNode.has(node)) this.ruleOfNode.set(node, rule);
    for (const v of Object.values(node)) this.index(v, rule);
  }
}
