// Execution providers: CUDA when its provider library ships with onnxruntime-node and an NVIDIA
// GPU is visible, else CPU — always with the reason CUDA was not used.
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ProviderPreference = 'auto' | 'cpu' | 'cuda';

export interface CudaProbe {
  available: boolean;
  /** Why CUDA cannot be used (absent when available). */
  reason?: string;
  /** Folder holding onnxruntime-node's native libraries. */
  ortBinDir?: string;
}

export const CUDA_PROVIDER_LIB = 'libonnxruntime_providers_cuda.so';

/** The folder of onnxruntime-node's native binding for this platform and architecture. */
export function ortBinDir(): string | undefined {
  try {
    const req = createRequire(import.meta.url);
    const pkg = dirname(req.resolve('onnxruntime-node/package.json'));
    const base = join(pkg, 'bin');
    for (const napi of existsSync(base) ? readdirSync(base) : []) {
      const d = join(base, napi, process.platform, process.arch);
      if (existsSync(d)) return d;
    }
  } catch {
    // resolved below as "not found"
  }
  return undefined;
}

function gpuVisible(): boolean {
  if (existsSync('/dev/nvidia0') || existsSync('/dev/nvidiactl')) return true;
  try {
    return readdirSync('/proc/driver/nvidia/gpus').length > 0;
  } catch {
    return false;
  }
}

/**
 * Cheap checks before asking ORT for CUDA (which would otherwise fail at session creation). The
 * reason says what to do: a GPU machine with the CPU-only build needs the provider library fetched.
 */
export function probeCuda(binDir: string | undefined = ortBinDir(), gpu: () => boolean = gpuVisible): CudaProbe {
  if (process.platform !== 'linux' && process.platform !== 'win32')
    return { available: false, reason: `onnxruntime-node has no CUDA build for ${process.platform}` };
  if (!binDir) return { available: false, reason: 'onnxruntime-node native folder not found' };
  const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : CUDA_PROVIDER_LIB;
  const visible = process.platform !== 'linux' || gpu();
  if (!existsSync(join(binDir, lib))) {
    const hint =
      process.platform === 'linux' && visible
        ? '; an NVIDIA GPU is visible: `node scripts/fetch-optional-binaries.mjs` with network access installs the provider'
        : '';
    return {
      available: false,
      reason: `CUDA provider library ${lib} is not installed in ${binDir} (CPU-only onnxruntime-node build)${hint}`,
      ortBinDir: binDir,
    };
  }
  if (!visible) return { available: false, reason: 'no NVIDIA GPU visible (/dev/nvidia0 absent)', ortBinDir: binDir };
  return { available: true, ortBinDir: binDir };
}

/** Forced CPU: the preference, or HEARTBEAT_PROVIDER=cpu in the environment. */
export function effectivePreference(p: ProviderPreference | undefined): ProviderPreference {
  const env = process.env.HEARTBEAT_PROVIDER;
  if (env === 'cpu' || env === 'cuda' || env === 'auto') return p && p !== 'auto' ? p : env;
  return p ?? 'auto';
}
