// ONNX Runtime's Linux build (onnxruntime-node 1.30) starts Microsoft's telemetry when it first
// creates its environment: it reads /etc/machine-id and the process's command line (here, the paths
// of patients' records), keeps a device id under ~/.cache/Microsoft/DeveloperTools, and is built to
// upload over HTTPS. It also parses that command line recursively: `analyze` given ~1000 records
// (~38 KB of arguments) crashed with SIGSEGV. A clinical app sends nothing anywhere, so telemetry is
// off unless the user set ORT_DISABLE_TELEMETRY otherwise. ONNX Runtime reads the variable from the
// process environment when it first starts (lazily: after its import is fine), and only the main
// thread can change that environment (a worker's process.env is its own copy): so the process
// entries (the CLI, the Electron main process) and the one place that starts workers
// (jobs/new-worker.ts) import this, as do ./ort.ts (the app's one place that loads ONNX Runtime) and
// the scripts and tests that load it on their main thread; imported first inside a worker, it does nothing.
process.env.ORT_DISABLE_TELEMETRY ??= '1';

export {};
