"""Heartbeat Sensei training pipeline (offline, CPU, PyTorch).

Reads only what `heartbeat-sensei dataset` writes (.npy + meta.json), trains the beat and rhythm
models with fixed seeds, exports ONNX (opset 17), and writes the model cards, plots and manifest
entries under models/. See training/README.md.
"""
