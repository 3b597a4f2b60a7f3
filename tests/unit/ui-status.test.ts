// Status-bar wording of how the models ran: short phrases, the full reason kept for hover/popover.
import { describe, expect, it } from 'vitest';
import { modelStatus } from '../../src/renderer/src/lib/model-status';

const LONG =
  'CUDA not used: CUDA provider library libonnxruntime_providers_cuda.so is not installed in /work/main/node_modules/onnxruntime-node/bin/napi-v3/linux/x64 (CPU-only onnxruntime-node build)';

describe('model status wording', () => {
  it('shortens the CUDA reason and keeps it whole for the hover', () => {
    const s = modelStatus({ task: 'beat', id: 'beat-pvc', version: '1.0.0', provider: 'cpu', note: LONG });
    expect(s.short).toBe('beat: beat-pvc 1.0.0 · CPU — CUDA provider not installed');
    expect(s.short).not.toContain('/');
    expect(s.full).toContain(LONG);
    expect(s.fallback).toBe(false);
    expect(
      modelStatus({ task: 'beat', id: 'b', version: '1', provider: 'cpu', note: 'CUDA not used: no NVIDIA GPU visible (/dev/nvidia0 absent)' }).short
    ).toBe('beat: b 1 · CPU — no NVIDIA GPU');
    expect(modelStatus({ task: 'beat', id: 'b', version: '1', provider: 'cuda' }).short).toBe('beat: b 1 · CUDA');
    expect(modelStatus({ task: 'beat', id: 'b', version: '1', provider: 'cpu' }).short).toBe('beat: b 1 · CPU');
  });

  it('marks the rule-based fallback with a short reason', () => {
    const s = modelStatus({ task: 'rhythm', id: 'rules', version: '1', provider: 'rules', note: '/very/long/models/rhythm-af.onnx: model file not found' });
    expect(s).toMatchObject({ fallback: true, short: 'rhythm: rule-based fallback — model file missing' });
    expect(s.full).toContain('/very/long/models/rhythm-af.onnx');
    expect(modelStatus({ task: 'beat', id: 'rules', version: '1', provider: 'rules', note: 'rule-based fallback requested' }).short).toBe(
      'beat: rule-based fallback — requested'
    );
    expect(
      modelStatus({ task: 'beat', id: 'rules', version: '1', provider: 'rules', note: 'x.onnx: sha256 does not match the manifest (corrupt or replaced file)' })
        .short
    ).toBe('beat: rule-based fallback — model file corrupt');
  });

  it('warns when the active version was fine-tuned on another record, not on the open one', () => {
    const m = { task: 'beat' as const, id: 'beat-pvc-ft2', version: '2.1.0-ft.2', provider: 'cpu' as const, tunedOn: [{ name: '200', hash: 'aa' }] };
    const other = modelStatus(m, { name: '105', hash: 'bb' });
    expect(other).toMatchObject({ otherPatient: true, short: 'beat: beat-pvc-ft2 2.1.0-ft.2 · CPU · tuned on 200' });
    expect(other.full).toMatch(/not this record/);
    const same = modelStatus(m, { name: '200', hash: 'aa' });
    expect(same.otherPatient).toBeFalsy();
    expect(same.short).toBe('beat: beat-pvc-ft2 2.1.0-ft.2 · CPU');
    // the hash decides when both are known: a record renamed is still the same patient, a same-named one is not
    expect(modelStatus(m, { name: 'renamed', hash: 'aa' }).otherPatient).toBeFalsy();
    expect(modelStatus(m, { name: '200', hash: 'cc' }).otherPatient).toBe(true);
    expect(modelStatus({ ...m, tunedOn: [{ name: '200' }] }, { name: '200', hash: 'cc' }).otherPatient).toBeFalsy();
    expect(modelStatus({ task: 'beat', id: 'beat-pvc', version: '2.1.0', provider: 'cpu' }, { name: '105' }).otherPatient).toBeFalsy();
  });
});
