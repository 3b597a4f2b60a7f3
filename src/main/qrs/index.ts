// QRS detection for records without reference beat annotations (see detector.ts for the method).
export { detectQrs, peaksWithin, DEFAULT_QRS_OPTIONS, type QrsOptions } from './detector';
export { leadFeatures, DEFAULT_FEATURES, type FeatureOptions, type LeadFeatures } from './features';
export { QrsError } from './errors';
export { chunkBeats, detectClaimedChunks, detectQrsInChunks, joinChunkBeats, qrsChunks, type ChunkOptions, type FrameReader, type QrsChunk } from './chunked';
export { fuseLeads, type Fusion } from './fusion';
