"""Shared helpers: seeding, dataset loading, ONNX export, hashing, manifest updates."""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import random
from pathlib import Path
from typing import Any

import numpy as np
import torch

OPSET = 17
# MIT-BIH DS2 (de Chazal 2004; src/main/dataset/splits.ts MITDB_DS2): the test records of both models,
# scored once after every choice; never training data. 202 is the patient of DS1's 201.
MITDB_DS2 = tuple("100 103 105 111 113 117 121 123 200 202 210 212 213 214 219 221 222 228 231 232 233 234".split())


def mitdb_ds2_records(db, names) -> list[str]:
    """The MIT-BIH DS2 records among (database, record name) pairs, sorted: what training must refuse."""
    return sorted({str(n) for d, n in zip(db, names) if str(d) == "mitdb" and str(n) in MITDB_DS2})


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(int(os.environ.get("HBS_THREADS", "2")))


def start_run(seed: int, out_dir: str | Path):
    """Seeds everything and makes the run folder (with parity/): (numpy Generator, torch Generator, out)."""
    seed_everything(seed)
    rng = np.random.default_rng(seed)
    g = torch.Generator().manual_seed(seed)
    out = Path(out_dir)
    (out / "parity").mkdir(parents=True, exist_ok=True)
    return rng, g, out


def load_dir(path: str | Path, names: list[str]) -> dict[str, Any]:
    """Loads `<name>.npy` for each name plus meta.json from a dataset directory."""
    p = Path(path)
    out: dict[str, Any] = {}
    for n in names:
        f = p / f"{n}.npy"
        if not f.exists():
            raise FileNotFoundError(f"{f}: missing (was `heartbeat-sensei dataset` run into {p}?)")
        out[n] = np.load(f, allow_pickle=False)
    meta = p / "meta.json"
    out["meta"] = json.loads(meta.read_text()) if meta.exists() else {}
    return out


def ema_update(ema: dict[str, torch.Tensor], model: torch.nn.Module, decay: float) -> None:
    """One step of the exponential moving average of a model's weights (buffers such as BatchNorm
    counters are copied as they are)."""
    with torch.no_grad():
        for k, v in model.state_dict().items():
            if v.dtype.is_floating_point:
                ema[k].mul_(decay).add_(v, alpha=1 - decay)
            else:
                ema[k].copy_(v)


def fit_epoch(model: torch.nn.Module, opt, sched, ema: dict[str, torch.Tensor] | None, decay: float, losses):
    """One training epoch: model.train(), then an optimiser step for each loss that `losses` yields
    (a generator computing one batch's loss at a time), the weights' EMA after each step, and the
    scheduler step. With EMA the averaged weights are then loaded for evaluation (and keeping);
    the live weights are returned so that the next epoch resumes from them.
    Returns (mean loss, live weights or None)."""
    model.train()
    tot, nb = 0.0, 0
    for loss in losses:
        opt.zero_grad()
        loss.backward()
        opt.step()
        if ema is not None:
            ema_update(ema, model, decay)
        tot += float(loss)
        nb += 1
    sched.step()
    live = None
    if ema is not None:
        live = {k: v.detach().clone() for k, v in model.state_dict().items()}
        model.load_state_dict(ema)
    return tot / max(nb, 1), live


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def today() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d")


def export_onnx(model: torch.nn.Module, args: tuple, path: str | Path, input_names: list[str],
                output_names: list[str]) -> None:
    """Exports in eval mode with a dynamic batch axis; a single self-contained file."""
    model.eval()
    dyn = {n: {0: "N"} for n in input_names + output_names}
    torch.onnx.export(model, args, str(path), input_names=input_names, output_names=output_names,
                      dynamic_axes=dyn, opset_version=OPSET, do_constant_folding=True,
                      export_params=True, keep_initializers_as_inputs=False)
    import onnx
    m = onnx.load(str(path))
    onnx.checker.check_model(m)


def onnx_io(path: str | Path) -> tuple[list[dict], list[dict]]:
    """Names, shapes ("N" for the dynamic batch) and dtypes of an ONNX file's inputs/outputs."""
    import onnx
    m = onnx.load(str(path))
    dt = {1: "float32", 7: "int64", 2: "uint8"}

    def info(vs):
        res = []
        for v in vs:
            t = v.type.tensor_type
            shape = [d.dim_param if d.dim_param else d.dim_value for d in t.shape.dim]
            res.append({"name": v.name, "shape": shape, "dtype": dt.get(t.elem_type, str(t.elem_type))})
        return res
    inits = {i.name for i in m.graph.initializer}
    return info([v for v in m.graph.input if v.name not in inits]), info(m.graph.output)


def update_manifest(manifest_path: str | Path, entry: dict) -> None:
    """Replaces (by id) or appends one model entry; keeps the others untouched."""
    p = Path(manifest_path)
    doc = json.loads(p.read_text()) if p.exists() else {"models": []}
    models = [m for m in doc.get("models", []) if m.get("id") != entry["id"]]
    models.append(entry)
    models.sort(key=lambda m: m["id"])
    doc["models"] = models
    p.write_text(json.dumps(clean_json(doc), indent=2, allow_nan=False, ensure_ascii=False) + "\n")


def save_npy(path: str | Path, arr: np.ndarray) -> None:
    np.save(str(path), np.ascontiguousarray(arr), allow_pickle=False)


def clean_json(v: Any) -> Any:
    """NaN/inf → null (JSON has no NaN; the TypeScript side parses these files), numpy → Python."""
    if isinstance(v, dict):
        return {str(k): clean_json(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [clean_json(x) for x in v]
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return f if np.isfinite(f) else None
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.ndarray):
        return clean_json(v.tolist())
    return v


def write_json(path: str | Path, obj: Any) -> None:
    Path(path).write_text(json.dumps(clean_json(obj), indent=2, allow_nan=False) + "\n")
