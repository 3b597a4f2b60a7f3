// The Holter report of a 24-hour, 2-lead record (synthetic, 360 Hz, reference beats, rule analysis
// so the setup stays short; the report's work does not depend on which classifier labelled the
// beats): figures + page, printing to PDF, and the whole `report` path from a cached analysis.
// Target: under 10 s for the report (issue 17). Chromium: the tests' (tests/helpers/browser.ts).
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRecord } from '../src/main/analysis';
import { writeSynthRecord } from '../src/main/synth';
import { makeReport, printPdf, sourceOf } from '../src/main/report';
import { testBrowser } from '../tests/helpers/browser';
import type { BenchTable } from './harness';

const TARGET_SEC = 10;

export async function run(): Promise<BenchTable> {
  const title = 'Holter report of a 24-hour record (2 leads, 360 Hz, synthetic), seconds';
  const columns = ['report', 'page (figures, strips)', 'PDF (Chromium)', 'total', 'pages KB', `total < ${TARGET_SEC} s`];
  const browser = await testBrowser();
  const dir = await mkdtemp(join(tmpdir(), 'hb-report-'));
  try {
    const rec = join(dir, 'holter24');
    await writeSynthRecord(rec, { scenario: 'holter', minutes: 1440, seed: 3 });
    const a = await analyzeRecord(rec, { useRules: true, beats: 'reference', cacheDir: null });
    const rows: (string | number)[][] = [];
    for (const fullDisclosure of [false, true]) {
      const t0 = performance.now();
      const { html } = await makeReport(rec, sourceOf(a, null), { fullDisclosure });
      const t1 = performance.now();
      const pdf = await printPdf(html, 'A4', browser);
      const t2 = performance.now();
      await writeFile(join(dir, 'r.pdf'), pdf);
      const total = (t2 - t0) / 1000;
      rows.push([
        fullDisclosure ? 'with full disclosure' : 'summary + strips',
        (t1 - t0) / 1000,
        (t2 - t1) / 1000,
        total,
        Math.round((await stat(join(dir, 'r.pdf'))).size / 1024),
        fullDisclosure ? '(not targeted)' : total < TARGET_SEC ? 'yes' : 'NO',
      ]);
    }
    return { title, columns, rows, notes: [`${a.summary.beats} beats; analysis (not timed) by rules on the reference beats`] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
