// ONNX model files through the onnx.proto schema: decode, read and replace float32 initializers,
// atomic writes, the graph's nodes and in-memory copies with more outputs. The graph of a
// rewritten model file is the parent's, byte for byte.
export {
  OnnxError,
  FLOAT,
  modelType,
  decodeModel,
  encodeModel,
  readInitializers,
  replaceInitializers,
  readModelFile,
  writeModelFile,
  type FloatTensor,
} from './model';
export { readGraphNodes, withGraphOutputs, type GraphNode } from './graph';
export { ONNX_SCHEMA } from './schema';
