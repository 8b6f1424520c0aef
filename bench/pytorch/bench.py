"""PyTorch's training and inference speed on a randwire model plan, for `npm run bench:compare`.

  python3 bench/pytorch/bench.py --plan PLAN.json --batch 128 [--steps 10] [--warmup 5] [--threads 2]

Training step: zero_grad, forward in training mode, cross-entropy, backward, Adam (lr 1e-3,
betas 0.9/0.999, eps 1e-5): what `npm run bench` times. Inference: forward in eval mode under
no_grad. One fixed random batch; each step timed alone; images/s = batch / median step time.
Prints one JSON line.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plan_model import PlanModel, multiply_adds  # noqa: E402


def timed(fn, warmup: int, steps: int):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plan", required=True, help="model plan JSON (bench/export-plan.ts)")
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    if a.batch < 1 or a.steps < 1 or a.warmup < 0 or a.threads < 1:
        ap.error("--batch, --steps and --threads must be >= 1, --warmup >= 0")
    with open(a.plan) as f:
        plan = json.load(f)
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = PlanModel(plan)
    h, w, c = plan["inputShape"]
    x = torch.randn(a.batch, c, h, w)
    y = torch.randint(0, plan["classes"], (a.batch,))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-5)

    def train_step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()

    def infer_step():
        with torch.no_grad():
            model(x)

    model.train()
    train = timed(train_step, a.warmup, a.steps)
    model.eval()
    infer = timed(infer_step, a.warmup, a.steps)
    macs = multiply_adds(model, (c, h, w))
    train_ips = a.batch / statistics.median(train)
    print(json.dumps({
        "framework": "pytorch", "version": torch.__version__, "threads": torch.get_num_threads(),
        "model": plan["model"], "batch": a.batch,
        "trainImagesPerSec": round(train_ips, 2),
        "inferImagesPerSec": round(a.batch / statistics.median(infer), 2),
        "gflops": round(train_ips * 6 * macs / 1e9, 2), "multiplyAddsPerImage": macs,
        "trainStepSeconds": [round(t, 4) for t in train],
    }))


if __name__ == "__main__":
    main()
