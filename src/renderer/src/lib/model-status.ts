// Short status-bar wording for how each model ran (the full reason stays in the title and the
// info popover): CUDA reasons carry long library paths that would push the bar off screen.
import type { ModelUse } from '../../../shared/analysis';

export interface ModelStatus {
  /** e.g. "beat-pvc 1.0.0 · CPU — CUDA provider not installed", "rule-based fallback — model file missing". */
  short: string;
  /** The rules ran instead of the model: shown as a warning, as visibly as the model line. */
  fallback: boolean;
  /** Everything known, for the title and the popover. */
  full: string;
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

export function modelStatus(m: ModelUse): ModelStatus {
  const note = m.note ?? '';
  if (m.provider === 'rules') {
    return { short: `${m.task}: rule-based fallback — ${fallbackPhrase(note)}`, fallback: true, full: `${m.task}: rule-based fallback ${m.version} instead of the model${note ? `\n${note}` : ''}` };
  }
  const provider = m.provider === 'cuda' ? 'CUDA' : note ? `CPU — ${cudaPhrase(note)}` : 'CPU';
  return { short: `${m.task}: ${m.id} ${m.version} · ${provider}`, fallback: false, full: `${m.task}: ${m.id} ${m.version} on ${m.provider.toUpperCase()}${note ? `\n${note}` : ''}` };
}
