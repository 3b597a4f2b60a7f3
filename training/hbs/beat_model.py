"""The beat model: Conv1D blocks on the 2-lead window (with the record's template beat, when
used: channels beat, template, beat - template) + an RR-feature MLP, fused into a D-dimensional
embedding, then one plain linear head (initializers `head.weight` [5,D] and `head.bias` [5] in
the ONNX file; fine-tuning rewrites exactly those)."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn


def rr_log(rr: torch.Tensor) -> torch.Tensor:
    """RR features are positive seconds or ratios with long tails (a 100 s pre-RR at a record's
    first beat, ratios near 80 after gaps): log of the value clipped to [0.01, 100] makes them
    symmetric around 0 for a ratio of 1 and bounds the outliers."""
    return torch.log(torch.clamp(rr, 0.01, 100.0))


def conv_block(cin: int, cout: int, k: int, pool: bool = True) -> nn.Sequential:
    """Conv1D → BatchNorm → ReLU → MaxPool(2)."""
    layers = [nn.Conv1d(cin, cout, k, padding=k // 2, bias=False), nn.BatchNorm1d(cout), nn.ReLU()]
    if pool:
        layers.append(nn.MaxPool1d(2))
    return nn.Sequential(*layers)


class BeatNet(nn.Module):
    """window [N,2,216] at 360 Hz → AvgPool(2) (180 Hz: a QRS still spans 15+ samples, and the
    CPU cost halves) → 4 Conv→BN→ReLU→MaxPool blocks → global average pooling; rr [N,F] → MLP;
    concat → dropout → Linear → ReLU = embedding [N,D] → head Linear(D,5) → softmax."""

    def __init__(self, n_rr: int, rr_mean, rr_std, win_scale, d_emb: int = 32,
                 ch: tuple[int, int, int, int] = (16, 32, 48, 64), p_drop: float = 0.3, p_head: float = 0.2,
                 template: bool = False):
        super().__init__()
        self.template = template
        # fixed input standardisation, part of the graph so inference feeds the raw dataset features
        self.register_buffer("rr_mean", torch.as_tensor(rr_mean, dtype=torch.float32).reshape(1, n_rr))
        self.register_buffer("rr_std", torch.as_tensor(rr_std, dtype=torch.float32).reshape(1, n_rr))
        self.register_buffer("win_scale", torch.as_tensor(win_scale, dtype=torch.float32).reshape(1, 2, 1))
        self.down = nn.AvgPool1d(2)
        self.features = nn.Sequential(conv_block(6 if template else 2, ch[0], 7), conv_block(ch[0], ch[1], 5),
                                      conv_block(ch[1], ch[2], 5), conv_block(ch[2], ch[3], 3, pool=False))
        self.rr = nn.Sequential(nn.Linear(n_rr, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU())
        self.fuse = nn.Sequential(nn.Dropout(p_drop), nn.Linear(ch[3] + 16, d_emb), nn.ReLU())
        self.drop_head = nn.Dropout(p_head)
        self.head = nn.Linear(d_emb, 5)
        self.d_emb = d_emb

    def trunk(self, window: torch.Tensor, rr: torch.Tensor, template: torch.Tensor | None = None) -> torch.Tensor:
        """The embedding layer's input: pooled conv features and the RR MLP's output, concatenated."""
        w = window / self.win_scale
        if self.template:
            t = template / self.win_scale
            w = torch.cat([w, t, w - t], dim=1)
        x = self.features(self.down(w))
        x = x.mean(dim=2)  # global average pooling
        r = self.rr((rr_log(rr) - self.rr_mean) / self.rr_std)
        return torch.cat([x, r], dim=1)

    def embed(self, window: torch.Tensor, rr: torch.Tensor, template: torch.Tensor | None = None) -> torch.Tensor:
        return self.fuse(self.trunk(window, rr, template))

    def logits(self, window: torch.Tensor, rr: torch.Tensor, template: torch.Tensor | None = None) -> torch.Tensor:
        return self.head(self.drop_head(self.embed(window, rr, template)))

    def forward(self, window: torch.Tensor, *rest: torch.Tensor):
        """Export signature: (window, rr) or, with a template, (window, template, rr) →
        (probs [N,5] softmax in AAMI order N,S,V,F,Q, embedding [N,D])."""
        template, rr = (rest[0], rest[1]) if self.template else (None, rest[0])
        e = self.embed(window, rr, template)
        return torch.softmax(self.head(e), dim=1), e


class BeatEnsemble(nn.Module):
    """K trained BeatNets as one model of BeatNet's shape, for export: their trunks side by side, one
    embedding layer holding theirs as blocks of a block-diagonal Linear (+ ReLU), one head holding
    theirs side by side divided by K, so the logits are the members' mean logits. The graph keeps
    what fine-tuning adapts (embedding = Relu(Gemm(features)), head = Gemm(embedding))."""

    def __init__(self, members: list[BeatNet]):
        super().__init__()
        self.members = nn.ModuleList(members)
        self.template = members[0].template
        k = len(members)
        fuses = [m.fuse[1] for m in members]
        d_in, d_out = sum(f.in_features for f in fuses), sum(f.out_features for f in fuses)
        self.d_emb = d_out
        self.fuse = nn.Sequential(nn.Linear(d_in, d_out), nn.ReLU())
        self.head = nn.Linear(d_out, members[0].head.out_features)
        with torch.no_grad():
            self.fuse[0].weight.zero_()
            i = o = 0
            for f in fuses:
                self.fuse[0].weight[o:o + f.out_features, i:i + f.in_features] = f.weight
                self.fuse[0].bias[o:o + f.out_features] = f.bias
                i, o = i + f.in_features, o + f.out_features
            self.head.weight.copy_(torch.cat([m.head.weight for m in members], dim=1) / k)
            self.head.bias.copy_(torch.stack([m.head.bias for m in members]).mean(dim=0))

    def embed(self, window: torch.Tensor, rr: torch.Tensor, template: torch.Tensor | None = None) -> torch.Tensor:
        return self.fuse(torch.cat([m.trunk(window, rr, template) for m in self.members], dim=1))

    def forward(self, window: torch.Tensor, *rest: torch.Tensor):
        template, rr = (rest[0], rest[1]) if self.template else (None, rest[0])
        e = self.embed(window, rr, template)
        return torch.softmax(self.head(e), dim=1), e


def app_lead_input(win: np.ndarray, tpl: np.ndarray | None, flags: np.ndarray) -> None:
    """The lead input the app gives the model (src/main/beats/single-lead.ts), in place: rows of a
    single-lead record (dataset flag 2) get lead 1 absent (zeros); rows whose lead 0 is off (flag 8:
    flat while lead 1 is not) get lead 1 as their single lead, moved to lead 0, lead 1 then zeros."""
    off = (flags & 8) != 0
    one = ((flags & 2) != 0) | off
    for a in (win, tpl):
        if a is None:
            continue
        a[off, 0] = a[off, 1]
        a[one, 1] = 0


def augment_leads(window: torch.Tensor, template: torch.Tensor | None, g: torch.Generator, p_swap: float = 0.0,
                  p_invert: float = 0.0, p_absent: float = 0.0, p_absent_lead1: float = 0.0):
    """What differs between hospitals' lead sets, applied alike to beat and template: the two leads
    swapped (MLII first on MIT-BIH, an unnamed Holter lead elsewhere), a lead's polarity inverted
    (electrode placement), and lead 1 absent (zeros: the single-lead input the app feeds records
    with one ECG signal); a share p_absent_lead1 of those single-lead inputs keep lead 1 (moved to
    lead 0) instead of lead 0 (no random draw when it is 0: the default stream is unchanged). Returns
    (window, template)."""
    n = window.shape[0]
    swap = torch.rand(n, generator=g) < p_swap
    if swap.any():
        window = window.clone()
        window[swap] = window[swap].flip(1)
        if template is not None:
            template = template.clone()
            template[swap] = template[swap].flip(1)
    sign = torch.where(torch.rand(n, 2, 1, generator=g) < p_invert, -1.0, 1.0)
    absent = (torch.rand(n, 1, generator=g) < p_absent).float()
    if p_absent_lead1 > 0:
        lead1 = (absent[:, 0] > 0) & (torch.rand(n, generator=g) < p_absent_lead1)
        if lead1.any():
            window = window.clone()
            window[lead1, 0] = window[lead1, 1]
            if template is not None:
                template = template.clone()
                template[lead1, 0] = template[lead1, 1]
    keep = torch.cat([torch.ones(n, 1), 1.0 - absent], dim=1).reshape(n, 2, 1)
    window = window * sign * keep
    if template is not None:
        template = template * sign * keep
    return window, template


def augment(window: torch.Tensor, g: torch.Generator, max_shift: int = 5, scale_range: float = 0.15,
            template: torch.Tensor | None = None, common_shift: int = 0):
    """Amplitude scaling (per lead), baseline shift and drift, Gaussian noise, small time shifts of the
    beat against its template (max_shift samples: where a beat's mark falls on its QRS).
    With a template, returns (window, template) with the template scaled like the window (a gain
    change of the recording scales both; the beat/template contrast is what must survive) and, with
    common_shift > 0, both moved by the same ±common_shift samples (a record whose beats are all
    marked at another point of the QRS: the QRS detector against svdb's annotators)."""
    n, c, t = window.shape
    scale = 1.0 + scale_range * (2 * torch.rand(n, c, 1, generator=g) - 1)
    if template is not None:
        if common_shift > 0:
            s = torch.randint(-common_shift, common_shift + 1, (n, 1, 1), generator=g)
            window, template = shifted(window, s), shifted(template, s)
        return augment_scaled(window, g, max_shift, scale), template * scale
    return augment_scaled(window, g, max_shift, scale)


def shifted(x: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
    """x [n, c, t] moved right by s [n, 1, 1] samples, the ends repeated."""
    n, c, t = x.shape
    idx = (torch.arange(t).reshape(1, 1, t) - s).clamp(0, t - 1).expand(n, c, t)
    return torch.gather(x, 2, idx)


def augment_scaled(window: torch.Tensor, g: torch.Generator, max_shift: int, scale: torch.Tensor) -> torch.Tensor:
    n, c, t = window.shape
    std = window.std(dim=2, keepdim=True) + 1e-6
    offset = 0.2 * std * (2 * torch.rand(n, c, 1, generator=g) - 1)
    ramp = torch.linspace(-1, 1, t).reshape(1, 1, t)
    drift = 0.2 * std * (2 * torch.rand(n, c, 1, generator=g) - 1) * ramp
    noise = 0.05 * std * torch.rand(n, 1, 1, generator=g) * torch.randn(n, c, t, generator=g)
    shift = torch.randint(-max_shift, max_shift + 1, (n, 1, 1), generator=g)
    return shifted(window, shift) * scale + offset + drift + noise
