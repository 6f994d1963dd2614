/**
 * Validation of one object as ingest needs it, split from the order-dependent decisions of the
 * Preparer, so that validation needs nothing of the input read so far (it was made for a second
 * validating thread, which measured slower on two cores and was not kept). Marking references resolve
 * here only to TLP and to the marking definitions already stored; the references left are listed,
 * and the Preparer resolves them, in input order, against the marking definitions of the input
 * read so far (`resolveWith`). The verdicts are those of validating with all of them at once: the
 * marking rule asks the resolver once per reference and raises one issue when it answers no, so
 * the k-th unresolved reference and the k-th `stix.marking_unresolved` issue go together.
 */
import { type StixIssue, type StixValidator, stixPatternProblem } from '../stix/index.js';

/** What validation found: undefined when the object is valid. */
export interface Checked {
  /** The errors, in the order validation raised them. */
  errors: StixIssue[];
  /** The marking references that did not resolve, in the order they were asked. */
  missing: string[];
}

const UNRESOLVED = 'stix.marking_unresolved';

export class Checker {
  private missing: string[] = [];
  /** One context for every validation (not an object per call). */
  private readonly context = {
    knownMarkings: (id: string): boolean => {
      if (this.storedMarkings.has(id)) return true;
      this.missing.push(id);
      return false;
    },
    // An indicator whose STIX pattern does not parse is refused with the parser's message.
    checkPattern: stixPatternProblem,
  };

  constructor(
    private readonly validator: StixValidator,
    private readonly storedMarkings: ReadonlySet<string>,
  ) {}

  check(value: unknown): Checked | undefined {
    this.missing = [];
    const r = this.validator.validate(value, this.context);
    return r.ok ? undefined : { errors: r.errors, missing: this.missing };
  }
}

/** `c` once the references among `markings` resolve: undefined when nothing is left. */
export function resolveWith(c: Checked, markings: ReadonlySet<string>): Checked | undefined {
  const { errors, missing } = c;
  if (missing.length === 0 || !missing.some((m) => markings.has(m))) return c;
  const keptErrors: StixIssue[] = [];
  const keptMissing: string[] = [];
  let k = 0;
  for (const e of errors) {
    if (e.rule !== UNRESOLVED) keptErrors.push(e);
    else {
      const ref = missing[k++] as string;
      if (!markings.has(ref)) {
        keptErrors.push(e);
        keptMissing.push(ref);
      }
    }
  }
  return keptErrors.length === 0 ? undefined : { errors: keptErrors, missing: keptMissing };
}

/** Whether every error is an unresolved marking reference (and there is one). */
export const onlyUnresolvedMarkings = (c: Checked): boolean =>
  c.missing.length > 0 &&
  c.missing.length === c.errors.length &&
  c.errors.every((e) => e.rule === UNRESOLVED);
