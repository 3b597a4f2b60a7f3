// Scripts that choose something (scripts/tune-vt.ts, scripts/tune-episodes.ts) refuse the records
// kept for the one-time test: MIT-BIH DS2 and the rhythm model's test recordings, however a path
// names them. Before, tune-vt compared full paths, so `cudb/cu01.hea` (a rhythm test record, given
// with its .hea) passed its guard and was scored as a training record; tune-episodes had no guard.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, heldForTest, refuseTestRecords, resolveRecords } from '../../src/main/dataset';
import { databaseOf } from '../../src/main/wfdb';

describe('records kept for the test', () => {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'hbs-test-records-'));
    const folders: Record<string, string[]> = {
      mitdb: ['101', '201', '202', '100'],
      cudb: Array.from({ length: 11 }, (_, i) => `cu${String(i + 1).padStart(2, '0')}`),
      clinic: ['202'],
    };
    for (const [db, names] of Object.entries(folders)) {
      mkdirSync(join(root, db));
      for (const n of names) writeFileSync(join(root, db, `${n}.hea`), `${n} 1 250 10\n`);
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('knows DS2 and the rhythm test split', () => {
    expect(heldForTest('mitdb', '202', [])).toMatch(/DS2/);
    expect(heldForTest('mitdb', '201', [])).toBeNull();
    expect(heldForTest('clinic', '202', ['202'])).toBeNull();
    const cudb = ['cu03', 'cu01', 'cu02', 'cu04', 'cu05', 'cu06'];
    expect(heldForTest('cudb', 'cu01', cudb)).toMatch(/rhythm model/); // index 0 in name order
    expect(heldForTest('cudb', 'cu06', cudb)).toMatch(/rhythm model/); // index 5
    expect(heldForTest('cudb', 'cu04', cudb)).toBeNull(); // index 3: validation
    expect(heldForTest('cudb', 'cu02', cudb)).toBeNull();
  });

  it('refuses a test record however its path is spelled, and lets the others through', () => {
    for (const p of ['cudb/cu01', 'cudb/cu01.hea', 'cudb/../cudb/cu06', 'cudb/cu11.hea', 'mitdb/202.hea', 'mitdb/100'])
      expect(() => refuseTestRecords([join(root, 'mitdb/101'), join(root, p)]), p).toThrow(DatasetError);
    expect(() => refuseTestRecords([join(root, 'cudb/cu01.hea')])).toThrow(/cu01\.hea: a test record of the rhythm model/);
    expect(() => refuseTestRecords(['mitdb/101', 'mitdb/201', 'cudb/cu02.hea', 'cudb/cu04', 'clinic/202'].map((p) => join(root, p)))).not.toThrow();
  });

  it('refuses a test record reached through a link to its folder under another name (before: let through)', () => {
    symlinkSync(join(root, 'cudb'), join(root, 'ventricular'));
    symlinkSync(join(root, 'mitdb'), join(root, 'mit'));
    expect(() => refuseTestRecords([join(root, 'ventricular/cu01')])).toThrow(/a test record of the rhythm model/);
    expect(() => refuseTestRecords([join(root, 'mit/202.hea')])).toThrow(/DS2/);
    expect(() => refuseTestRecords([join(root, 'ventricular/cu02'), join(root, 'mit/201')])).not.toThrow();
  });

  it("knows a record in PhysioNet's download layout (mitdb/1.0.0/202) by its database, not by the version folder", () => {
    mkdirSync(join(root, 'physionet', 'mitdb', '1.0.0'), { recursive: true });
    for (const n of ['201', '202']) writeFileSync(join(root, 'physionet', 'mitdb', '1.0.0', `${n}.hea`), `${n} 1 250 10\n`);
    expect(databaseOf(join(root, 'physionet/mitdb/1.0.0/202.hea'))).toBe('mitdb');
    expect(databaseOf(join(root, 'mitdb/202'))).toBe('mitdb');
    expect(resolveRecords([join(root, 'physionet/mitdb/1.0.0')]).map((r) => `${r.db}/${r.name}`)).toEqual(['mitdb/201', 'mitdb/202']);
    expect(() => refuseTestRecords([join(root, 'physionet/mitdb/1.0.0/202')])).toThrow(/DS2/);
    expect(() => refuseTestRecords([join(root, 'physionet/mitdb/1.0.0/201')])).not.toThrow();
  });
});
