// The MIT-BIH inter-patient split of de Chazal, O'Dwyer & Reilly 2004 (../shared/data/README.md).
export const MITDB_DS1 = [
  '101',
  '106',
  '108',
  '109',
  '112',
  '114',
  '115',
  '116',
  '118',
  '119',
  '122',
  '124',
  '201',
  '203',
  '205',
  '207',
  '208',
  '209',
  '215',
  '220',
  '223',
  '230',
] as const;
export const MITDB_DS2 = [
  '100',
  '103',
  '105',
  '111',
  '113',
  '117',
  '121',
  '123',
  '200',
  '202',
  '210',
  '212',
  '213',
  '214',
  '219',
  '221',
  '222',
  '228',
  '231',
  '232',
  '233',
  '234',
] as const;
export const MITDB_PACED = ['102', '104', '107', '217'] as const;

export type MitdbSplit = 'DS1' | 'DS2' | 'paced';

/** The split of an MIT-BIH record, or null for other databases' records. */
export function mitdbSplit(db: string, name: string): MitdbSplit | null {
  if (db !== 'mitdb') return null;
  if ((MITDB_DS1 as readonly string[]).includes(name)) return 'DS1';
  if ((MITDB_DS2 as readonly string[]).includes(name)) return 'DS2';
  if ((MITDB_PACED as readonly string[]).includes(name)) return 'paced';
  return null;
}

/**
 * The rhythm model's record-wise split of CinC 2017, vfdb and cudb (training/hbs/rhythm.py, fixed
 * before training): recordings sorted by name, index i % 5 == 0 → test, i % 10 == 3 → validation,
 * the rest train.
 */
export type RhythmSplit = 'train' | 'validation' | 'test';
export function rhythmSplitOfIndex(i: number): RhythmSplit {
  return i % 5 === 0 ? 'test' : i % 10 === 3 ? 'validation' : 'train';
}

/** Names (sorted as the split sorts them) with their rhythm split. */
export function rhythmSplits(names: readonly string[]): { name: string; split: RhythmSplit }[] {
  return [...names].sort().map((name, i) => ({ name, split: rhythmSplitOfIndex(i) }));
}

/** Databases whose recordings the rhythm model splits by their index in name order. */
export const RHYTHM_INDEX_SPLIT_DBS = ['cinc2017', 'vfdb', 'cudb'] as const;

/**
 * Why a record is kept for the one-time test, so that nothing may be chosen on it, or null: an
 * MIT-BIH DS2 record (the test set of both models) or a cinc2017/vfdb/cudb recording in the rhythm
 * model's test split. `db` is the record's folder name (as RecordRef.db), `dbNames` the names of
 * the records in that folder (the split is by index in name order).
 */
export function heldForTest(db: string, name: string, dbNames: readonly string[]): string | null {
  if (mitdbSplit(db, name) === 'DS2') return 'an MIT-BIH DS2 record (the test set of the beat and rhythm models)';
  if ((RHYTHM_INDEX_SPLIT_DBS as readonly string[]).includes(db)) {
    const split = rhythmSplits(dbNames).find((r) => r.name === name)?.split;
    if (split === 'test') return `a test record of the rhythm model (${db}, index % 5 == 0 in name order)`;
  }
  return null;
}
