"""Unit tests of the training package on small random tensors (run: cd training && /usr/bin/python3 -m unittest)."""
import json
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

from hbs import consensus
from hbs.beat_model import BeatNet, app_lead_input, augment, augment_leads, shifted
from hbs.beats import load_data
from hbs.quantize import WEIGHT_MAX, calibration_rows, quantize, trunk_ranges
from hbs.oof_ap import figures as oof_figures, match as match_beats
from hbs.metrics import average_precision, choose_threshold, confusion, label_at, per_class, pr_curve
from hbs.rhythm import episode_scores, figures as rhythm_figures, record_fs, record_splits
from hbs.rhythm_model import RhythmNet, focal_loss
from hbs.svg import confusion_svg, line_chart


class Metrics(unittest.TestCase):
    def test_pr_and_ap_by_hand(self):
        score = np.array([0.9, 0.8, 0.7, 0.6, 0.5])
        pos = np.array([1, 0, 1, 0, 0], bool)
        c = pr_curve(score, pos)
        np.testing.assert_allclose(c["precision"], [1, 0.5, 2 / 3, 0.5, 0.4])
        np.testing.assert_allclose(c["recall"], [0.5, 0.5, 1, 1, 1])
        self.assertAlmostEqual(average_precision(score, pos), 0.5 * 1 + 0.5 * 2 / 3)

    def test_ties_share_a_threshold(self):
        c = pr_curve(np.array([0.5, 0.5, 0.1]), np.array([1, 0, 1], bool))
        self.assertEqual(len(c["threshold"]), 2)
        self.assertAlmostEqual(c["precision"][0], 0.5)

    def test_threshold_rule_is_highest_meeting_recall(self):
        score = np.array([0.95, 0.9, 0.6, 0.4, 0.3, 0.2])
        pos = np.array([1, 1, 0, 1, 0, 1], bool)
        self.assertAlmostEqual(choose_threshold(score, pos, 0.75), 0.4)
        self.assertAlmostEqual(choose_threshold(score, pos, 0.5), 0.9)

    def test_label_rule_matches_the_app(self):
        p = np.array([[0.5, 0.1, 0.3, 0.1, 0.0], [0.2, 0.5, 0.25, 0.05, 0.0]], np.float32)
        np.testing.assert_array_equal(label_at(p, 0.3), [2, 1])
        np.testing.assert_array_equal(label_at(p, 0.31), [0, 1])
        cm = confusion(np.array([0, 1]), label_at(p, 0.3))
        pc = per_class(cm)
        self.assertEqual(pc["V"]["ppv"], 0.0)
        self.assertEqual(pc["S"]["se"], 1.0)

    def test_episode_overlap(self):
        rec = np.zeros(6, int)
        start = np.arange(6) * 625
        ref = np.array([0, 1, 1, 0, 0, 0], bool)
        pred = np.array([0, 0, 1, 0, 0, 1], bool)
        e = episode_scores(ref, pred, rec, start, 1250)
        self.assertEqual((e["se"], e["ppv"]), (1.0, 0.5))

    def test_episode_spans_are_ten_seconds_at_the_records_rate(self):
        # start.npy counts samples at the record's own rate: at 360 Hz a window is 3600 of them, so the
        # reference AF window at 5 s and the predicted one at 10 s share 5 s and match
        start = np.arange(4) * 1800
        lab = np.array([0, 1, 0, 0])
        pt = np.eye(4, dtype=np.float32)[[0, 0, 1, 0]]
        meta = {"fs": 125, "records": [{"name": "201", "db": "mitdb", "fs": 360}]}
        rec = np.zeros(4, int)
        f = rhythm_figures(pt, lab, rec, start, np.array(["mitdb"] * 4), record_fs(meta)[rec])
        self.assertEqual((f["mitdb"]["episodeAF"]["se"], f["mitdb"]["episodeAF"]["ppv"]), (1.0, 1.0))
        np.testing.assert_array_equal(record_fs({"fs": 125, "records": [{"fs": 128}, {"fs": 250}, "cinc2017/A00001"]}), [128, 250, 125])

    def test_splits_are_record_wise_and_fixed(self):
        ids = [("mitdb", "100"), ("mitdb", "101"), ("mitdb", "201")] + [("cudb", f"cu{i:02d}") for i in range(1, 11)]
        s = record_splits(ids)
        self.assertEqual(s[:3], ["test", "train", "val"])
        self.assertEqual(s[3:], ["test", "train", "train", "val", "train", "test", "train", "train", "train", "train"])


class Models(unittest.TestCase):
    def test_beat_model_head_is_the_last_linear(self):
        torch.manual_seed(0)
        m = BeatNet(7, np.zeros(7), np.ones(7), np.ones(2), d_emb=32).eval()
        w, r = torch.randn(8, 2, 216), torch.rand(8, 7) + 0.5
        p, e = m(w, r)
        self.assertEqual(tuple(p.shape), (8, 5))
        self.assertEqual(tuple(e.shape), (8, 32))
        torch.testing.assert_close(p, torch.softmax(e @ m.head.weight.T + m.head.bias, 1))
        self.assertTrue((e >= 0).all())

    def test_single_lead_input_from_lead_1(self):
        x = torch.stack([torch.full((64, 216), 1.0), torch.full((64, 216), 2.0)], dim=1)
        t = x.clone() * 10
        # p_absent_lead1 0 draws nothing more: the default random stream (and the shipped recipe) unchanged
        a = augment_leads(x, t, torch.Generator().manual_seed(3), 0.2, 0.1, 0.5)
        b = augment_leads(x, t, torch.Generator().manual_seed(3), 0.2, 0.1, 0.5, 0.0)
        torch.testing.assert_close(a, b)
        # every single-lead input keeps lead 1 (moved to lead 0, beat and template alike), lead 1 then zeros
        w, tt = augment_leads(x, t, torch.Generator().manual_seed(3), 0.0, 0.0, 1.0, 1.0)
        self.assertTrue(torch.equal(w[:, 0], x[:, 1]) and torch.equal(tt[:, 0], t[:, 1]))
        self.assertEqual(float(w[:, 1].abs().sum()), 0.0)
        # two-lead inputs untouched
        w2, _ = augment_leads(x, t, torch.Generator().manual_seed(3), 0.0, 0.0, 0.0, 1.0)
        self.assertTrue(torch.equal(w2, x))

    def test_augment_keeps_shape_and_changes_values(self):
        g = torch.Generator().manual_seed(1)
        x = torch.randn(4, 2, 216)
        y = augment(x, g)
        self.assertEqual(y.shape, x.shape)
        self.assertGreater(float((y - x).abs().mean()), 1e-3)

    def test_common_shift_moves_the_template_with_the_beat(self):
        g = torch.Generator().manual_seed(2)
        x, t = torch.randn(6, 2, 216), torch.randn(6, 2, 216)
        _, t0 = augment(x, g, scale_range=0.0, template=t)
        self.assertTrue(torch.equal(t0, t))  # off by default: the template only scaled (here by 1)
        _, t3 = augment(x, g, scale_range=0.0, template=t, common_shift=3)
        moved = [min(range(-3, 4), key=lambda s: float((shifted(t[i:i + 1], torch.tensor([[[s]]])) - t3[i:i + 1]).abs().max()))
                 for i in range(6)]
        for i, s in enumerate(moved):
            self.assertTrue(torch.equal(shifted(t[i:i + 1], torch.tensor([[[s]]])), t3[i:i + 1]))
        self.assertTrue(any(s != 0 for s in moved))

    def test_lead_input_is_the_apps(self):
        # as src/main/beats/single-lead.ts modelInputFor: flag 2 (single-lead record) zeroes lead 1;
        # flag 8 (lead 0 off) moves lead 1 to lead 0, then zeroes lead 1; other rows untouched
        win = np.arange(3 * 2 * 4, dtype=np.float32).reshape(3, 2, 4)
        tpl = win + 100
        want_w, want_t = win.copy(), tpl.copy()
        app_lead_input(win, tpl, np.array([0, 2, 8], np.uint8))
        for got, want in ((win, want_w), (tpl, want_t)):
            np.testing.assert_array_equal(got[0], want[0])
            np.testing.assert_array_equal(got[1], [want[1, 0], np.zeros(4)])
            np.testing.assert_array_equal(got[2], [want[2, 1], np.zeros(4)])

    def test_focal_loss_down_weights_easy_examples(self):
        alpha = torch.ones(4)
        easy = torch.tensor([[5.0, 0, 0, 0]])
        hard = torch.tensor([[0.0, 0, 0, 0]])
        t = torch.tensor([0])
        self.assertLess(float(focal_loss(easy, t, alpha)), 1e-3 * float(focal_loss(hard, t, alpha)))

    def test_rhythm_model_shapes(self):
        m = RhythmNet().eval()
        p, e = m(torch.randn(3, 1, 1250))
        self.assertEqual(tuple(p.shape), (3, 4))
        torch.testing.assert_close(p.sum(1), torch.ones(3))

    def test_export_names_head_initializers(self):
        import onnx
        from hbs.common import export_onnx, onnx_io
        m = BeatNet(7, np.zeros(7), np.ones(7), np.ones(2), d_emb=16).eval()
        with tempfile.TemporaryDirectory() as d:
            f = Path(d) / "m.onnx"
            export_onnx(m, (torch.randn(2, 2, 216), torch.rand(2, 7)), f, ["window", "rr"], ["probs", "embedding"])
            inits = {i.name: list(i.dims) for i in onnx.load(str(f)).graph.initializer}
            self.assertEqual(inits["head.weight"], [5, 16])
            self.assertEqual(inits["head.bias"], [5])
            ins, outs = onnx_io(f)
            self.assertEqual([i["name"] for i in ins], ["window", "rr"])
            self.assertEqual(ins[0]["shape"], ["N", 2, 216])
            self.assertEqual([o["name"] for o in outs], ["probs", "embedding"])


def write_beats(path: Path, records: list[dict], per_record: list[list[int]], value: float, marks: bool = False) -> None:
    """A tiny beat dataset as `heartbeat-sensei dataset` writes it: labels per record, every window `value`."""
    path.mkdir(parents=True)
    lab = np.array([c for cs in per_record for c in cs], np.uint8)
    rec = np.array([i for i, cs in enumerate(per_record) for _ in cs], np.int32)
    np.save(path / "windows.npy", np.full((len(lab), 2, 216), value, np.float32))
    np.save(path / "template.npy", np.zeros((len(lab), 2, 216), np.float32))
    np.save(path / "rr.npy", np.ones((len(lab), 7), np.float32))
    np.save(path / "labels.npy", lab)
    np.save(path / "record.npy", rec)
    np.save(path / "flags.npy", np.zeros(len(lab), np.uint8))
    meta = {"records": records, "files": {"flags.npy": {"what": "bit 4: inside a reference AF stretch"}}}
    if marks:
        meta["marks"] = "detector"
    (path / "meta.json").write_text(json.dumps(meta))


class Int8(unittest.TestCase):
    """hbs.quantize: the trunk's ranges as PyTorch computes them, the QDQ graph's shape, the calibration draw."""

    def setUp(self):
        torch.manual_seed(0)
        self.m = BeatNet(7, np.zeros(7), np.ones(7), np.full(2, 0.5), d_emb=16, template=True).eval()
        for bn in self.m.modules():  # non-trivial batch norms, so the export folds something
            if isinstance(bn, torch.nn.BatchNorm1d):
                bn.running_mean.uniform_(-0.5, 0.5)
                bn.running_var.uniform_(0.5, 2)
        g = torch.Generator().manual_seed(1)
        self.w, self.t = torch.randn(64, 2, 216, generator=g), torch.randn(64, 2, 216, generator=g)
        self.rr = torch.rand(64, 7, generator=g) + 0.5
        import onnx
        from hbs.common import export_onnx
        with tempfile.TemporaryDirectory() as d:
            export_onnx(self.m, (self.w, self.t, self.rr), Path(d) / "m.onnx", ["window", "template", "rr"], ["probs", "embedding"])
            self.onnx = onnx.load(str(Path(d) / "m.onnx"))

    def test_ranges_are_the_trunks_activations(self):
        r = trunk_ranges(self.onnx, {"window": self.w.numpy(), "template": self.t.numpy()})
        relus = [v for k, v in r.items() if k.endswith("Relu_output_0")]
        self.assertEqual(len(relus), 4)
        with torch.no_grad():
            w, t = self.w / self.m.win_scale, self.t / self.m.win_scale
            x = self.m.down(torch.cat([w, t, w - t], 1))
            first = r[next(k for k in r if "AveragePool" in k)]
            self.assertAlmostEqual(first[0], float(x.min()), places=4)
            self.assertAlmostEqual(first[1], float(x.max()), places=4)
            last = self.m.features(x)  # the last block has no pooling: its Relu is the features' output
            self.assertAlmostEqual(relus[-1][1], float(last.max()), places=3)

    def test_graph_is_qdq_with_7_bit_weights(self):
        from onnx import numpy_helper
        r = trunk_ranges(self.onnx, {"window": self.w.numpy(), "template": self.t.numpy()})
        q = quantize(self.onnx, r)
        init = {i.name: numpy_helper.to_array(i) for i in q.graph.initializer}
        made = {o: n for n in q.graph.node for o in n.output}
        convs = [n for n in q.graph.node if n.op_type == "Conv"]
        self.assertEqual(len(convs), 4)
        for c in convs:
            self.assertTrue(all(made[i].op_type == "DequantizeLinear" for i in c.input))  # input, weight, bias
            wq = init[made[c.input[1]].input[0]]
            self.assertEqual(wq.dtype, np.int8)
            self.assertLessEqual(int(np.abs(wq).max()), 63)  # 7 bits: no int16 saturation on AVX2 (module note)
            self.assertEqual(int(np.abs(wq).max()), WEIGHT_MAX)  # each layer's largest weight uses the range
            self.assertEqual(init[made[c.input[2]].input[0]].dtype, np.int32)
        # the numbers: each DequantizeLinear gives back its float tensor to within half a step
        q_in = {n.output[0]: n for n in q.graph.node if n.op_type == "QuantizeLinear"}
        float_init = {i.name: numpy_helper.to_array(i) for i in self.onnx.graph.initializer}
        for c in convs:
            dq_w, dq_b = made[c.input[1]], made[c.input[2]]
            self.assertEqual([a.i for a in dq_w.attribute if a.name == "axis"], [0])
            wq, sw = init[dq_w.input[0]].astype(np.float64), init[dq_w.input[1]].astype(np.float64)
            w = float_init[dq_w.input[0][: -len("_quantized")]]
            self.assertTrue((np.abs(wq * sw[:, None, None] - w) <= sw[:, None, None] / 2 + 1e-7).all())
            bq, sb = init[dq_b.input[0]].astype(np.float64), init[dq_b.input[1]]
            b = float_init[dq_b.input[0][: -len("_quantized")]]
            self.assertTrue((np.abs(bq * sb - b) <= sb / 2 + 1e-6).all())
            qx = q_in[made[c.input[0]].input[0]]  # input pair: Quantize → Dequantize → Conv
            sx, zx = init[qx.input[1]], init[qx.input[2]]
            np.testing.assert_array_equal(sb, (sx * sw).astype(np.float32))
            lo, hi = r[qx.input[0]]
            self.assertAlmostEqual(float(sx), (max(hi, 0) - min(lo, 0)) / 255, places=6)
            self.assertEqual(int(zx), round(-min(lo, 0) / float(sx)))  # zero maps to an integer exactly
        for name, (lo, hi) in r.items():
            if name.endswith("Relu_output_0"):
                qn = next(n for n in q.graph.node if n.op_type == "QuantizeLinear" and n.input[0] == name)
                self.assertEqual(int(init[qn.input[2]]), 0)
                self.assertAlmostEqual(float(init[qn.input[1]]), hi / 255, places=6)
        # Gemms (RR branch, embedding layer, head) untouched: fine-tuning rewrites their float weights
        gemms = [n for n in q.graph.node if n.op_type == "Gemm"]
        self.assertTrue(all(init[n.input[1]].dtype == np.float32 for n in gemms))
        self.assertEqual(sum(n.op_type == "QuantizeLinear" for n in q.graph.node), 8)

    def test_a_conv_the_feeds_miss_is_an_error(self):
        with self.assertRaises(SystemExit):
            trunk_ranges(self.onnx, {"window": self.w.numpy()})  # no template: no Conv reached

    def test_calibration_reads_recorded_beats_of_training_records(self):
        from hbs.beats import Data, int8_calibration
        n, twins = 400, 400
        win = np.zeros((n + twins, 2, 216), np.float32)
        win[:, 0, 0] = np.arange(n + twins)  # row id
        rec = np.array(["a", "b"] * ((n + twins) // 2), dtype=object)
        d = Data(win, np.zeros((n + twins, 7), np.float32), np.zeros(n + twins, np.int64), rec, win.copy(), n=n)
        a = type("A", (), {"calibration_beats": 100, "seed": 3})()
        rows = int8_calibration(a, d, {"b"})["window"][:, 0, 0].astype(int)
        self.assertEqual(len(rows), 100)
        self.assertTrue((rows < n).all())  # never a low-rate or detector-mark twin
        self.assertTrue((rec[rows] == "a").all())

    def test_calibration_leaves_out_held_out_records(self):
        n = 1000
        win = np.random.default_rng(0).normal(size=(n, 2, 216)).astype(np.float32) + 1
        names = np.array(["a", "b", "c", "d"] * (n // 4), dtype=object)
        win[:, 0, 0] = np.arange(n)  # row id
        f = calibration_rows(win, win.copy(), names, {"b", "d"}, 300, 7)
        rows = f["window"][:, 0, 0].astype(int)
        self.assertEqual(len(rows), 300)
        self.assertTrue(set(names[rows]) <= {"a", "c"})
        absent = (f["window"][:, 1] == 0).all(axis=1)
        self.assertTrue(0.1 < absent.mean() < 0.3)
        np.testing.assert_array_equal(absent, (f["template"][:, 1] == 0).all(axis=1))
        again = calibration_rows(win, win.copy(), names, {"b", "d"}, 300, 7)
        np.testing.assert_array_equal(again["window"], f["window"])


class Twins(unittest.TestCase):
    def test_detector_mark_twins_pair_with_the_beats_at_the_same_rate(self):
        with tempfile.TemporaryDirectory() as t:
            t = Path(t)
            recs = [{"name": "101", "db": "mitdb"}, {"name": "102", "db": "mitdb"}]
            low = [dict(r, viaFs=128) for r in recs]
            beats = [[0, 2, 0], [0, 0]]
            write_beats(t / "ds", recs, beats, 1.0)
            write_beats(t / "low", low, beats, 2.0)
            # the mark twins of the low-rate rows first, then of the beats as recorded (order must not matter)
            write_beats(t / "low-det", low, beats, 4.0, marks=True)
            write_beats(t / "ds-det", recs, beats, 3.0, marks=True)
            d, _ = load_data([str(t / "ds")], [str(t / "low")], False, [str(t / "low-det"), str(t / "ds-det")])
            self.assertEqual(d.n, 5)
            np.testing.assert_array_equal(d.win[d.alt, 0, 0], np.full(5, 2.0))
            np.testing.assert_array_equal(d.win[d.mark[:5], 0, 0], np.full(5, 3.0))
            np.testing.assert_array_equal(d.win[d.mark[d.alt], 0, 0], np.full(5, 4.0))
            np.testing.assert_array_equal(d.lab[d.mark[:10]], d.lab[:10])
            self.assertTrue((d.mark[10:] == -1).all())
            write_beats(t / "other", recs, [[0, 0, 0], [0, 0]], 3.0, marks=True)
            with self.assertRaises(SystemExit):
                load_data([str(t / "ds")], [], False, [str(t / "other")])
            with self.assertRaises(SystemExit):  # not cut at the detector's marks
                load_data([str(t / "ds")], [], False, [str(t / "low")])


class TestRecordsStayOut(unittest.TestCase):
    """MIT-BIH DS2 is the test set the beat card scores: never training data, whatever the way in."""

    @staticmethod
    def data(names: list[str]):
        from hbs.beats import Data
        rec = np.repeat(np.array(names, dtype=object), 3)
        n = len(rec)
        return Data(np.zeros((n, 2, 216), np.float32), np.ones((n, 7), np.float32), np.tile([0, 2, 0], len(names)), rec, None,
                    db=np.full(n, "mitdb", dtype=object))

    @staticmethod
    def review(db: str, name: str) -> dict:
        return {"win": np.zeros((3, 2, 216), np.float32), "rr": np.ones((3, 7), np.float32), "lab": np.array([2, 2, 0]),
                "tpl": None, "rec": np.array([name] * 3, dtype=object), "db": np.array([db] * 3, dtype=object),
                "fs": np.full(3, 360.0), "sample": np.array([10, 20, 30]), "in_af": np.zeros(3, bool)}

    def test_a_review_of_a_ds2_record_is_refused(self):
        # before: 202 (DS2; the patient of DS1's 201) joined training as a new record, in another fold than 201
        from hbs.corrections import CorrectionsError, merge
        d = self.data(["119", "201"])
        with self.assertRaisesRegex(CorrectionsError, "DS2 records 202"):
            merge(d, np.arange(d.n) * 100, self.review("mitdb", "202"))
        # another database's record of the same name is another patient and stays welcome
        out, rep = merge(d, np.arange(d.n) * 100, self.review("clinic", "202"))
        self.assertEqual(rep["added"], 3)
        self.assertEqual(sorted(set(out.rec[:out.n])), ["119", "201", "202"])

    def test_corrections_reach_the_detector_mark_twins(self):
        # the shipped recipe trains with --mark-data; --corrections refused it, so the clinic retrain could not run
        from hbs.beats import Data
        from hbs.corrections import merge
        # rows: 3 beats of 119 [0, 3), their low-rate twins [3, 6), the twins cut at the detector's marks [6, 12)
        lab = np.array([0, 2, 0] * 4)
        rec = np.array(["119"] * 12, dtype=object)
        alt = np.array([3, 4, 5])
        mark = np.array([6, 7, 8, 9, 10, 11])
        d = Data(np.zeros((12, 2, 216), np.float32), np.ones((12, 7), np.float32), lab, rec, None,
                 db=np.full(3, "mitdb", dtype=object), n=3, alt=alt, mark=mark)
        c = self.review("mitdb", "119")
        c["lab"] = np.array([2, 0, 0])  # beat 0 is a PVC, beat 1 a false alarm
        c["sample"] = np.array([0, 100, 300])  # the third beat is one the reviewer added
        out, rep = merge(d, np.array([0, 100, 200]), c)
        self.assertEqual([rep["relabelled"], rep["added"]], [2, 1])
        self.assertEqual(out.n, 4)
        # every twin of the relabelled beats carries the review's label; the new row has none
        for row in (0, 1):
            twin = out.alt[row]
            self.assertEqual([out.lab[row], out.lab[twin], out.lab[out.mark[row]], out.lab[out.mark[twin]]], [c["lab"][row]] * 4)
        self.assertEqual(out.mark[3], -1)
        self.assertEqual(len(out.mark), 7)
        self.assertEqual(len(out.lab), 13)

    def test_a_training_dataset_holding_ds2_is_refused(self):
        with tempfile.TemporaryDirectory() as t:
            t = Path(t)
            write_beats(t / "ds1", [{"name": "101", "db": "mitdb"}, {"name": "106", "db": "mitdb"}], [[0, 2], [0, 0]], 1.0)
            d, _ = load_data([str(t / "ds1")], [], False)
            self.assertEqual(d.n, 4)
            write_beats(t / "all", [{"name": "101", "db": "mitdb"}, {"name": "100", "db": "mitdb"}], [[0, 2], [0, 0]], 1.0)
            with self.assertRaisesRegex(SystemExit, "DS2 records 100"):
                load_data([str(t / "all")], [], False)

    def test_the_ds2_list_is_the_apps(self):
        import re
        from hbs.common import MITDB_DS2
        ts = (Path(__file__).resolve().parents[2] / "src/main/dataset/splits.ts").read_text()
        block = re.search(r"MITDB_DS2 = \[(.*?)\]", ts, re.S).group(1)
        self.assertEqual(tuple(re.findall(r"'(\d+)'", block)), MITDB_DS2)


class OutOfFoldAp(unittest.TestCase):
    def test_match_is_nearest_and_one_to_one(self):
        ref = np.array([100, 200, 300, 400])
        test = np.array([104, 196, 210, 520])
        # 196 and 210 both near 200: the nearer (196) takes it; 300 and 400 have none within 54
        np.testing.assert_array_equal(match_beats(ref, test, 54), [0, 1, -1, -1])
        np.testing.assert_array_equal(match_beats(ref, np.array([], np.int64), 54), [-1, -1, -1, -1])

    def test_missed_v_beats_cap_recall(self):
        lab = np.array([2, 2, 2, 2, 0, 0])
        pv = np.array([0.9, 0.8, 0.7, -np.inf, 0.6, 0.1])
        f = oof_figures(pv, lab)
        self.assertAlmostEqual(f["apV"], 0.75)  # three of four V found, each at precision 1
        self.assertTrue(np.isnan(f["ppv@0.90"]))


class Consensus(unittest.TestCase):
    def test_records_shorter_than_k_and_sure_beats(self):
        rng = np.random.default_rng(0)
        n = 60
        f = rng.normal(size=(n, 40)).astype(np.float32)
        pv = rng.uniform(0.05, 0.95, n)
        pv[:3] = [0.001, 0.999, 0.5]
        p = np.repeat(((1 - pv) / 4)[:, None], 5, axis=1)
        p[:, 2] = pv
        rec = np.r_[np.zeros(50, int), np.ones(5, int), np.full(4, 2), [3]]
        out = consensus.consensus(p, f, rec, 10, 0.5)  # records of 5, 4 and 1 beats: fewer than k neighbours
        np.testing.assert_allclose(out.sum(1), 1)
        np.testing.assert_allclose(out[:2, 2], p[:2, 2])  # outside the band: unchanged
        np.testing.assert_allclose(out[59], p[59])  # a record of one beat has no neighbour
        # the 4-beat record: each beat's neighbours are the other 3, median of their P(V)
        i = 55
        others = [j for j in range(55, 59) if j != i]
        z = 0.5 * consensus.logit(p[i, 2]) + 0.5 * consensus.logit(np.median(p[others, 2]))
        self.assertAlmostEqual(out[i, 2], 1 / (1 + np.exp(-z)))
        k, grid = consensus.choose(p, f, rec, lambda q: float(q[:, 2].mean()))
        self.assertEqual(len(grid), len(consensus.GRID_K) * len(consensus.GRID_WEIGHT))


class Svg(unittest.TestCase):
    def test_svg_is_well_formed(self):
        import xml.dom.minidom
        s = line_chart("t", "x", "y", [{"label": "a<b", "x": np.linspace(0, 1, 5), "y": np.linspace(1, 0, 5)}],
                       hlines=[{"label": "base", "value": 0.1}])
        xml.dom.minidom.parseString(s)
        xml.dom.minidom.parseString(confusion_svg("c", np.eye(5, dtype=int), list("NSVFQ")))


if __name__ == "__main__":
    unittest.main()
