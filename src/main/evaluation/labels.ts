// Beat classes from MIT-BIH annotation codes: the AAMI EC57 mapping everyone in the app uses,
// and the mapping WFDB's bxb applies (which differs only for escape beats in its SVEB mode).
import type { AamiClass } from '../../shared/analysis';
import * as C from '../wfdb/codes';

const AAMI = new Map<number, AamiClass>([
  // N: normal, bundle branch block, atrial and nodal (junctional) escape beats
  [C.NORMAL, 'N'],
  [C.LBBB, 'N'],
  [C.RBBB, 'N'],
  [C.BBB, 'N'],
  [C.AESC, 'N'],
  [C.NESC, 'N'],
  [C.SVESC, 'N'],
  // S: atrial premature, aberrated atrial premature, nodal premature, supraventricular premature
  [C.APC, 'S'],
  [C.ABERR, 'S'],
  [C.NPC, 'S'],
  [C.SVPB, 'S'],
  // V: premature ventricular contraction (incl. R-on-T), ventricular escape
  [C.PVC, 'V'],
  [C.RONT, 'V'],
  [C.VESC, 'V'],
  // F: fusion of ventricular and normal
  [C.FUSION, 'F'],
  // Q: paced, fusion of paced and normal, unclassifiable, not classified during learning
  [C.PACE, 'Q'],
  [C.PFUS, 'Q'],
  [C.UNKNOWN, 'Q'],
  [C.LEARN, 'Q'],
]);

/**
 * AAMI EC57 class of an MIT-BIH beat code (N = N L R e j; S = A a J S; V = V E; F = F; Q = / f Q),
 * extended to the beat codes MIT-BIH does not use: B → N, n (SV escape) → N, r (R-on-T) → V,
 * ? (learning) → Q. Returns null for every non-beat code (rhythm, noise, comments, ...).
 */
export function aamiClassOf(code: number): AamiClass | null {
  return AAMI.get(code) ?? null;
}

/** True for the 19 beat (QRS) codes, exactly WFDB's isqrs(). */
export function isBeatCode(code: number): boolean {
  return AAMI.has(code);
}

/**
 * bxb's own label for a beat code (its amap()): as aamiClassOf, except that escape beats
 * e, j, n count as S, as bxb does when SVEB statistics are requested (-S, -L, -C).
 */
export function bxbClassOf(code: number): AamiClass | null {
  if (code === C.AESC || code === C.NESC || code === C.SVESC) return 'S';
  return AAMI.get(code) ?? null;
}

/** A representative MIT code per class, to turn class labels (e.g. a model's output) into annotations. */
export const CLASS_CODE: Readonly<Record<AamiClass, number>> = { N: C.NORMAL, S: C.APC, V: C.PVC, F: C.FUSION, Q: C.UNKNOWN };
