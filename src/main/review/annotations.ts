// An annotator's file as the columnar AnnotationSet the renderer draws and compares.
import type { AnnotationSet } from '../../shared/review';
import { AAMI_CLASSES } from '../../shared/analysis';
import { annotationPath, asRdann, readAnnotationFile, readAnnotations } from '../wfdb/annotations';
import { mnemonic } from '../wfdb/codes';
import { aamiClassOf } from '../evaluation/labels';

/** `at`: a record shown at a multiple `fs` of its frame rate `frameFs` (a multi-frequency record): times read at fs. */
export async function loadAnnotationSet(recordPath: string, annotator: string, at?: { fs: number; frameFs: number }): Promise<AnnotationSet> {
  const base = recordPath.endsWith('.hea') ? recordPath.slice(0, -4) : recordPath;
  const anns = at ? asRdann(await readAnnotationFile(annotationPath(base, annotator)), at.frameFs, at.fs) : await readAnnotations(base, annotator);
  const n = anns.length;
  const set: AnnotationSet = {
    annotator,
    sample: new Int32Array(n),
    code: new Uint8Array(n),
    aami: new Int8Array(n),
    symbol: new Array<string>(n),
    aux: new Array<string>(n),
  };
  anns.forEach((a, i) => {
    set.sample[i] = a.sample;
    set.code[i] = a.code;
    const cls = aamiClassOf(a.code);
    set.aami[i] = cls === null ? -1 : AAMI_CLASSES.indexOf(cls);
    set.symbol[i] = mnemonic(a.code);
    set.aux[i] = (a.aux ?? '').replace(/\0+$/, '');
  });
  return set;
}
