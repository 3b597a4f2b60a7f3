// Short status-bar wording for how each model ran (the full reason stays in the title and the
// info popover): CUDA reasons carry long library paths that would push the bar off screen.
import type { ModelUse } from '../../../shared/analysis';
import { confidenceText } from '../../../shared/confidence';

export interface ModelStatus {
  /** e.g. "beat-pvc 1.0.0 · CPU — CUDA provider not installed", "rule-based fallback — model file missing". */
  short: string;
  /** The rules ran instead of the model: shown as a warning, as visibly as the model line. */
  fallback: boolean;
  /** Everything known, for the title and the popover. */
  full: string;
  /** A version fine-tuned on other records than the open one: shown as a warning (its threshold and layers are another patient's). */
  otherPatient?: boolean;
  /** The beat model is unsure of this record as a whole (ModelUse.confidence): shown as a warning. */
  unsure?: boolean;
}

/** The open record, to tell whether a fine-tuned version was adapted to it. */
export interface OpenRecord {
  name: string;
  hash?: string;
}

/** Why CUDA was not used, in three or four words. */
function cudaPhrase(note: string): string {
  if (/not installed/i.test(note)) return 'CUDA provider not installed';
  if (/no NVIDIA GPU/i.test(note)) return 'no NVIDIA GPU';
  if (/no CUDA build/i.test(note)) return 'no CUDA build for this OS';
  if (/session failed/i.test(note)) return 'CUDA failed to start';
  return 'CUDA unavailable';
}

/** Why the rule-based fallback ran, in a few words. */
function fallbackPhrase(note: string): string {
  if (/requested/i.test(note)) return 'requested';
  if (/sha256|corrupt|replaced/i.test(note)) return 'model file corrupt';
  if (/not found|ENOENT|missing/i.test(note)) return 'model file missing';
  if (/^no .*model/i.test(note)) return 'no model installed';
  return 'model unavailable';
}

export function modelStatus(m: ModelUse, open?: OpenRecord): ModelStatus {
  const s = baseStatus(m, open);
  if (!m.confidence) return s;
  const said = `${s.full}\n${confidenceText(m.confidence)}`;
  return m.confidence.unsure ? { ...s, short: `${s.short} · unsure of this record`, full: said, unsure: true } : { ...s, full: said };
}

function baseStatus(m: ModelUse, open?: OpenRecord): ModelStatus {
  const note = m.note ?? '';
  if (m.provider === 'rules') {
    return {
      short: `${m.task}: rule-based fallback — ${fallbackPhrase(note)}`,
      fallback: true,
      full: `${m.task}: rule-based fallback ${m.version} instead of the model${note ? `\n${note}` : ''}`,
    };
  }
  const provider = m.provider === 'cuda' ? 'CUDA' : note ? `CPU — ${cudaPhrase(note)}` : 'CPU';
  const s: ModelStatus = {
    short: `${m.task}: ${m.id} ${m.version} · ${provider}`,
    fallback: false,
    full: `${m.task}: ${m.id} ${m.version} on ${m.provider.toUpperCase()}${note ? `\n${note}` : ''}`,
  };
  if (!m.tunedOn?.length) return s;
  const names = m.tunedOn.map((r) => r.name).join(', ');
  // the same record: by content hash when both are known, else by name
  const mine = !!open && m.tunedOn.some((r) => (r.hash && open.hash ? r.hash === open.hash : r.name === open.name));
  if (mine) return { ...s, full: `${s.full}\nfine-tuned on this record's reviewed beats` };
  return {
    ...s,
    short: `${s.short} · tuned on ${names}`,
    otherPatient: true,
    full: `${s.full}\nfine-tuned on the reviewed beats of ${names}, not this record: its layers and PVC threshold are that patient's (roll back or activate the shipped model for other patients)`,
  };
}
