"""PyTorch baseline for scripts/bench: the same LeNet-300-100, init, data and
hyper-parameters as bench/tickets_lenet.tks, on the same machine.

Prints `name seconds` lines: load, epoch, imp4 (and the accuracies it reached).
The loop is the fastest plain PyTorch one: the whole data set in memory as one float
tensor, a fresh permutation per epoch, no DataLoader.
"""
import gzip
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = "/usr/share/datasets/fashion-mnist"


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load():
    x = torch.from_numpy(idx(f"{ROOT}/train-images-idx3-ubyte.gz").reshape(60000, 784).astype(np.float32) / 255)
    y = torch.from_numpy(idx(f"{ROOT}/train-labels-idx1-ubyte.gz").astype(np.int64))
    tx = torch.from_numpy(idx(f"{ROOT}/t10k-images-idx3-ubyte.gz").reshape(10000, 784).astype(np.float32) / 255)
    ty = torch.from_numpy(idx(f"{ROOT}/t10k-labels-idx1-ubyte.gz").astype(np.int64))
    return x, y, tx, ty


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(784, 300), nn.Linear(300, 100), nn.Linear(100, 10)
        for l in (self.fc1, self.fc2, self.fc3):
            nn.init.xavier_normal_(l.weight)   # Glorot normal, as Tickets' init="glorot"
            nn.init.zeros_(l.bias)

    def forward(self, x):
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def train_epoch(net, masks, x, y, lr=0.1, batch=60, seed=0):
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    perm = torch.randperm(x.shape[0], generator=g)
    for i in range(0, x.shape[0], batch):
        idx_ = perm[i:i + batch]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(x[idx_]), y[idx_])
        loss.backward()
        if masks:
            for l, m in masks.items():
                l.weight.grad.mul_(m)
        opt.step()
        if masks:
            with torch.no_grad():
                for l, m in masks.items():
                    l.weight.mul_(m)


def evaluate(net, tx, ty):
    with torch.no_grad():
        return (net(tx).argmax(1) == ty).float().mean().item()


def prune(net, masks, rates):
    """Layerwise magnitude pruning of `rate` of the remaining weights."""
    out = {}
    for l, rate in rates.items():
        m = masks.get(l, torch.ones_like(l.weight))
        alive = l.weight.detach().abs()[m.bool()]
        k = int(round(rate * alive.numel()))
        thr = alive.kthvalue(k).values if k > 0 else torch.tensor(-1.0)
        out[l] = m * (l.weight.detach().abs() > thr).float()
    return out


def main():
    torch.manual_seed(0)
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)
    t = time.perf_counter()
    x, y, tx, ty = load()
    print(f"load {time.perf_counter() - t:.3f}", flush=True)

    net = LeNet()
    train_epoch(net, {}, x[:6000], y[:6000])   # warm-up (allocator, kernels)
    net = LeNet()
    times = []
    for epoch in range(3):   # three epochs; the fastest is reported (both sides do the same)
        t = time.perf_counter()
        train_epoch(net, {}, x, y, seed=epoch)
        times.append(time.perf_counter() - t)
    print(f"epoch {min(times):.3f}", flush=True)
    print(f"# epoch acc {evaluate(net, tx, ty):.4f}", flush=True)

    # Evaluation of the 10,000 test images (the fastest of 5), and an lmc curve: 30
    # nets on the line between two trained ones, each evaluated on the test images
    # (error and loss, as Tickets' lmc reports).
    times = []
    for _ in range(5):
        t = time.perf_counter()
        evaluate(net, tx, ty)
        times.append(time.perf_counter() - t)
    print(f"eval {min(times):.4f}", flush=True)
    other = LeNet()
    train_epoch(other, {}, x, y, seed=7)
    t = time.perf_counter()
    a, b = net.state_dict(), other.state_dict()
    probe = LeNet()
    with torch.no_grad():
        for i in range(30):
            alpha = i / 29
            probe.load_state_dict({k: alpha * a[k] + (1 - alpha) * b[k] for k in a})
            logits = probe(tx)
            error = 1 - (logits.argmax(1) == ty).float().mean().item()
            loss = F.cross_entropy(logits, ty).item()
    print(f"lmc30 {time.perf_counter() - t:.3f}", flush=True)

    # IMP, 4 levels (dense + 3 prunings) of 1 epoch each, rewinding to init.
    net = LeNet()
    init = {k: v.clone() for k, v in net.state_dict().items()}
    rates = {net.fc1: 0.2, net.fc2: 0.2, net.fc3: 0.1}
    masks = {}
    t = time.perf_counter()
    for level in range(4):
        if level > 0:
            masks = prune(net, masks, rates)
            net.load_state_dict(init)
            with torch.no_grad():
                for l, m in masks.items():
                    l.weight.mul_(m)
        train_epoch(net, masks, x, y)
        acc = evaluate(net, tx, ty)
    print(f"imp4 {time.perf_counter() - t:.3f}", flush=True)
    print(f"# imp4 last acc {acc:.4f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
