// Export never loses data: only beside the record or in a chosen folder, to a derived name, never
// a header or signal file of any record, never over a file that is not an earlier export of the
// same record without a confirmation naming it, with real paths compared (symlinks resolved);
// CSV cells safe for spreadsheets; import reads only review files and never echoes their bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile, readFile, readdir, realpath, symlink, copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeExport, importReview, ExportError } from '../../src/main/export';
import { csvParseRows } from 'd3-dsv';
import { reviewToCsv, csvToReview } from '../../src/main/export/csv';
import { dispatch, type HandlerContext } from '../../src/main/handlers';
import { createHandlerTable } from '../../src/main/table';
import { ExportFolders } from '../../src/main/export/folders';
import { recordContentHash } from '../../src/main/analysis/record';
import { openRecord } from '../../src/main/wfdb/record';
import { REVIEW_FORMAT, type ReviewExport } from '../../src/shared/review';
import { decodeWire, encodeWire } from '../../src/shared/wire';

let dir: string;
const HEA = 'rec 1 360 1000\nrec.dat 16 200 16 0 0 0 0 MLII\n';
const review = (hash: string): ReviewExport => ({
  format: REVIEW_FORMAT,
  version: 1,
  record: { name: 'rec', hash, fs: 360 },
  threshold: 0.5,
  exportedAt: '2026-12-04T10:00:00.000Z',
  reviewer: 'ana',
  beats: [{ sample: 100, label: 'V', status: 'confirmed', reviewer: 'ana', reviewedAt: '2026-12-04T09:00:00.000Z' }],
  episodes: [{ type: 'AF', onsetSample: 10, offsetSample: 900, confidence: 0.9, explanation: 'x', status: 'confirmed' }],
});
const ctx: HandlerContext = { transport: 'bridge', emit: () => undefined };

async function makeRecord(folder: string, name = 'rec', extra: Record<string, string | Uint8Array> = {}): Promise<string> {
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, `${name}.hea`), HEA.replaceAll('rec', name));
  await writeFile(join(folder, `${name}.dat`), new Uint8Array(2000));
  for (const [f, b] of Object.entries(extra)) await writeFile(join(folder, f), b);
  return join(folder, name);
}

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'hb-export-safety-')));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('export targets (issue 14 items 1–3)', () => {
  it("an export folder holding another record's files: never its .hea/.dat, its .atr only with a confirmation naming it", async () => {
    const a = await makeRecord(join(dir, 'a'));
    const other = join(dir, 'other');
    await makeRecord(other, 'rec', { 'rec.atr': new Uint8Array([1, 2, 3, 4]) });
    const places = { fallbackDir: join(dir, 'fb'), allowedDirs: () => [other] };
    for (const annotator of ['hea', 'dat', 'HEA']) {
      await expect(writeExport({ recordPath: a, format: 'wfdb', annotator, outDir: other, review: review('h') }, places)).rejects.toMatchObject({
        code: 'BAD_TARGET',
      });
    }
    const err = await writeExport({ recordPath: a, format: 'wfdb', annotator: 'atr', outDir: other, review: review('h') }, places).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExportError);
    expect(err).toMatchObject({ code: 'CONFIRM_OVERWRITE', file: join(other, 'rec.atr') });
    expect((err as Error).message).toContain(join(other, 'rec.atr'));
    // a confirmation naming another file confirms nothing
    await expect(
      writeExport({ recordPath: a, format: 'wfdb', annotator: 'atr', outDir: other, confirmOverwrite: join(a, '..', 'rec.atr'), review: review('h') }, places)
    ).rejects.toMatchObject({ code: 'CONFIRM_OVERWRITE' });
    expect(Array.from(await readFile(join(other, 'rec.atr')))).toEqual([1, 2, 3, 4]);
    expect((await readFile(join(other, 'rec.hea'), 'latin1')).startsWith('rec 1 360')).toBe(true);
    expect((await readFile(join(other, 'rec.dat'))).length).toBe(2000);
  });

  it('never a signal file any header of the target folder names, whatever its extension', async () => {
    const a = await makeRecord(join(dir, 'sig-a'));
    const b = join(dir, 'sig-b');
    await mkdir(b);
    // record x stores its samples in rec.rev and rec.review.csv
    await writeFile(join(b, 'x.hea'), 'x 2 360 1000\nrec.rev 16 200 16 0 0 0 0 I\nrec.review.csv 16 200 16 0 0 0 0 II\n');
    await writeFile(join(b, 'rec.rev'), new Uint8Array(2000).fill(7));
    await writeFile(join(b, 'rec.review.csv'), new Uint8Array(2000).fill(7));
    const places = { fallbackDir: join(dir, 'fb'), allowedDirs: () => [b] };
    await expect(writeExport({ recordPath: a, format: 'wfdb', annotator: 'rev', outDir: b, review: review('h') }, places)).rejects.toThrow(/signal file/);
    await expect(writeExport({ recordPath: a, format: 'csv', outDir: b, review: review('h') }, places)).rejects.toThrow(/signal file/);
    expect((await readFile(join(b, 'rec.rev'))).every((v) => v === 7)).toBe(true);
  });

  it('never a signal file whatever the case of its name (macOS, Windows: rec.rev is REC.REV)', async () => {
    const a = await makeRecord(join(dir, 'case-a'));
    const b = join(dir, 'case-b');
    await mkdir(b);
    await writeFile(join(b, 'x.hea'), 'x 1 360 1000\nREC.REV 16 200 16 0 0 0 0 I\n');
    await writeFile(join(b, 'Y.HEA'), 'y 1 360 1000\nrec.Review.Json 16 200 16 0 0 0 0 I\n');
    const places = { fallbackDir: join(dir, 'fb'), allowedDirs: () => [b] };
    await expect(writeExport({ recordPath: a, format: 'wfdb', annotator: 'rev', outDir: b, review: review('h') }, places)).rejects.toThrow(/signal file/);
    await expect(writeExport({ recordPath: a, format: 'json', outDir: b, review: review('h') }, places)).rejects.toThrow(/signal file/);
    expect((await readdir(b)).sort()).toEqual(['Y.HEA', 'x.hea']);
  });

  it('writes only beside the record or in a chosen folder; never creates folders; the record must exist', async () => {
    const a = await makeRecord(join(dir, 'only'));
    const places = { fallbackDir: join(dir, 'fb'), allowedDirs: () => [] };
    await mkdir(join(dir, 'unchosen'));
    await expect(writeExport({ recordPath: a, format: 'json', outDir: join(dir, 'unchosen'), review: review('h') }, places)).rejects.toMatchObject({
      code: 'BAD_TARGET',
    });
    await expect(writeExport({ recordPath: a, format: 'json', outDir: join(dir, 'new', 'deep'), review: review('h') }, places)).rejects.toMatchObject({
      code: 'BAD_TARGET',
    });
    expect(existsSync(join(dir, 'new'))).toBe(false);
    await expect(writeExport({ recordPath: join(dir, 'nowhere', 'rec'), format: 'json', review: review('h') }, places)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    expect((await readdir(join(dir, 'unchosen'))).length).toBe(0);
  });

  it('replaces its own earlier export silently, anything else (or an edited export) only when confirmed by name', async () => {
    const a = await makeRecord(join(dir, 'again'));
    const ledgerFile = join(dir, 'ledger.json');
    const places = { fallbackDir: join(dir, 'fb'), ledgerFile };
    await writeFile(join(dir, 'again', 'rec.rev'), 'not an export');
    await expect(writeExport({ recordPath: a, format: 'wfdb', annotator: 'rev', review: review('h1') }, places)).rejects.toMatchObject({
      code: 'CONFIRM_OVERWRITE',
      file: join(dir, 'again', 'rec.rev'),
    });
    const res = await writeExport(
      { recordPath: a, format: 'wfdb', annotator: 'rev', confirmOverwrite: join(dir, 'again', 'rec.rev'), review: review('h1') },
      places
    );
    expect(res.file).toBe(join(dir, 'again', 'rec.rev'));
    await writeExport({ recordPath: a, format: 'wfdb', annotator: 'rev', review: review('h1') }, places); // earlier export (ledger)
    // another record's export with the same name is not an earlier export of this one
    await expect(writeExport({ recordPath: a, format: 'wfdb', annotator: 'rev', review: review('h2') }, places)).rejects.toMatchObject({
      code: 'CONFIRM_OVERWRITE',
    });
    await writeFile(join(dir, 'again', 'rec.rev'), new Uint8Array([0, 0])); // edited by hand since
    await expect(writeExport({ recordPath: a, format: 'wfdb', annotator: 'rev', review: review('h1') }, places)).rejects.toMatchObject({
      code: 'CONFIRM_OVERWRITE',
    });
    // JSON/CSV exports carry the record's hash: recognised without a ledger
    await writeExport({ recordPath: a, format: 'json', review: review('h1') }, { fallbackDir: join(dir, 'fb') });
    await writeExport({ recordPath: a, format: 'json', review: review('h1') }, { fallbackDir: join(dir, 'fb') });
    await expect(writeExport({ recordPath: a, format: 'json', review: review('h2') }, { fallbackDir: join(dir, 'fb') })).rejects.toMatchObject({
      code: 'CONFIRM_OVERWRITE',
    });
    // with a ledger it decides: a JSON export of this record it did not write (another reviewer's,
    // elsewhere), or edited by hand since, is not an earlier export
    const json = join(dir, 'again', 'rec.review.json');
    await expect(writeExport({ recordPath: a, format: 'json', review: review('h1') }, places)).rejects.toMatchObject({ code: 'CONFIRM_OVERWRITE', file: json });
    await writeExport({ recordPath: a, format: 'json', confirmOverwrite: json, review: review('h1') }, places);
    await writeExport({ recordPath: a, format: 'json', review: review('h1') }, places);
    await writeFile(json, (await readFile(json, 'utf8')).replace('"reviewer"', '"reviewer" ').replace('}', ' }'));
    await expect(writeExport({ recordPath: a, format: 'json', review: review('h1') }, places)).rejects.toMatchObject({ code: 'CONFIRM_OVERWRITE', file: json });
  });

  it("symlinks: a folder link to the record's folder still guards its .atr; a file link is never written through", async () => {
    const a = await makeRecord(join(dir, 'linked'), 'rec', { 'rec.atr': new Uint8Array([9, 9]) });
    await symlink(join(dir, 'linked'), join(dir, 'via'));
    const places = { fallbackDir: join(dir, 'fb'), allowedDirs: () => [join(dir, 'via')] };
    await expect(writeExport({ recordPath: a, format: 'wfdb', annotator: 'atr', outDir: join(dir, 'via'), review: review('h') }, places)).rejects.toMatchObject(
      { code: 'CONFIRM_OVERWRITE', file: join(dir, 'linked', 'rec.atr') }
    );
    await expect(writeExport({ recordPath: join(dir, 'via', 'rec'), format: 'wfdb', annotator: 'atr', review: review('h') }, places)).rejects.toMatchObject({
      code: 'CONFIRM_OVERWRITE',
    });
    await symlink(join(dir, 'linked', 'rec.hea'), join(dir, 'linked', 'rec.review.json'));
    await expect(writeExport({ recordPath: a, format: 'json', review: review('h') }, places)).rejects.toMatchObject({ code: 'BAD_TARGET' });
    expect(Array.from(await readFile(join(dir, 'linked', 'rec.atr')))).toEqual([9, 9]);
    expect(await readFile(join(dir, 'linked', 'rec.hea'), 'latin1')).toBe(HEA);
  });

  it('through the handler table: outPath is refused, a __proto__ confirmation confirms nothing', async () => {
    const a = await makeRecord(join(dir, 'table'), 'rec', { 'rec.atr': new Uint8Array([5, 5]) });
    const table = createHandlerTable('bridge', { resourcesDir: join(dir, 'res'), dataDir: join(dir, 'data') }, new ExportFolders());
    await expect(
      dispatch(table, 'export:write', { recordPath: a, format: 'json', outPath: join(dir, 'table', 'rec.hea'), review: review('h') }, ctx)
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const body = encodeWire({ recordPath: a, format: 'wfdb', annotator: 'atr', review: review('h') }).replace(
      /^\{/,
      `{"__proto__": {"confirmOverwrite": ${JSON.stringify(join(dir, 'table', 'rec.atr'))}},`
    );
    await expect(dispatch(table, 'export:write', decodeWire(body), ctx)).rejects.toMatchObject({ code: 'CONFIRM_OVERWRITE' });
    // a payload that is not a plain object is refused before its schema reads inherited fields
    const smuggled = Object.assign(Object.create({ confirmOverwrite: join(dir, 'table', 'rec.atr') }) as object, {
      recordPath: a,
      format: 'wfdb',
      annotator: 'atr',
      review: review('h'),
    });
    await expect(dispatch(table, 'export:write', smuggled, ctx)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(Array.from(await readFile(join(dir, 'table', 'rec.atr')))).toEqual([5, 5]);
    // an earlier export is known by the record's content hash the main process computes
    const hash = await recordContentHash(await openRecord(a), `${a}.hea`);
    const r1 = (await dispatch(table, 'export:write', { recordPath: a, format: 'wfdb', annotator: 'rev', review: review('forged') }, ctx)) as { file: string };
    await dispatch(table, 'export:write', { recordPath: a, format: 'wfdb', annotator: 'rev', review: review('other') }, ctx);
    const ledger = JSON.parse(await readFile(join(dir, 'data', 'exports-ledger.json'), 'utf8')) as { files: Record<string, { record: string }> };
    expect(ledger.files[r1.file]!.record).toBe(hash);
  });
});

describe('CSV for spreadsheets (item 2)', () => {
  it('quotes every text cell and neutralises formula-leading ones; import gives the exact text back', () => {
    const nasty = ['=HYPERLINK("http://x","y")', '+1+1', '-2', '@SUM(A1)', '\tcmd', '\rx', "'=already", '$(touch /tmp/pwned)', 'plain, with "quotes"'];
    const r = review('h');
    r.episodes = nasty.map((explanation, i) => ({
      type: 'AF',
      onsetSample: i,
      offsetSample: i + 1,
      confidence: 0.5,
      explanation,
      status: 'confirmed',
      reviewer: nasty[i],
    }));
    const csv = reviewToCsv(r);
    const rows = csvParseRows(csv.split('\n').slice(2).join('\n')).filter((x) => x[0] === 'episode');
    for (const row of rows) for (const cell of [row[10]!, row[11]!]) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    for (const line of csv.split('\n').filter((l) => l.startsWith('episode'))) expect(line).toMatch(/,"[^"]*/);
    expect(csv).toContain('"$(touch /tmp/pwned)"');
    const back = csvToReview(csv, 'x.csv');
    expect(back.episodes.map((e) => [e.explanation, e.reviewer])).toEqual(nasty.map((n) => [n, n]));
  });
});

describe('import reads only review files, never echoes them (item 7)', () => {
  it('refuses non-review files without quoting their bytes', async () => {
    await mkdir(join(dir, 'imp'));
    await writeFile(join(dir, 'imp', 'secrets.json'), 'password=hunter2\n');
    await writeFile(join(dir, 'imp', 'secrets.csv'), '# password=hunter2&format=x\nkind\nhunter2,1\n');
    await writeFile(
      join(dir, 'imp', 'rows.csv'),
      `# format=${REVIEW_FORMAT}\nkind,sample,end_sample,time_s,label,status,predicted,pvc_score,reference,confidence,explanation,reviewer,reviewed_at\nhunter2,1\n`
    );
    await writeFile(join(dir, 'imp', 'passwd'), 'root:x:0:0:hunter2\n');
    for (const f of ['secrets.json', 'secrets.csv', 'rows.csv', 'passwd']) {
      const err = (await importReview(join(dir, 'imp', f), { name: '', hash: '', fs: 1 }).catch((e: unknown) => e)) as Error;
      expect(err.message).toContain(f);
      expect(err.message).not.toMatch(/hunter2|password|root/);
    }
  });

  it('refuses a FIFO or a folder named like a review without waiting on it', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [join(dir, 'imp', 'pipe.json')]);
    await mkdir(join(dir, 'imp', 'folder.csv'));
    await expect(importReview(join(dir, 'imp', 'pipe.json'), { name: '', hash: '', fs: 1 })).rejects.toThrow(/pipe\.json: not a regular file/);
    await expect(importReview(join(dir, 'imp', 'folder.csv'), { name: '', hash: '', fs: 1 })).rejects.toThrow(/folder\.csv: not a regular file/);
  });

  it("refuses a record's header and signal files", async () => {
    const a = await makeRecord(join(dir, 'imp2'));
    await writeFile(join(dir, 'imp2', 'y.hea'), 'y 1 360 1000\nrec.sig 16 200 16 0 0 0 0 I\n');
    await copyFile(`${a}.dat`, join(dir, 'imp2', 'rec.sig'));
    for (const f of ['rec.hea', 'rec.dat', 'rec.sig'])
      await expect(importReview(join(dir, 'imp2', f), { name: 'rec', hash: '', fs: 360 })).rejects.toThrow(/not a review file|signal file/);
  });
});
