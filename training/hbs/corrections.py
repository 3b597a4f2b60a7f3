"""Pooled review corrections as extra labelled beats for the beat model (`hbs.beats --corrections DIR`).

A corrections directory is what `npx tsx scripts/corrections-dataset.ts` writes from review exports:
a beat dataset made with the app's preprocessing (windows, rr, labels, record, sample, flags,
template .npy + meta.json) plus reviewed.npy (1: a person confirmed, relabelled or added the beat)
and corrections.json. Only reviewed beats are used. Patient-wise: a corrected record keeps its own
name, so its beats fall in the same cross-validation fold as the record (never in its own
validation fold from the other side):
- a record also in the training data (same database and name): the review's label replaces the
  label of the beat at the same place (within 150 ms; its low-rate twin and the twins cut at the
  QRS detector's marks too); beats the reviewer
  added become new rows of that record;
- a record not in the training data: its reviewed beats are new rows of a new record; a name that
  a training record of another database holds becomes "<db>:<name>" so two patients never merge.
A review of an MIT-BIH DS2 record is refused: DS2 is the test set the card scores (and 202 is the
patient of DS1's 201, who would otherwise become a second patient in another fold).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .beat_model import app_lead_input
from .common import load_dir, mitdb_ds2_records

MATCH_SEC = 0.15  # EC57's beat match window


class CorrectionsError(SystemExit):
    """A corrections directory that cannot be used: the message names it and the problem."""


def load_corrections(dirs: list[str], template: bool) -> dict:
    """The reviewed rows of every corrections directory, concatenated."""
    parts = []
    seen: dict[tuple[str, str], str] = {}
    for p in dirs:
        if not (Path(p) / "corrections.json").exists():
            raise CorrectionsError(f"{p}: no corrections.json (make it with scripts/corrections-dataset.ts)")
        try:
            d = load_dir(p, ["windows", "rr", "labels", "record", "sample", "flags", "reviewed"] + (["template"] if template else []))
        except FileNotFoundError as e:
            raise CorrectionsError(str(e)) from None
        meta = d["meta"]
        if meta.get("format") != "heartbeat-sensei-beats":
            raise CorrectionsError(f"{p}/meta.json: not a beat dataset (format {meta.get('format')!r})")
        n = len(d["labels"])
        for k in ("windows", "rr", "record", "sample", "flags", "reviewed") + (("template",) if template else ()):
            if len(d[k]) != n:
                raise CorrectionsError(f"{p}/{k}.npy: {len(d[k])} rows, labels.npy has {n}")
        recs = meta.get("records") or []
        if n and int(d["record"].max()) >= len(recs):
            raise CorrectionsError(f"{p}/record.npy: indexes records beyond meta.json's {len(recs)}")
        for r in recs:
            key = (str(r["db"]), str(r["name"]))
            if key in seen:
                raise CorrectionsError(f"{p}: record {key[0]}/{key[1]} is also in {seen[key]} (pool its reviews into one directory)")
            seen[key] = p
        keep = d["reviewed"].astype(bool)
        idx = d["record"].astype(np.int64)[keep]
        win = d["windows"][keep].astype(np.float32)
        tpl = d["template"][keep].astype(np.float32) if template else None
        app_lead_input(win, tpl, d["flags"][keep])  # as hbs.beats loads them
        parts.append({
            "win": win, "rr": d["rr"][keep].astype(np.float32), "lab": d["labels"][keep].astype(np.int64), "tpl": tpl,
            "rec": np.array([str(recs[i]["name"]) for i in idx], dtype=object),
            "db": np.array([str(recs[i]["db"]) for i in idx], dtype=object),
            "fs": np.array([float(recs[i]["fs"]) for i in idx]),
            "sample": d["sample"][keep].astype(np.int64),
            "in_af": (d["flags"][keep] & 4) != 0,
        })
    if not parts:
        raise CorrectionsError("--corrections: no directory given")
    return {k: (None if parts[0][k] is None else np.concatenate([x[k] for x in parts])) for k in parts[0]}


def base_samples(dirs: list[str]) -> np.ndarray:
    """sample.npy of the training datasets, in load order (rows [0, n) of hbs.beats' Data)."""
    return np.concatenate([load_dir(p, ["sample"])["sample"].astype(np.int64) for p in dirs])


def merge(d, samples: np.ndarray, c: dict):
    """Data with the corrections applied (see the module doc); returns (Data, report)."""
    n = d.n
    ds2 = mitdb_ds2_records(c["db"], c["rec"])
    if ds2:
        raise CorrectionsError(f"--corrections: reviews of MIT-BIH DS2 records {' '.join(ds2)}: DS2 is the test set, never "
                               "training data (and 202 is the patient of DS1's 201); leave those exports out of the pool")
    lab = d.lab.copy()
    rec_base, db_base = d.rec[:n], d.db[:n]
    rec_c = c["rec"].copy()
    new = np.zeros(len(rec_c), dtype=bool)
    report = {"relabelled": 0, "confirmed": 0, "added": 0, "records": []}
    for db, name in sorted(set(zip(c["db"], c["rec"]))):
        mine = np.nonzero((c["db"] == db) & (c["rec"] == name))[0]
        base = np.nonzero((rec_base == name) & (db_base == db))[0]
        if len(base) == 0:
            if (rec_base == name).any():
                rec_c[mine] = f"{db}:{name}"
            new[mine] = True
            report["records"].append({"record": str(rec_c[mine[0]]), "db": db, "new": True, "beats": int(len(mine))})
            continue
        order = base[np.argsort(samples[base])]
        s_base = samples[order]
        tol = int(round(MATCH_SEC * c["fs"][mine[0]]))
        pos = np.clip(np.searchsorted(s_base, c["sample"][mine]), 1, max(len(s_base) - 1, 1))
        left, right = s_base[pos - 1], s_base[np.minimum(pos, len(s_base) - 1)]
        near = np.where(np.abs(c["sample"][mine] - left) <= np.abs(c["sample"][mine] - right), pos - 1, np.minimum(pos, len(s_base) - 1))
        ok = np.abs(s_base[near] - c["sample"][mine]) <= tol
        rows = order[near[ok]]
        changed = lab[rows] != c["lab"][mine[ok]]
        lab[rows] = c["lab"][mine[ok]]
        twins = d.alt[rows]
        lab[twins[twins >= 0]] = c["lab"][mine[ok]][twins >= 0]
        if d.mark is not None:  # the same beats cut at the detector's marks, at the record's rate and at the low rate
            for src, keep in ((rows, np.ones(len(rows), bool)), (twins, twins >= 0)):
                m = np.where(keep, d.mark[np.where(keep, src, 0)], -1)
                lab[m[m >= 0]] = c["lab"][mine[ok]][m >= 0]
        new[mine[~ok]] = True
        report["relabelled"] += int(changed.sum())
        report["confirmed"] += int((~changed).sum())
        report["records"].append({"record": name, "db": db, "new": False, "beats": int(len(mine)), "relabelled": int(changed.sum()), "added": int((~ok).sum())})
    k = int(new.sum())
    report["added"] = k
    # New rows go at n, before the low-rate twins, so rows [0, n) stay the beats as recorded.
    ins = lambda a, b: np.concatenate([a[:n], b, a[n:]])
    alt = d.alt.copy()
    alt[alt >= n] += k
    mark = None
    if d.mark is not None:  # indexed by row (the beats and their low-rate twins), pointing past them: both move by k
        mark = d.mark.copy()
        mark[mark >= n] += k
        mark = np.concatenate([mark[:n], np.full(k, -1, dtype=np.int64), mark[n:]])
    out = type(d)(
        ins(d.win, c["win"][new]), ins(d.rr, c["rr"][new]), ins(lab, c["lab"][new]), ins(d.rec, rec_c[new]),
        None if d.tpl is None else ins(d.tpl, c["tpl"][new]),
        db=np.concatenate([d.db[:n], c["db"][new]]), n=n + k,
        alt=np.concatenate([alt, np.full(k, -1, dtype=np.int64)]),
        in_af=None if d.in_af is None else np.concatenate([d.in_af[:n], c["in_af"][new]]),
        mark=mark,
    )
    return out, report


def add_corrections(d, data_dirs: list[str], corrections_dirs: list[str], template: bool):
    """hbs.beats' entry point: the training Data with every corrections directory applied."""
    c = load_corrections(corrections_dirs, template)
    out, report = merge(d, base_samples(data_dirs), c)
    print(f"corrections: {len(c['lab'])} reviewed beats from {len(report['records'])} records: "
          f"{report['relabelled']} relabelled, {report['confirmed']} confirmed, {report['added']} added as new rows")
    print(json.dumps(report["records"]))
    return out
