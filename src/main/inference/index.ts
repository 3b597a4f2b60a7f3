// ONNX Runtime in the main process (inside the analysis worker): verified model loading,
// CUDA → CPU provider choice with reasons, batched runs, cancellation.
export { ModelError, type ModelErrorCode } from './errors';
export { loadCatalog, defaultModelsDir, isPlainName, taskOf, ModelEntry, TensorSpec, type ModelCatalog, type ResolvedModel, type Task } from './manifest';
export { probeCuda, ortBinDir, effectivePreference, CUDA_PROVIDER_LIB, type CudaProbe, type ProviderPreference } from './providers';
export { openModel, sha256File, checkSignature, DEFAULT_INTRA_OP_THREADS, type LoadedModel, type SessionSettings } from './session';
export {
  runBeatModel,
  BeatModelRunner,
  runRhythmModel,
  requireRowShape,
  DEFAULT_BEAT_BATCH,
  DEFAULT_RHYTHM_BATCH,
  type BatchOptions,
  type BeatModelInput,
  type BeatOutputs,
} from './run';
export { CancelledError, checkpoint, SharedCancel, throwIfCancelled, type CancelToken } from './cancel';
