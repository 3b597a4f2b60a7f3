// Which signals are ECG leads, and which two an analysis reads when not told (src/shared/ecg-leads.ts).
import { describe, expect, it } from 'vitest';
import { defaultEcgLeads, ecgSignals, isEcgSignal, readHeader } from '../../src/main/wfdb';
import { dataPath, needData } from '../helpers/data';
import { analysedLeads } from '../../src/main/analysis/leads';
import { failureStatus } from '../../src/main/batch/status';
import type { SignalSpec } from '../../src/main/wfdb';

const sig = (description: string, units = 'mV') => ({ description, units });
const TWELVE = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'].map((d) => sig(d));

describe('ECG leads of a record', () => {
  it('tells ECG leads from other modalities by description and by units', () => {
    for (const d of ['MLII', 'V1', 'ECG', 'ECG1', 'II', 'aVF', '', 'signal 0', 'CM5']) expect(isEcgSignal(sig(d)), d).toBe(true);
    for (const d of ['ABP', 'ART', 'PAP', 'CVP', 'RESP', 'Resp (nasal)', 'PLETH', 'SpO2', 'EEG (C4-A1)', 'EOG(L)', 'EMG', 'Thor', 'Abdo', 'HR', 'BP'])
      expect(isEcgSignal(sig(d)), d).toBe(false);
    expect(isEcgSignal(sig('channel 3', 'mmHg'))).toBe(false);
    expect(isEcgSignal(sig('channel 3', '%'))).toBe(false);
    expect(isEcgSignal(sig('channel 3', 'uV'))).toBe(true);
    expect(ecgSignals([sig('ABP', 'mmHg'), sig('II'), sig('RESP'), sig('V')])).toEqual([1, 3]);
  });

  it('reads two ECG leads in header order, as the model was trained (MIT-BIH 114 stores V5 before MLII)', () => {
    expect(defaultEcgLeads([sig('MLII'), sig('V1')])).toEqual([0, 1]);
    expect(defaultEcgLeads([sig('V5'), sig('MLII')])).toEqual([0, 1]);
    expect(defaultEcgLeads([sig('ECG')])).toEqual([0]);
  });

  it('leaves other modalities out: one ECG signal beside them is a single-lead record', () => {
    expect(defaultEcgLeads([sig('ECG'), sig('ABP', 'mmHg'), sig('RESP')])).toEqual([0]);
    expect(defaultEcgLeads([sig('PLETH'), sig('II'), sig('ABP'), sig('V')])).toEqual([1, 3]);
    expect(defaultEcgLeads([sig('ABP'), sig('RESP')])).toEqual([]);
  });

  it('takes lead II and the precordial lead nearest V1 from a 12-lead record', () => {
    expect(defaultEcgLeads(TWELVE)).toEqual([1, 6]);
    // no V1: V2 (the next most common second lead of the training records)
    const noV1 = TWELVE.filter((s) => s.description !== 'V1');
    expect(defaultEcgLeads(noV1).map((i) => noV1[i]!.description)).toEqual(['II', 'V2']);
    // modified leads of a Holter (MLII, MV1) rank as II and V1
    expect(defaultEcgLeads([sig('MV5'), sig('MV1'), sig('MLII')])).toEqual([2, 1]);
    // unnamed leads: the first two
    expect(defaultEcgLeads([sig('ECG1'), sig('ECG2'), sig('ECG3')])).toEqual([0, 1]);
    expect(defaultEcgLeads(TWELVE, 1)).toEqual([1]);
    // spelled out, with a monitor's generic chest lead
    expect(defaultEcgLeads([sig('ECG lead I'), sig('ECG lead II'), sig('ECG lead V')])).toEqual([1, 2]);
    expect(defaultEcgLeads([sig('I'), sig('ML II'), sig('V5'), sig('MCL1')])).toEqual([1, 3]);
    // no lead II: the first ECG signal, then the precordial lead nearest V1
    expect(defaultEcgLeads([sig('I'), sig('III'), sig('V2'), sig('V1')])).toEqual([0, 3]);
  });

  it('keeps only the signals named as ECG leads when any is, whatever the others are called', () => {
    // a sleep record: EEG electrodes by their positions (in µV), eye and chin channels, one ECG
    const sleep = [sig('C3-A2', 'uV'), sig('C4-A1', 'uV'), sig('ROC', 'uV'), sig('LOC', 'uV'), sig('ECG'), sig('Chin EMG', 'uV'), sig('Respiration')];
    expect(defaultEcgLeads(sleep)).toEqual([4]);
    // a driver-stress record: ECG beside skin conductance and heart rate
    expect(defaultEcgLeads([sig('ECG'), sig('EMG'), sig('foot GSR'), sig('hand GSR'), sig('HR', 'bpm'), sig('marker')])).toEqual([0]);
    expect(defaultEcgLeads([sig('Thorax'), sig('Abdominal'), sig('Plethysmogram', 'NU'), sig('ECG II')])).toEqual([3]);
    // nothing named as a lead: every signal that names no other modality
    expect(defaultEcgLeads([sig('sig 0'), sig('sig 1'), sig('SO2', '%')])).toEqual([0, 1]);
  });

  it('analysedLeads: the ECG leads by default, the ones asked for, a clear error for the rest', () => {
    const specs = [sig('ECG'), sig('ABP', 'mmHg'), sig('V2')] as unknown as SignalSpec[];
    expect(analysedLeads(specs, undefined, 'r')).toEqual([0, 2]);
    expect(analysedLeads(specs, [1], 'r')).toEqual([1]); // asked for: taken as given
    expect(analysedLeads(specs, [2, 0], 'r')).toEqual([2, 0]);
    expect(() => analysedLeads(specs, [3], 'rec/1')).toThrow(/rec\/1\.hea: no signal 3 \(the record has 3\)/);
    expect(() => analysedLeads(specs, [0, 1, 2], 'r')).toThrow(/one or two signal numbers/);
    const none = [sig('ABP', 'mmHg'), sig('')].map((s, i) => (i === 1 ? { ...s, description: 'PLETH' } : s)) as unknown as SignalSpec[];
    expect(() => analysedLeads(none, undefined, 'icu/7')).toThrow(/icu\/7\.hea: no ECG signal to analyse \(its signals: ABP, PLETH\)/);
    // problems of the record, not of the try: a batch reports them as bad input (exit 2), not as worth a retry
    for (const [leads, code] of [
      [undefined, 'IMPLAUSIBLE'],
      [[3], 'BAD_RANGE'],
    ] as const) {
      const err = (() => {
        try {
          analysedLeads(leads === undefined ? none : specs, leads ? [...leads] : undefined, 'icu/7');
        } catch (e) {
          return e as { code?: string };
        }
        return null;
      })();
      expect(err?.code).toBe(code);
      expect(failureStatus(err?.code)).toBe('bad-input');
    }
  });
});

describe.runIf(needData('wfdb-formats'))('ECG leads of real PhysioNet headers', () => {
  const leadsOf = async (name: string) => {
    const h = await readHeader(dataPath('wfdb-formats', name));
    return defaultEcgLeads(h.signals).map((i) => h.signals[i]!.description);
  };

  it('picks the ECG leads of ICU, fetal, 12-lead and three-limb-lead records', async () => {
    expect(await leadsOf('03700181')).toEqual(['MCL1']); // MIMIC: MCL1, ABP (mmHg), RESP
    expect(await leadsOf('a103l')).toEqual(['II', 'V']); // CinC 2015: II, V, PLETH (NU)
    expect(await leadsOf('v102s')).toEqual(['II', 'V']); // II, V, PLETH, RESP
    expect(await leadsOf('p10143')).toEqual(['FECG']); // FECG, UC (uterine contraction)
    expect(await leadsOf('s0010_re')).toEqual(['ii', 'v1']); // PTB: i … v6, vx, vy, vz
    expect(await leadsOf('100_3chan')).toEqual(['II', 'I']);
    expect(await leadsOf('100s')).toEqual(['MLII', 'V5']);
  });
});
