// The beat model's record-level confidence (src/main/analysis/confidence.ts) in words, for the CLI and the status bar.
import type { BeatConfidence } from './analysis';

export function confidenceText(c: BeatConfidence): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  return c.unsure
    ? `beat model unsure of this record: ${pct(c.ambiguousShare)} of beats have no class above ${c.level} (${pct(c.alert)} or fewer on 95 % of the records it was validated on); review more beats than usual`
    : `beat model confident: ${pct(c.ambiguousShare)} of beats ambiguous (alert above ${pct(c.alert)})`;
}
