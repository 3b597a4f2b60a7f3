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
import { ModelError } from '../../src/main/inference/errors';
import { CancelledError } from '../../src/main/inference/cancel';
import { DspError } from '../../src/main/dsp/errors';
import { QrsError } from '../../src/main/qrs/errors';
import { BeatsError } from '../../src/main/beats/errors';
import { JobError } from '../../src/main/jobs/worker';
import { FileError } from '../../src/main/files/atomic';
import { httpStatusOf } from '../../src/main/bridge/status';
import { encodeWire } from '../../src/shared/wire';
import { bridgeAnswer, withTypedErrors } from '../../src/renderer/src/lib/api-errors';
import type { Api } from '../../src/shared/contract';

/** One error of each class in src/ (a new class belongs here). */
function oneOfEach(): HeartbeatError[] {
  return [
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
    new WfdbError('BAD_HEADER', '/d/x.hea', 'line 1'),
    new ModelError('HASH', '/m/beat.onnx', 'sha256 differs from the manifest'),
    new CancelledError(),
    new DspError('sampling rate must be a positive number, got 0'),
    new QrsError('no signal'),
    new BeatsError('R peaks must be strictly increasing'),
    new JobError('WORKER_EXIT', 'the analysis worker exited with code 1'),
    new FileError('IO', '/o/a.json', 'cannot write: disk full'),
  ];
}

describe('HeartbeatError', () => {
  it('every error class is a HeartbeatError with its own name and a code of the enum', () => {
    for (const e of oneOfEach()) {
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

  it('reads a code of the enum as it is, anything else as INTERNAL (or the fallback given)', () => {
    expect(errorCodeOf(new WfdbError('NOT_FOUND', '/d/x.hea', 'missing'))).toBe('NOT_FOUND');
    expect(errorCodeOf({ code: 'not-found' })).toBe('INTERNAL');
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
    expect(httpStatusOf(new WfdbError('NOT_FOUND', '/d/x.hea', 'missing'))).toBe(404);
    expect(httpStatusOf(new ExportError('CONFIRM_OVERWRITE', '/d/r.atr', 'replace?'))).toBe(409);
    expect(httpStatusOf(new WireFormatError('not JSON'))).toBe(400);
    expect(httpStatusOf(new Error('bug'))).toBe(500);
  });
});

describe('an error reaches the renderer with its code', () => {
  // The main side as the bridge answers (server.ts: toWireError, encodeWire, httpStatusOf) and the
  // renderer side as the bridge client reads the answer: a HeartbeatError with the same code and file.
  function acrossTheBridge(err: unknown): unknown {
    const text = encodeWire({ ok: false, error: toWireError(err) });
    try {
      return bridgeAnswer('app:info', httpStatusOf(err), text);
    } catch (e) {
      return e;
    }
  }

  it('through the loopback bridge, for every error class', () => {
    for (const sent of oneOfEach()) {
      const got = acrossTheBridge(sent);
      expect(got, sent.name).toBeInstanceOf(HeartbeatError);
      expect(got, sent.name).toMatchObject({ code: sent.code, message: sent.message, ...(sent.file ? { file: sent.file } : {}) });
    }
  });

  it('a fault that is no HeartbeatError arrives as INTERNAL, a refused token as FORBIDDEN, an answer that is no envelope as INTERNAL', () => {
    expect(acrossTheBridge(new TypeError('x is undefined'))).toMatchObject({ code: 'INTERNAL', message: 'x is undefined' });
    expect(() => bridgeAnswer('app:info', 401, 'bad token')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => bridgeAnswer('app:info', 200, '[1]')).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    expect(bridgeAnswer('app:info', 200, encodeWire({ ok: true, value: { version: '1' } }))).toEqual({ version: '1' });
  });

  it("through Electron's preload, whose plain Error carries the code: read back against the enum", async () => {
    const preload = (err: unknown): Api => ({
      invoke: () => Promise.reject(Object.assign(new Error(toWireError(err).message), toWireError(err))),
      on: () => () => {},
    });
    for (const sent of oneOfEach()) {
      const got = await withTypedErrors(preload(sent))
        .invoke('app:info', {})
        .catch((e: unknown) => e);
      expect(got, sent.name).toBeInstanceOf(HeartbeatError);
      expect(got, sent.name).toMatchObject({ code: sent.code, message: sent.message });
    }
    const odd = await withTypedErrors(preload(Object.assign(new Error('odd'), { code: 'made-up' })))
      .invoke('app:info', {})
      .catch((e: unknown) => e);
    expect(odd).toMatchObject({ code: 'INTERNAL', message: 'odd' });
  });
});
