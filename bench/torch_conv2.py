"""PyTorch baseline for scripts/bench: the LTH paper's Conv-2 on Fashion-MNIST, the
same layers, init, data, optimizer and batch as bench/tickets_conv2.tks.

Prints `name seconds` lines: conv2_epoch (one epoch, batch 60, Adam 2e-4: Frankle &
Carbin 2019, Appendix F) and ckpt_load (reading a Conv-2 checkpoint that Tickets wrote
with safetensors and putting it into the module, the fastest of 5).
"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file

from torch_lenet import load


def conv2():
    net = nn.Sequential(
        nn.Conv2d(1, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(64 * 14 * 14, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    for m in net:
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_normal_(m.weight)   # Glorot normal, as Tickets' init="glorot"
            nn.init.zeros_(m.bias)
    return net


def train(net, x, y, steps=None, batch=60, seed=0):
    opt = torch.optim.Adam(net.parameters(), lr=2e-4)
    g = torch.Generator().manual_seed(seed)
    perm = torch.randperm(x.shape[0], generator=g)
    n = x.shape[0] if steps is None else steps * batch
    for i in range(0, n, batch):
        idx_ = perm[i:i + batch]
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(net(x[idx_]), y[idx_]).backward()
        opt.step()


def main():
    torch.manual_seed(0)
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)
    x, y, tx, ty = load()
    x = x.reshape(-1, 1, 28, 28)
    net = conv2()
    train(net, x, y, steps=50)   # warm-up (allocator, oneDNN's kernels)
    net = conv2()
    if len(sys.argv) > 2 and sys.argv[1] == "--steps":   # scripts/bench conv2quick
        t = time.perf_counter()
        train(net, x, y, steps=int(sys.argv[2]))
        print(f"conv2_steps {time.perf_counter() - t:.3f}", flush=True)
        return
    t = time.perf_counter()
    train(net, x, y)
    print(f"conv2_epoch {time.perf_counter() - t:.3f}", flush=True)
    with torch.no_grad():
        acc = (net(tx.reshape(-1, 1, 28, 28)).argmax(1) == ty).float().mean().item()
    print(f"# conv2 epoch acc {acc:.4f}", flush=True)

    if len(sys.argv) > 1:   # a checkpoint written by Tickets
        times = []
        for _ in range(5):
            t = time.perf_counter()
            net.load_state_dict(load_file(sys.argv[1]), strict=False)
            times.append(time.perf_counter() - t)
        print(f"ckpt_load {min(times):.4f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
