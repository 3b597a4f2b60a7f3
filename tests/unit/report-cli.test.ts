// `heartbeat-sensei report`: the PDF has the expected pages, and its text carries the figures of
// `analyze --json` (no review) or of the review (a relabel changes them). Text by poppler's
// pdftotext, page sizes by pdfinfo; Chromium prints.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { annotationFileRecord } from '../../src/cli/commands/report';
import { analyzeRecord } from '../../src/main/analysis';
import { writeSynthRecord } from '../../src/main/synth';
import { holterReport, printPdf, recordOf, stateOfAnalysis } from '../../src/main/report';
import { openRecord } from '../../src/main/wfdb';
import { episodeName, type Analysis } from '../../src/shared/analysis';
import { testBrowser } from '../helpers/browser';
import { quiet } from '../helpers/cli-output';
import { unreviewedExport } from '../helpers/review';

function tool(name: string): boolean {
  try {
    execFileSync(name, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const ready = tool('pdftotext');
if (!ready) {
  const msg = 'report PDF tests need poppler-utils (pdftotext, pdfinfo)';
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`${msg}: skipped`);
}

const ANALYSIS = ['--rules', '--beats', 'atr', '--no-cache'];

const text = (pdf: string) => execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
const pageText = (pdf: string, n: number) => execFileSync('pdftotext', ['-layout', '-f', String(n), '-l', String(n), pdf, '-'], { encoding: 'utf8' });
function pages(pdf: string): { w: number; h: number }[] {
  const info = execFileSync('pdfinfo', ['-f', '1', '-l', '999', pdf], { encoding: 'utf8' });
  return [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)/gm)].map((m) => ({ w: Math.round(Number(m[1])), h: Math.round(Number(m[2])) }));
}

describe.runIf(ready)('heartbeat-sensei report', () => {
  let dir: string;
  let record: string;
  let a: Analysis;
  let strips: number;
  const saved = { ...process.env };

  beforeAll(async () => {
    // the CLI prints with the browser the tests use (an installed one, or the bundled Chromium)
    const b = await testBrowser();
    Object.assign(process.env, b.env, { CHROMIUM_PATH: b.path });
    dir = await mkdtemp(join(tmpdir(), 'hbs-report-'));
    record = join(dir, 'demo4');
    await writeSynthRecord(record, { scenario: 'demo', minutes: 4, seed: 3 });
    a = await analyzeRecord(record, { useRules: true, cacheDir: null, beats: 'reference' });
    const rec = await openRecord(record);
    strips = holterReport({ record: recordOf(rec), state: stateOfAnalysis(a), models: a.models }).strips.length;
    await rec.close();
  }, 120_000);
  afterAll(async () => {
    process.env = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it('without a review: pages (2 portrait, strips 2 per landscape page) and the analyze --json figures in the text', async () => {
    const json = await quiet(() => main(['analyze', record, ...ANALYSIS, '--out', join(dir, 'an'), '--json']));
    expect(json.value).toBe(0);
    const s = JSON.parse(json.out).summary as Analysis['summary'];
    expect(s.pvcCount).toBeGreaterThan(0);
    expect(s.afBurden).toBeGreaterThan(0);
    const pdf = join(dir, 'plain.pdf');
    const run = await quiet(() => main(['report', record, ...ANALYSIS, '--out', pdf]));
    expect(run.value, run.err).toBe(0);
    expect(strips).toBeGreaterThanOrEqual(4);
    // portrait summary pages (how many depends on the fonts: at least the summary page and the
    // hourly/trend page), then the strips two to a landscape page
    const p = pages(pdf);
    const portrait = p.findIndex((q) => q.w > q.h);
    expect(portrait).toBeGreaterThanOrEqual(2);
    for (const q of p.slice(0, portrait)) expect(q).toEqual({ w: 595, h: 842 });
    expect(p.slice(portrait)).toEqual(Array.from({ length: Math.ceil(strips / 2) }, () => ({ w: 842, h: 595 })));
    const first = pageText(pdf, 1);
    expect(first).toContain('Holter report');
    expect(first).toContain('Reviewed and signed:');
    expect(pageText(pdf, portrait)).toContain('RR tachogram');
    expect(pageText(pdf, portrait + 1)).toContain('Event strips');
    const t = text(pdf);
    expect(t).toMatch(new RegExp(`Total beats\\s+${s.beats}\\b`));
    expect(t).toMatch(new RegExp(`PVC count\\s+${s.pvcCount}\\b`));
    expect(t).toMatch(new RegExp(`AF burden\\s+${(100 * s.afBurden).toFixed(1)} %`));
    expect(t).toMatch(new RegExp(`Longest (pause|RR interval)\\s+${s.longestPauseSec.toFixed(2)} s`));
    expect(t).toMatch(new RegExp(`Mean heart rate\\s+${Math.round(s.meanHr)} bpm`));
    expect(t).toContain('not reviewed: model output');
    expect(t).toContain('Recording-level call (model)');
    expect(t).toContain(`${a.recording!.label} (${Math.round(100 * a.recording!.confidence)} %): `);
    expect(t).toContain('Longest VT run —');
    // beside the runs the scan settings count, the VT episodes of the rhythm list
    expect(t).toMatch(new RegExp(`VT episodes\\s+${a.episodes.filter((e) => episodeName(e) === 'VT').length}\\b`));
    expect(t).toMatch(new RegExp(`VF episodes\\s+${a.episodes.filter((e) => episodeName(e) === 'VF').length}\\b`));
  }, 120_000);

  it('with a review: the reviewer’s relabels and episode decisions change the counts', async () => {
    const r = unreviewedExport(a);
    const vs = r.beats.flatMap((b, i) => (b.label === 'V' ? [i] : [])).slice(0, 3);
    for (const i of vs) Object.assign(r.beats[i]!, { label: 'N', status: 'relabelled', reviewer: 'Dr Test' });
    for (const e of r.episodes) if (e.type === 'AF') e.status = 'rejected';
    // a VT episode the reviewer adds over no run of V labels: an episode, not a run
    const vtEpisodes = r.episodes.filter((e) => episodeName(e) === 'VT').length;
    r.episodes.push({
      type: 'VT',
      onsetSample: 360,
      offsetSample: 3600,
      confidence: 1,
      explanation: 'added by the reviewer',
      status: 'added',
      reviewer: 'Dr Test',
    });
    const file = join(dir, 'demo4.review.json');
    await writeFile(file, JSON.stringify(r));
    const pdf = join(dir, 'reviewed.pdf');
    const run = await quiet(() => main(['report', record, ...ANALYSIS, '--review', file, '--out', pdf, '--paper', 'Letter']));
    expect(run.value, run.err).toBe(0);
    const t = text(pdf);
    expect(t).toMatch(new RegExp(`PVC count\\s+${a.summary.pvcCount - 3}\\b`));
    expect(t).toMatch(/AF burden\s+0\.0 %/);
    expect(t).toMatch(/Reviewer\s+Dr Test/);
    expect(t).toMatch(new RegExp(`VT episodes\\s+${vtEpisodes + 1}\\b`));
    expect(pages(pdf)[0]).toEqual({ w: 612, h: 792 });
  }, 120_000);

  it('full disclosure adds the whole record, a minute per line', async () => {
    const pdf = join(dir, 'fd.pdf');
    const run = await quiet(() => main(['report', record, ...ANALYSIS, '--out', pdf, '--full-disclosure']));
    expect(run.value, run.err).toBe(0);
    // the strips' landscape pages, then one page of four minutes
    const p = pages(pdf);
    expect(p.filter((q) => q.w > q.h).length).toBe(Math.ceil(strips / 2) + 1);
    expect(pageText(pdf, p.length)).toContain('Full disclosure');
    const t = text(pdf);
    for (const m of ['00:00:00', '00:01:00', '00:02:00', '00:03:00']) expect(t).toContain(m);
  }, 120_000);

  it('prints with JavaScript off: a script in the page does not run (the report has none)', async () => {
    const html = '<!doctype html><p id="p">static text</p><script>document.getElementById("p").textContent = "script ran";</script>';
    const pdf = join(dir, 'script.pdf');
    await writeFile(pdf, await printPdf(html, 'A4', await testBrowser()));
    expect(text(pdf)).toContain('static text');
    expect(text(pdf)).not.toContain('script ran');
  });

  it('never writes over a file it was not told to, and refuses another record’s review', async () => {
    await writeFile(join(dir, 'demo4-report.pdf'), 'mine');
    const run = await quiet(() => main(['report', record, ...ANALYSIS]));
    expect(run.value).toBe(2);
    expect(run.err).toContain('demo4-report.pdf exists: name it with --out');
    const other = { ...unreviewedExport(a), record: { name: 'other', hash: 'f'.repeat(64), fs: a.fs } };
    await writeFile(join(dir, 'other.json'), JSON.stringify(other));
    const bad = await quiet(() => main(['report', record, ...ANALYSIS, '--review', join(dir, 'other.json'), '--out', join(dir, 'x.pdf')]));
    expect(bad.value).toBe(2);
    expect(bad.err).toContain('belongs to another record (other)');
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false);
    const t = await quiet(() => main(['report', record, '--threshold', '2', '--out', join(dir, 'x.pdf')]));
    expect(t.value).toBe(2);
    expect(t.err).toContain('--threshold must be within [0, 1], got 2');
    const late = await quiet(() => main(['report', record, ...ANALYSIS, '--strip', '99:00:00=late', '--out', join(dir, 'x.pdf')]));
    expect(late.value).toBe(2);
    expect(late.err).toMatch(/--strip 99:00:00: the record lasts/);
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false);
    // the record's own files, named as the outputs: refused before anything is written
    const own = await Promise.all(['hea', 'dat', 'atr'].map((x) => readFile(`${record}.${x}`)));
    for (const args of [
      ['--out', `${record}.hea`],
      ['--out', `${record}.dat`],
      ['--out', `${record}.atr`],
      ['--html', `${record}.hea`],
    ]) {
      const r = await quiet(() => main(['report', record, ...ANALYSIS, '--out', join(dir, 'x.pdf'), ...args]));
      expect(r.value, args.join(' ')).toBe(2);
      expect(r.err).toContain(`${args.join(' ')}: a record's file, not a place for the report`);
    }
    expect((await Promise.all(['hea', 'dat', 'atr'].map((x) => readFile(`${record}.${x}`)))).every((b, i) => b.equals(own[i]!))).toBe(true);
  }, 120_000);
});

// Refused before the analysis and the printing, so no PDF tools are needed.
describe('heartbeat-sensei report --review with an annotation file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hbs-report-ann-'));
    await writeSynthRecord(join(dir, 'rec1'), { scenario: 'normal', minutes: 1, seed: 1 });
    await writeSynthRecord(join(dir, 'rec2'), { scenario: 'pvc', minutes: 1, seed: 2 });
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names its record by its file name (<record>.<annotator>); a review export names it inside', () => {
    expect(annotationFileRecord('/x/100.rev')).toBe('100');
    expect(annotationFileRecord('/x/100.atr')).toBe('100');
    expect(annotationFileRecord('/x/100.review.json')).toBeNull();
    expect(annotationFileRecord('/x/100.review.CSV')).toBeNull();
  });

  it("refuses another record's annotation file: its beats would fill this record's report", async () => {
    const out = join(dir, 'x.pdf');
    const run = await quiet(() => main(['report', join(dir, 'rec1'), ...ANALYSIS, '--review', join(dir, 'rec2.atr'), '--out', out]));
    expect(run.value).toBe(2);
    expect(run.err).toContain('belongs to another record (rec2), not rec1');
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
