// A lead as it crosses to the helper worker: its memory (shared, so not copied) and how to read it.
import { ArrayLead, type Lead, type LeadInput } from '../dsp/lead';
import { StoredLead, type StoredSamples } from '../wfdb';

/** Physical values, or the stored samples with their gain and baseline. */
export type WireLead = Float32Array | StoredSamples;

/** The lead's wire form; null for a lead of another kind. */
export function toWire(lead: LeadInput): WireLead | null {
  if (lead instanceof Float32Array) return lead;
  if (lead instanceof ArrayLead) return lead.values;
  if (lead instanceof StoredLead) return lead.stored;
  return null;
}

export function fromWire(w: WireLead): Lead {
  return w instanceof Float32Array ? new ArrayLead(w) : new StoredLead(w);
}

/** The array holding the lead's samples. */
export function wireArray(w: WireLead): Float32Array | StoredSamples['samples'] {
  return w instanceof Float32Array ? w : w.samples;
}
