"""Int8 convolutions for an exported beat model (QDQ format), so ONNX Runtime runs them as integer
kernels (QLinearConv: VNNI/AMX where the CPU has them) instead of float32.

  /usr/bin/python3 -m hbs.quantize --model run/beat-pvc.onnx --data W/ds1 W/svdb --out beat-pvc.int8.onnx

Only the convolution trunk is quantized, the part that costs: each Conv gets its input through a
QuantizeLinear/DequantizeLinear pair (uint8, the range the calibration beats reach, zero included),
its weights as int8 per output channel and its bias as int32 (scale input × weight), and the Relu
after it a uint8 pair from 0 to the largest value the calibration beats reach (no clipping: no
parameter to choose). Weights use 7 bits (±63): x86 CPUs without VNNI multiply uint8 by int8 in
pairs summed into int16 (vpmaddubsw), which saturates past 32767 with 8-bit weights (255·127·2)
and would make those machines' results differ. The RR branch, the embedding layer and the head stay
float32, so fine-tuning rewrites the same initializers as before.

Calibration beats: --n rows drawn (--seed) from the training datasets given, lead input as the app
gives it (hbs.beat_model.app_lead_input), a fifth of them with lead 1 absent (the single-lead input);
--exclude names records the model never saw (a fold model's held-out records) so no range comes from
them. Deterministic for the same inputs."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import helper, numpy_helper


WEIGHT_MAX = 63  # 7-bit weights: see the module note
SINGLE_LEAD_SHARE = 0.2


def calibration_rows(win: np.ndarray, tpl: np.ndarray | None, names: np.ndarray, exclude: set[str], n: int,
                     seed: int) -> dict[str, np.ndarray]:
    """The model's image inputs (`window`, and `template` when it takes one) for --n beats drawn from
    rows whose record is not excluded, lead input already as the app gives it; a fifth of them then
    get lead 1 absent (the single-lead input)."""
    rng = np.random.default_rng(seed)
    pool = np.nonzero(~np.isin(names, sorted(exclude)))[0]
    if len(pool) == 0:
        raise SystemExit("no calibration beats left after excluding the held-out records")
    pick = np.sort(rng.choice(pool, size=min(n, len(pool)), replace=False))
    one = rng.random(len(pick)) < SINGLE_LEAD_SHARE
    feeds = {"window": win[pick].astype(np.float32)}
    if tpl is not None:
        feeds["template"] = tpl[pick].astype(np.float32)
    for x in feeds.values():
        x[one, 1] = 0
    return feeds


def calibration_beats(dirs: list[str], exclude: set[str], n: int, seed: int) -> dict[str, np.ndarray]:
    """calibration_rows over beat datasets (`heartbeat-sensei dataset` directories), read as the
    trainer reads them (hbs.beats.load_one: the app's lead input, record names)."""
    from .beats import load_one  # hbs.beats imports this module
    parts = [load_one(p, True) for p in dirs]
    return calibration_rows(np.concatenate([x[1] for x in parts]), np.concatenate([x[6] for x in parts]),
                            np.concatenate([x[4] for x in parts]), exclude, n, seed)


def _attrs(node) -> dict:
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def trunk_ranges(model: onnx.ModelProto, feeds: dict[str, np.ndarray]) -> dict[str, tuple[float, float]]:
    """The lowest and highest value of every Conv input and every Conv's Relu output over the feeds:
    the graph evaluated node by node up to its last Relu after a Conv. Knows the ops the beat
    model's convolution trunk is made of and refuses any other there."""
    init = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in model.graph.initializer}
    env: dict[str, torch.Tensor] = {k: torch.from_numpy(v) for k, v in feeds.items()}
    env.update(init)
    nodes = list(model.graph.node)
    last = max(i for i, nd in enumerate(nodes) if nd.op_type == "Relu" and _producer(nodes, nd.input[0]) == "Conv")
    ranges: dict[str, tuple[float, float]] = {}
    with torch.no_grad():
        for nd in nodes[: last + 1]:
            if any(i not in env for i in nd.input if i):
                continue  # a branch the trunk does not need (the RR features)
            x = [env[i] for i in nd.input if i]
            a = _attrs(nd)
            op = nd.op_type
            if op == "Div":
                y = x[0] / x[1]
            elif op == "Sub":
                y = x[0] - x[1]
            elif op == "Concat":
                y = torch.cat(x, dim=a["axis"])
            elif op == "Constant":
                y = torch.from_numpy(numpy_helper.to_array(a["value"]).copy())
            elif op == "Pad":
                pads = [int(p) for p in x[1].tolist()]
                if any(pads) or a.get("mode", b"constant") not in (b"constant", "constant"):
                    raise SystemExit(f"{nd.name}: a Pad that pads is not supported")
                y = x[0]
            elif op == "AveragePool":
                _plain_pool(nd, a)
                y = F.avg_pool1d(x[0], a["kernel_shape"][0], a["strides"][0])
            elif op == "Conv":
                ranges[nd.input[0]] = (float(x[0].min()), float(x[0].max()))
                p = a.get("pads", [0, 0])
                if p[0] != p[1] or a.get("group", 1) != 1 or list(a.get("dilations", [1])) != [1] or _auto_pad(a):
                    raise SystemExit(f"{nd.name}: only symmetric, ungrouped, undilated Conv with explicit pads is supported")
                y = F.conv1d(x[0], x[1], x[2] if len(x) > 2 else None, stride=a.get("strides", [1])[0], padding=p[0])
            elif op == "Relu":
                y = F.relu(x[0])
                if _producer(nodes, nd.input[0]) == "Conv":
                    ranges[nd.output[0]] = (0.0, float(y.max()))
            elif op == "MaxPool":
                _plain_pool(nd, a)
                y = F.max_pool1d(x[0], a["kernel_shape"][0], a["strides"][0])
            else:
                raise SystemExit(f"{nd.name}: op {op} in the convolution trunk is not supported")
            env[nd.output[0]] = y
    missing = [nd.name for nd in nodes if nd.op_type == "Conv" and nd.input[0] not in ranges]
    if missing:  # a Conv the feeds do not reach would stay float32 without a word
        raise SystemExit(f"the calibration feeds {sorted(feeds)} do not reach Conv {missing}")
    return ranges


def _auto_pad(a: dict) -> bool:
    return a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET")


def _plain_pool(nd, a: dict) -> None:
    """Pooling as F.*_pool1d computes it: no pads, no ceil mode, no dilation."""
    if list(a.get("pads", [0, 0])) != [0, 0] or a.get("ceil_mode", 0) != 0 or _auto_pad(a) or list(a.get("dilations", [1])) != [1]:
        raise SystemExit(f"{nd.name}: only unpadded pooling without ceil mode is supported")


def _producer(nodes, tensor: str) -> str | None:
    return next((nd.op_type for nd in nodes if tensor in nd.output), None)


def uint8_params(lo: float, hi: float) -> tuple[float, int]:
    """Scale and zero point of a uint8 range that holds [lo, hi] and 0 exactly."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    scale = (hi - lo) / 255 if hi > lo else 1.0
    return scale, int(np.clip(round(-lo / scale), 0, 255))


def quantize(model: onnx.ModelProto, ranges: dict[str, tuple[float, float]]) -> onnx.ModelProto:
    """The model with QDQ pairs on its Conv inputs and Conv Relus, weights int8 per channel, biases int32."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    g = m.graph
    init = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    new_init, nodes, rename, used = [], [], {}, set()

    def pair(tensor: str, scale: float, zp: int) -> str:
        s, z = f"{tensor}_scale", f"{tensor}_zero_point"
        new_init.extend([numpy_helper.from_array(np.array(scale, np.float32), s),
                         numpy_helper.from_array(np.array(zp, np.uint8), z)])
        nodes.append(helper.make_node("QuantizeLinear", [tensor, s, z], [f"{tensor}_quantized"]))
        nodes.append(helper.make_node("DequantizeLinear", [f"{tensor}_quantized", s, z], [f"{tensor}_dequantized"]))
        return f"{tensor}_dequantized"

    def constant(name: str, values: np.ndarray, scale: np.ndarray, zero: np.ndarray) -> str:
        new_init.extend([numpy_helper.from_array(values, f"{name}_quantized"),
                         numpy_helper.from_array(scale.astype(np.float32), f"{name}_scale"),
                         numpy_helper.from_array(zero, f"{name}_zero_point")])
        nodes.append(helper.make_node("DequantizeLinear", [f"{name}_quantized", f"{name}_scale", f"{name}_zero_point"],
                                      [f"{name}_dequantized"], axis=0))
        return f"{name}_dequantized"

    for nd in g.node:
        ins = [rename.get(i, i) for i in nd.input]
        if nd.op_type == "Conv" and nd.input[0] in ranges:
            sx, zx = uint8_params(*ranges[nd.input[0]])
            x = pair(ins[0], sx, zx)
            w = init[nd.input[1]]
            sw = np.abs(w).reshape(len(w), -1).max(1) / WEIGHT_MAX
            sw[sw == 0] = 1.0
            wq = np.clip(np.round(w / sw.reshape(-1, *([1] * (w.ndim - 1)))), -WEIGHT_MAX, WEIGHT_MAX).astype(np.int8)
            wd = constant(nd.input[1], wq, sw, np.zeros(len(sw), np.int8))
            used.add(nd.input[1])
            conv_in = [x, wd]
            if len(nd.input) > 2 and nd.input[2]:
                sb = (sx * sw).astype(np.float32)  # = float32(input scale) × weight scale
                bq = np.round(init[nd.input[2]] / sb)
                if np.abs(bq).max() >= 2**31:
                    raise SystemExit(f"{nd.name}: bias beyond int32 at scale input × weight")
                bq = bq.astype(np.int32)
                conv_in.append(constant(nd.input[2], bq, sb, np.zeros(len(sb), np.int32)))
                used.add(nd.input[2])
            c = helper.make_node("Conv", conv_in, list(nd.output), name=nd.name)
            c.attribute.extend(nd.attribute)
            nodes.append(c)
        elif nd.op_type == "Relu" and nd.output[0] in ranges:
            r = helper.make_node("Relu", ins, list(nd.output), name=nd.name)
            nodes.append(r)
            s, z = uint8_params(*ranges[nd.output[0]])
            rename[nd.output[0]] = pair(nd.output[0], s, z)
        else:
            c = onnx.NodeProto()
            c.CopyFrom(nd)
            del c.input[:]
            c.input.extend(ins)
            nodes.append(c)
    kept = [i for i in g.initializer if i.name not in used]
    del g.node[:]
    g.node.extend(nodes)
    del g.initializer[:]
    g.initializer.extend(kept + new_init)
    onnx.checker.check_model(m)
    return m


def quantize_file(src: str | Path, dst: str | Path, feeds: dict[str, np.ndarray]) -> dict[str, tuple[float, float]]:
    """The float32 model at src with int8 convolutions, written atomically to dst (may equal src);
    returns the calibrated ranges."""
    model = onnx.load(str(src))
    ranges = trunk_ranges(model, feeds)
    tmp = Path(dst).with_name(Path(dst).name + ".tmp")
    onnx.save(quantize(model, ranges), str(tmp))
    tmp.replace(dst)
    return ranges


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="float32 beat model (hbs.beats export)")
    ap.add_argument("--data", nargs="+", required=True, help="beat dataset dirs the model was trained on")
    ap.add_argument("--exclude", nargs="*", default=[], help="records left out of the calibration (held out)")
    ap.add_argument("--n", type=int, default=20000, help="calibration beats")
    ap.add_argument("--seed", type=int, default=20260422)
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    feeds = calibration_beats(a.data, set(a.exclude), a.n, a.seed)
    ranges = quantize_file(a.model, a.out, feeds)
    print(json.dumps({"out": a.out, "calibrationBeats": len(feeds["window"]),
                      "ranges": {k: [round(v[0], 4), round(v[1], 4)] for k, v in ranges.items()}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
