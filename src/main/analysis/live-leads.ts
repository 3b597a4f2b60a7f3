// The leads read, less a dead one: a lead flat for most of the record (src/main/quality/dead-lead.ts)
// is left out of the analysis and of its plan, which then reads the other lead alone.
import { deadLead, missingShare } from '../quality';
import type { Leads } from './leads';
import { withoutLead, type AnalysisPlan } from './plan';

export function keepLiveLeads(leads: Leads, plan: AnalysisPlan): { leads: Leads; plan: AnalysisPlan } {
  const dead = deadLead(leads.signals, plan.fs);
  if (!dead) return { leads, plan };
  const k = dead.index;
  const other = leads.names[1 - k];
  // mostly invalid samples: nothing was recorded on it, not an electrode off
  const missing = missingShare(leads.signals[k]!, plan.fs);
  const pct = (share: number) => `${Math.round(100 * share)} % of the record`;
  const what = 2 * missing >= dead.flatShare ? `no signal (invalid samples) on ${pct(missing)}` : `flat on ${pct(dead.flatShare)} (an electrode off?)`;
  const reason = `${what}: ${other} analysed alone`;
  return {
    leads: { signals: leads.signals.filter((_, j) => j !== k), names: leads.names.filter((_, j) => j !== k) },
    plan: withoutLead(plan, k, reason),
  };
}
