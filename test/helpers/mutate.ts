// Random edits of real lines for the parsers' property tests: delete a slice, repeat it three times, or replace it
// with noise drawn from `units` (chosen rich in the separators the parser under test looks for).
import fc from 'fast-check';

export function mutatedLines(real: readonly string[], units: readonly string[]): fc.Arbitrary<string> {
  const noise = fc.string({ unit: fc.constantFrom(...units), maxLength: 12 });
  return fc.tuple(fc.constantFrom(...real), fc.array(fc.tuple(fc.nat(), fc.nat(40), noise, fc.constantFrom('del', 'dup', 'put')), { maxLength: 5 }))
    .map(([line, edits]) => {
      let s = line;
      for (const [pos, len, n, op] of edits) {
        const i = s.length === 0 ? 0 : pos % s.length;
        if (op === 'del') s = s.slice(0, i) + s.slice(i + len);
        else if (op === 'dup') s = s.slice(0, i) + s.slice(i, i + len).repeat(3) + s.slice(i);
        else s = s.slice(0, i) + n + s.slice(i + len);
      }
      return s;
    });
}
