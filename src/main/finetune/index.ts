// Fine-tuning the beat model on reviewer corrections: the embedding layer and the head retrained on
// the features below them (the head alone where the model has no such layer), new ONNX versions in
// the user's registry, activation / rollback / deletion.
export { FinetuneError, isFinetuneErrorCode, fromReview, fromAnnotationFile, fromLabels, embedLabelled, type ReviewedBeats, type Embedded } from './data';
export { headProbs, weightedLoss, trainHead, DEFAULT_TRAIN, type Head, type Labelled, type TrainOptions, type TrainResult, type EpochPoint } from './head';
export { labelMetrics, countByClass } from './metrics';
export { rng, stratifiedSplit, shuffleInPlace } from './split';
export { netProbs, netHidden, netLoss, netLossGradient, trainNet, type Net, type Dense, type NetTrainResult } from './net';
export { findEmbeddingLayer, type EmbeddingLayer } from './layers';
export { ModelRegistry, activeBeatModel, defaultRegistryDir, type VersionEntry, type RegistryDoc } from './registry';
export { runFinetune, finetuneAndRegister } from './job';
export { FINETUNE_DEFAULTS, type FinetuneSettings, type JobHooks, type FinetuneProgressEvent, type FinetuneJobResult } from './settings';
export { loadParent, readHead, headParity, type Parent } from './parent';
export { buildTrainingSet, capConfirmed, type TrainingSet } from './training-set';
export { chooseThreshold, patientThreshold, recallFirstThreshold, heldOutTooFew, type ChosenThreshold } from './threshold';
export { writeVersion } from './version';
export { finetuneInWorker, type WrittenVersion } from './spawn';
export { FinetuneJobs } from './jobs';
export { finetuneHandlers, type FinetuneHandlers } from './handlers';
