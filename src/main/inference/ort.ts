// ONNX Runtime's package, required as the CommonJS it is: through the ES module loader (an `import`)
// it took ~23 ms to load against ~12 ms (the loader wraps each of its files), paid by every process
// that scores beats (the CLI, the analysis workers). Types come from `import type` where used.
import './no-telemetry';
import { createRequire } from 'node:module';

export const ort: typeof import('onnxruntime-node') = createRequire(import.meta.url)('onnxruntime-node');
