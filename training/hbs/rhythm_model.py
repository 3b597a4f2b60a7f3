"""The rhythm model: a small 1-D ResNet over a 10 s single-lead window at 125 Hz, one light
multi-head self-attention layer over the downsampled sequence, global average pooling, an
embedding and a linear head (classes: other, AF, VT (VT/VFL/VF), noise)."""
from __future__ import annotations

import torch
from torch import nn
import torch.nn.functional as F


class ResBlock1d(nn.Module):
    def __init__(self, cin: int, cout: int, k: int, stride: int):
        super().__init__()
        self.c1 = nn.Conv1d(cin, cout, k, stride=stride, padding=k // 2, bias=False)
        self.b1 = nn.BatchNorm1d(cout)
        self.c2 = nn.Conv1d(cout, cout, k, padding=k // 2, bias=False)
        self.b2 = nn.BatchNorm1d(cout)
        self.skip = (nn.Sequential(nn.Conv1d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm1d(cout))
                     if (cin != cout or stride != 1) else nn.Identity())

    def forward(self, x):
        y = torch.relu(self.b1(self.c1(x)))
        y = self.b2(self.c2(y))
        return torch.relu(y + self.skip(x))


class RhythmNet(nn.Module):
    def __init__(self, ch=(16, 24, 32, 48), heads: int = 4, d_emb: int = 32, p_drop: float = 0.5,
                 attention: bool = True, n_classes: int = 4):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(1, ch[0], 7, stride=2, padding=3, bias=False),
                                  nn.BatchNorm1d(ch[0]), nn.ReLU(), nn.MaxPool1d(2, ceil_mode=True))  # 313
        blocks = []
        for cin, cout in zip(ch[:-1], ch[1:]):
            blocks.append(ResBlock1d(cin, cout, 5, 2))                                   # 157 79 40
        self.blocks = nn.Sequential(*blocks)
        self.attention = attention
        if attention:
            self.pos = nn.Parameter(torch.zeros(1, 40, ch[-1]))
            self.attn = nn.MultiheadAttention(ch[-1], heads, dropout=0.1, batch_first=True)
            self.norm = nn.LayerNorm(ch[-1])
        self.fuse = nn.Sequential(nn.Dropout(p_drop), nn.Linear(ch[-1], d_emb), nn.ReLU())
        self.drop_head = nn.Dropout(0.3)
        self.head = nn.Linear(d_emb, n_classes)

    def embed(self, ecg):
        x = self.blocks(self.stem(ecg))              # [N, C, 40]
        if self.attention:
            t = x.transpose(1, 2) + self.pos         # [N, 40, C]
            a, _ = self.attn(t, t, t, need_weights=False)
            x = self.norm(t + a).transpose(1, 2)
        return self.fuse(x.mean(dim=2))

    def logits(self, ecg):
        return self.head(self.drop_head(self.embed(ecg)))

    def forward(self, ecg):
        e = self.embed(ecg)
        return torch.softmax(self.head(e), dim=1), e


def focal_loss(logits, target, alpha, gamma: float = 2.0):
    logp = F.log_softmax(logits, dim=1)
    lp = logp.gather(1, target[:, None]).squeeze(1)
    p = lp.exp()
    return (-alpha[target] * (1 - p) ** gamma * lp).mean()


def augment_rhythm(x, g: torch.Generator, max_shift: int = 125, p_sign_flip: float = 0.2):
    """Scaling, sign flip (inverted leads are common in single-lead recordings), Gaussian noise,
    baseline wander, circular time shift up to ±1 s."""
    n, _, t = x.shape
    scale = 0.7 + 0.6 * torch.rand(n, 1, 1, generator=g)
    sign = torch.where(torch.rand(n, 1, 1, generator=g) < p_sign_flip, -1.0, 1.0)
    noise = 0.3 * torch.rand(n, 1, 1, generator=g) * torch.randn(n, 1, t, generator=g)
    ph = 2 * torch.pi * torch.rand(n, 1, 1, generator=g)
    f = 0.1 + 0.4 * torch.rand(n, 1, 1, generator=g)
    tt = torch.arange(t).reshape(1, 1, t) / 125.0
    wander = 0.5 * torch.rand(n, 1, 1, generator=g) * torch.sin(2 * torch.pi * f * tt + ph)
    shift = torch.randint(-max_shift, max_shift + 1, (n,), generator=g)
    idx = (torch.arange(t).reshape(1, t) - shift[:, None]) % t
    x = torch.gather(x, 2, idx[:, None, :])
    return x * scale * sign + noise + wander
