// ONNX model files through the onnx.proto schema: decode, read and replace float32 initializers,
// atomic writes. The graph of a rewritten model is the parent's, byte for byte.
export { OnnxError, FLOAT, modelType, decodeModel, encodeModel, readInitializers, replaceInitializers, readModelFile, writeFileAtomic, type FloatTensor } from './model';
export { ONNX_SCHEMA } from './schema';
