// The CLI's process entry: `npm run cli` runs it through tsx, `npm run build:cli` bundles it to
// out/cli/main.js for bin/heartbeat-sensei.mjs. Exit codes: see EXIT_CODES in ./index.
import '../main/inference/no-telemetry'; // first: before anything loads ONNX Runtime or starts a worker
import { releaseEarlyWorker, startAnalysisWorkerEarly } from '../main/analysis/early-worker';

const argv = process.argv.slice(2);
// the worker loads its modules on the second core while this thread loads the command (hence the import below)
if (argv[0] === 'analyze' && !argv.includes('--help') && !argv.includes('-h')) {
  try {
    startAnalysisWorkerEarly();
  } catch {
    // no worker now: `analyze` starts its own and reports why it cannot
  }
}
const { EXIT, main } = await import('./index');

try {
  process.exitCode = await main(argv);
} catch (err) {
  // main() answers bad input itself (exit 2); anything reaching here is a bug: show where.
  console.error(`heartbeat-sensei: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = EXIT.internal;
} finally {
  await releaseEarlyWorker(); // one the command never took (a bad option), once it has loaded
}
