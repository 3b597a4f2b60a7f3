// ONNX Runtime's Linux build (onnxruntime-node 1.30) starts Microsoft's telemetry when it first
// creates its environment: it reads /etc/machine-id and the process's command line (here, the paths
// of patients' records), keeps a device id under ~/.cache/Microsoft/DeveloperTools, and is built to
// upload over HTTPS. It also parses that command line recursively: `analyze` given ~1000 records
// (~38 KB of arguments) crashed with SIGSEGV. A clinical app sends nothing anywhere, so telemetry is
// off unless the user set ORT_DISABLE_TELEMETRY otherwise. ONNX Runtime reads the variable from the
// process environment, which a worker thread cannot change: every process entry (the CLI, the
// Electron main process) imports this first; ONNX Runtime's importers do too, for scripts and tests.
process.env.ORT_DISABLE_TELEMETRY ??= '1';

export {};
