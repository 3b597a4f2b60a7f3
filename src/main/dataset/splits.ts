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
