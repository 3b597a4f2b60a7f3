// The one error base: every error class of the main process carries a code of ErrorCode, which
// crosses IPC as it is (not INTERNAL), and the receiving side checks it against the same enum.
import { describe, expect, it } from 'vitest';
import { ErrorCode, HeartbeatError, errorCodeOf, fromWireError, toWireError } from '../../src/shared/errors';
import { CliError } from '../../src/cli/errors';
import { DatasetError } from '../../src/main/dataset/errors';
import { EvaluationError } from '../../src/main/evaluation/errors';
import { ExportError } from '../../src/main/export/target';
import { ReviewFileError } from '../../src/main/export/csv';
import { FinetuneError } from '../../src/main/finetune/data';
import { OnnxError } from '../../src/main/onnx/model';
import { ReportPrintError } from '../../src/main/report/pdf';
import { CorrectionsError } from '../../src/main/batch/corrections';
import { SummaryError } from '../../src/main/batch/summary';
import { RequestError } from '../../src/main/handlers';
import { WireFormatError } from '../../src/shared/wire';
import { WfdbError } from '../../src/main/wfdb/errors';
import { httpStatusOf } from '../../src/main/bridge/status';

describe('HeartbeatError', () => {
  it('every error class is a HeartbeatError with its own name and a code of the enum', () => {
    const errors = [
      new CliError('bad flag'),
      new DatasetError('/d/x.npy', 'bad magic'),
      new EvaluationError('unsorted'),
      new ExportError('CONFIRM_OVERWRITE', '/d/r.atr', 'replace?'),
      new ReviewFileError('/d/r.csv', 'no header'),
      new FinetuneError('TOO_FEW', 'three beats'),
      new OnnxError('PARSE', '/m/a.onnx', 'not protobuf'),
      new ReportPrintError('no Chromium'),
      new CorrectionsError('/r', 'none', 'NOT_FOUND'),
      new SummaryError('/o/a.json', 'not JSON', 'PARSE'),
      new RequestError('BAD_REQUEST', 'no'),
      new WireFormatError('not JSON'),
    ];
    for (const e of errors) {
      expect(e).toBeInstanceOf(HeartbeatError);
      expect(e.name).toBe(e.constructor.name);
      expect(ErrorCode.options).toContain(e.code);
      expect(errorCodeOf(e)).not.toBe('INTERNAL');
    }
  });

  it('keeps the file it concerns', () => {
    expect(new DatasetError('/d/x.npy', 'bad magic')).toMatchObject({ code: 'PARSE', file: '/d/x.npy', message: '/d/x.npy: bad magic' });
    expect(new ExportError('BAD_TARGET', '/d/r.hea', 'a header')).toMatchObject({ file: '/d/r.hea', message: 'a header' });
  });
});

describe('the wire', () => {
  it('carries code, message and file, and the receiving side gets the same error back', () => {
    const wire = toWireError(new ExportError('CONFIRM_OVERWRITE', '/d/r.atr', 'replace r.atr?'));
    expect(wire).toEqual({ code: 'CONFIRM_OVERWRITE', message: 'replace r.atr?', file: '/d/r.atr' });
    const back = fromWireError(JSON.parse(JSON.stringify(wire)));
    expect(back).toBeInstanceOf(HeartbeatError);
    expect(back).toMatchObject(wire);
  });

  it('reads kebab-case codes as the same word, anything unknown as INTERNAL (or the fallback given)', () => {
    expect(errorCodeOf(new WfdbError('not-found', '/d/x.hea', 'missing'))).toBe('NOT_FOUND');
    expect(errorCodeOf(new WfdbError('bad-header', '/d/x.hea', 'line 1'))).toBe('BAD_HEADER');
    expect(errorCodeOf(Object.assign(new Error('disk'), { code: 'ENOSPC' }))).toBe('INTERNAL');
    expect(errorCodeOf(new Error('plain'), 'ANALYSIS_FAILED')).toBe('ANALYSIS_FAILED');
    expect(toWireError('a string')).toEqual({ code: 'INTERNAL', message: 'a string' });
  });

  it('a code outside the enum does not pass the receiving side', () => {
    const e = fromWireError({ code: 'made-up', message: 'x' });
    expect(e.code).toBe('INTERNAL');
    expect(e.message).toContain('malformed error');
  });

  it('the bridge answers 4xx for the person’s mistakes and 500 for faults', () => {
    expect(httpStatusOf(new WfdbError('not-found', '/d/x.hea', 'missing'))).toBe(404);
    expect(httpStatusOf(new ExportError('CONFIRM_OVERWRITE', '/d/r.atr', 'replace?'))).toBe(409);
    expect(httpStatusOf(new WireFormatError('not JSON'))).toBe(400);
    expect(httpStatusOf(new Error('bug'))).toBe(500);
  });
});
