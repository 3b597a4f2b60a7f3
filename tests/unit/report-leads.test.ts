// A report's strips and full disclosure show the leads the analysis read: a record's ECG signal,
// not the blood pressure stored before it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRecord } from '../../src/main/analysis';
import { makeReport, sourceOf } from '../../src/main/report';
import { signalSpecs, synthesize } from '../../src/main/synth';
import { writeSynthSignals } from '../helpers/synth-record';

describe('report leads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-report-leads-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('draws the ECG lead on the strips, not a pressure signal stored first', async () => {
    const r = synthesize({ scenario: 'demo', minutes: 4, seed: 3 });
    const ecg = signalSpecs(r)[0]!;
    const path = await writeSynthSignals(dir, 'icu', r, ['ABP', { lead: 0 }]);
    const a = await analyzeRecord(path, { cacheDir: null, threads: 1 });
    expect(a.leads).toEqual([{ signal: 1, name: ecg.description }]);
    const { html, report } = await makeReport(path, sourceOf(a, null), { fullDisclosure: true });
    expect(report.record.signals).toEqual(['ABP', ecg.description]);
    expect(report.strips.length).toBeGreaterThan(0);
    // each strip names its one lead: the ECG
    const names = [...html.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(names).toContain(ecg.description);
    expect(names).not.toContain('ABP');
    // the full disclosure draws and names the ECG too
    expect(html).toContain(`Full disclosure — lead ${ecg.description},`);
  }, 120_000);

  it('draws the lead the analysis read when it left a flat one out', async () => {
    const r = synthesize({ scenario: 'demo', minutes: 4, seed: 3 });
    const specs = signalSpecs(r);
    const path = await writeSynthSignals(dir, 'off', r, [{ lead: 0, flat: true }, { lead: 1 }]);
    const a = await analyzeRecord(path, { cacheDir: null, threads: 1 });
    expect(a.leads).toEqual([{ signal: 1, name: specs[1]!.description }]);
    const { html, report } = await makeReport(path, sourceOf(a, null), { fullDisclosure: true });
    expect(report.strips.length).toBeGreaterThan(0);
    const names = [...html.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(names).toContain(specs[1]!.description);
    expect(names).not.toContain(specs[0]!.description);
    expect(html).toContain(`Full disclosure — lead ${specs[1]!.description},`);
  }, 120_000);
});
