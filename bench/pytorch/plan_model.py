"""A PyTorch network built from a randwire model plan (the JSON of `bench/export-plan.ts`).

The plan is the project's own description of a network (src/model/plan.ts): a DAG of layers
with their hyper-parameters. Interpreting it here gives PyTorch exactly the network that
`npm run bench` trains - the same layers, the same random graphs, the same shared ReLUs - so
the speed comparison is of frameworks, not of two hand-written copies of a model.

Differences that do not change the amount of work: NCHW instead of NHWC, PyTorch's symmetric
padding instead of TensorFlow's 'same' (equal output sizes), logits with cross_entropy instead
of softmax probabilities, PyTorch's default initialisation.
"""
from __future__ import annotations

import math
from typing import Dict, List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

Shape = Tuple[int, ...]  # (C, H, W) for images, (F,) after flatten / global pooling


def _out_side(side: int, kernel: int, stride: int, padding: str) -> int:
    return math.ceil(side / stride) if padding == "same" else (side - kernel) // stride + 1


def _pad(kernel: int, padding: str) -> int:
    return kernel // 2 if padding == "same" else 0


class WeightedSum(nn.Module):
    """sum_i sigmoid(w_i) * x_i (RandWire aggregation), optionally followed by ReLU."""

    def __init__(self, n: int, relu: bool):
        super().__init__()
        self.w = nn.Parameter(torch.zeros(n))
        self.relu = relu

    def forward(self, xs: List[torch.Tensor]) -> torch.Tensor:
        g = torch.sigmoid(self.w)
        y = xs[0] * g[0]
        for i in range(1, len(xs)):
            y = y + xs[i] * g[i]
        return F.relu(y) if self.relu else y


class SepConv(nn.Module):
    def __init__(self, cin: int, cout: int, kernel: int, stride: int):
        super().__init__()
        self.dw = nn.Conv2d(cin, cin, kernel, stride=stride, padding=kernel // 2, groups=cin, bias=False)
        self.pw = nn.Conv2d(cin, cout, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pw(self.dw(x))


def _layer(op: Dict, shapes: List[Shape]) -> Tuple[nn.Module | None, Shape]:
    kind = op["kind"]
    s = shapes[0]
    if kind == "conv":
        c, h, w = s
        k, st, pad = op["kernel"], op["stride"], op["padding"]
        m = nn.Conv2d(c, op["filters"], k, stride=st, padding=_pad(k, pad), bias=op["bias"])
        return m, (op["filters"], _out_side(h, k, st, pad), _out_side(w, k, st, pad))
    if kind == "sepconv":
        c, h, w = s
        return SepConv(c, op["filters"], op["kernel"], op["stride"]), (op["filters"], math.ceil(h / op["stride"]), math.ceil(w / op["stride"]))
    if kind == "bn":
        return (nn.BatchNorm2d(s[0]) if len(s) == 3 else nn.BatchNorm1d(s[0])), s
    if kind == "relu":
        return nn.ReLU(), s
    if kind == "maxpool":
        c, h, w = s
        k, st, pad = op["size"], op["stride"], op["padding"]
        return nn.MaxPool2d(k, st, padding=_pad(k, pad) if pad == "same" else 0, ceil_mode=pad == "same"), (c, _out_side(h, k, st, pad), _out_side(w, k, st, pad))
    if kind == "gap":
        return nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten()), (s[0],)
    if kind == "flatten":
        return nn.Flatten(), (math.prod(s),)
    if kind == "dense":
        # The classifier's softmax is left to cross_entropy (the same work either way).
        layers: List[nn.Module] = [nn.Linear(s[0], op["units"])]
        if op["activation"] == "relu":
            layers.append(nn.ReLU())
        return nn.Sequential(*layers), (op["units"],)
    if kind == "dropout":
        return nn.Dropout(op["rate"]), s
    if kind == "weightedSum":
        return WeightedSum(len(shapes), op["activation"] == "relu"), s
    if kind == "mean":
        return None, s
    raise ValueError(f"unknown layer kind {kind!r}")


class PlanModel(nn.Module):
    def __init__(self, plan: Dict):
        super().__init__()
        h, w, c = plan["inputShape"]
        shapes: Dict[str, Shape] = {"input": (c, h, w)}
        self.order: List[Tuple[str, str, str, List[str]]] = []
        self.layers = nn.ModuleDict()
        for layer in plan["layers"]:
            module, shape = _layer(layer["op"], [shapes[i] for i in layer["inputs"]])
            key = layer["name"].replace(".", "_")
            if module is not None:
                self.layers[key] = module
            self.order.append((layer["name"], key, layer["op"]["kind"], layer["inputs"]))
            shapes[layer["name"]] = shape
        self.output = plan["output"]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        values: Dict[str, torch.Tensor] = {"input": x}
        for name, key, kind, inputs in self.order:
            xs = [values[i] for i in inputs]
            if kind == "weightedSum":
                values[name] = self.layers[key](xs)
            elif kind == "mean":
                y = xs[0]
                for t in xs[1:]:
                    y = y + t
                values[name] = y / len(xs)
            else:
                values[name] = self.layers[key](xs[0])
        return values[self.output]


def multiply_adds(model: PlanModel, input_shape: Shape) -> int:
    """Multiply-adds of the convolutions and dense layers for one image (as src/model/complexity.ts)."""
    macs = 0

    def hook(mod, _inp, out):
        nonlocal macs
        if isinstance(mod, nn.Conv2d):
            kh, kw = mod.kernel_size
            macs += out.numel() // out.shape[0] * (mod.in_channels // mod.groups) * kh * kw
        elif isinstance(mod, nn.Linear):
            macs += out.numel() // out.shape[0] * mod.in_features

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, *input_shape))
    model.train(was_training)
    for h in handles:
        h.remove()
    return macs
