"""PyTorch side of `scripts/bench scaling` (bench/scaling.tks is Tickets'): a
LeNet-300-100 epoch on Fashion-MNIST (SGD 0.1) against batch size, width and density
(a masked net, as torch.nn.utils.prune computes it: the mask multiplies a dense
weight). Prints `what value seconds` lines, each the faster of 2 epochs after a
warm-up, the same loop as bench/torch_lenet.py.
"""
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_lenet import load, train_epoch


def lenet(width=1):
    fc1, fc2, fc3 = nn.Linear(784, 300 * width), nn.Linear(300 * width, 100 * width), nn.Linear(100 * width, 10)
    for l in (fc1, fc2, fc3):
        nn.init.xavier_normal_(l.weight)
        nn.init.zeros_(l.bias)
    return nn.Sequential(fc1, nn.ReLU(), fc2, nn.ReLU(), fc3)


def masks_at(net, density):
    """Layerwise magnitude masks keeping `density` of each layer's weights."""
    out = {}
    for l in net:
        if isinstance(l, nn.Linear):
            w = l.weight.detach().abs().flatten()
            k = max(1, int(round(density * w.numel())))
            thr = w.topk(k).values[-1]
            out[l] = (l.weight.detach().abs() >= thr).float()
            with torch.no_grad():
                l.weight.mul_(out[l])
    return out


def epoch(net, masks, x, y, batch):
    train_epoch(net, masks, x[:50 * batch], y[:50 * batch], batch=batch)   # warm-up
    times = []
    for e in range(2):
        t = time.perf_counter()
        train_epoch(net, masks, x, y, batch=batch, seed=e)
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    torch.manual_seed(0)
    x, y, _, _ = load()
    for b in [32, 64, 128, 256, 512, 1024]:
        print(f"batch {b} {epoch(lenet(), {}, x, y, b):.4f}", flush=True)
    for w in [1, 2, 3, 4]:
        print(f"width {w} {epoch(lenet(w), {}, x, y, 60):.4f}", flush=True)
    for d in [1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01]:
        net = lenet()
        masks = masks_at(net, d) if d < 1 else {}
        print(f"density {d} {epoch(net, masks, x, y, 60):.4f}", flush=True)


if __name__ == "__main__":
    main()
