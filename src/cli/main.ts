// The CLI's process entry: `npm run cli` runs it through tsx, `npm run build:cli` bundles it to
// out/cli/main.js for bin/heartbeat-sensei.mjs. Exit codes: see EXIT_CODES in ./index.
import '../main/inference/no-telemetry'; // first: before anything loads ONNX Runtime or starts a worker
import { EXIT, main } from './index';

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  // main() answers bad input itself (exit 2); anything reaching here is a bug: show where.
  console.error(`heartbeat-sensei: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = EXIT.internal;
}
