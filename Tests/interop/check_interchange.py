"""Nets and masks crossing between Tickets and PyTorch for real, on Fashion-MNIST.

Tickets -> PyTorch: a LeNet-300-100 that Tickets trained and pruned, saved as
safetensors and .npz, loads into the equivalent nn.Sequential (a pruned module, after
prune.identity, takes N.weight_orig and N.weight_mask) and gives Tickets' test loss to
1e-4; Tickets' mask file applies with prune.custom_from_mask unchanged.
PyTorch -> Tickets: a net PyTorch trained, and one it pruned with
prune.l1_unstructured (weight_orig + weight_mask; as safetensors and as .npz with a bool
mask), load in Tickets and give PyTorch's test loss to 1e-4.

Usage: python check_interchange.py TKS_BINARY   (exit 0 when every check passes)
"""
import os, subprocess, sys, tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.prune as prune
from safetensors.torch import load_file, save_file

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import ROOT, check, failures, idx  # noqa: E402
TOLERANCE = 1e-4



def test_data():
    x = torch.from_numpy(idx(f"{ROOT}/t10k-images-idx3-ubyte.gz").reshape(10000, 784).astype(np.float32) * np.float32(1 / 255))
    y = torch.from_numpy(idx(f"{ROOT}/t10k-labels-idx1-ubyte.gz").astype(np.int64))
    return x, y


def lenet():
    return nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(), nn.Linear(100, 10))


def conv2():
    """The LTH paper's Conv-2 for 1×28×28 images, as Tickets' conv(2, data) builds it."""
    return nn.Sequential(nn.Conv2d(1, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 14 * 14, 256), nn.ReLU(),
                         nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))


def loss_of(model, x, y):
    with torch.no_grad():
        return F.cross_entropy(model(x).double(), y).item()


def tks(binary, *settings):
    out = subprocess.run([binary, os.path.join(HERE, "interchange.tks"), *settings],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"tks failed:\n{out.stdout}\n{out.stderr}")
    return out.stdout


def main():
    binary = sys.argv[1]
    x, y = test_data()
    with tempfile.TemporaryDirectory() as folder:
        # --- Tickets -> PyTorch ---------------------------------------------------
        out = tks(binary, "phase=write", f"folder={folder}")
        tickets_loss = float(next(l for l in out.splitlines() if l.startswith("loss ")).split()[1])
        for name in ["tickets_net.safetensors", "tickets_net.npz"]:
            state = load_file(f"{folder}/{name}") if name.endswith(".safetensors") else \
                {k: torch.from_numpy(v) for k, v in np.load(f"{folder}/{name}").items()}
            model = lenet()
            for i in (0, 2, 4):
                prune.identity(model[i], "weight")   # a pruned module: weight_orig + weight_mask
            model.load_state_dict(state)
            got = loss_of(model, x, y)
            check(abs(got - tickets_loss) < TOLERANCE, f"{name} in PyTorch: test loss {got:.9f} vs Tickets {tickets_loss:.9f}")
        # Conv-2: flatten order (C, H, W) and every key as PyTorch's.
        conv_loss = float(next(l for l in out.splitlines() if l.startswith("conv2_loss ")).split()[1])
        model = conv2()
        for i in (0, 2, 6, 8, 10):
            prune.identity(model[i], "weight")
        model.load_state_dict(load_file(f"{folder}/tickets_conv2.safetensors"))
        got = loss_of(model, x.reshape(-1, 1, 28, 28), y)
        check(abs(got - conv_loss) < TOLERANCE, f"tickets_conv2.safetensors in PyTorch: test loss {got:.9f} vs Tickets {conv_loss:.9f}")
        # The mask alone, applied to the weights with custom_from_mask.
        masks = load_file(f"{folder}/tickets_mask.safetensors")
        check(sorted(masks) == ["0.weight_mask", "2.weight_mask", "4.weight_mask"], f"mask file keys {sorted(masks)}")
        state = load_file(f"{folder}/tickets_net.safetensors")
        model = lenet()
        for i in (0, 2, 4):
            model[i].weight.data.copy_(state[f"{i}.weight_orig"])
            model[i].bias.data.copy_(state[f"{i}.bias"])
            prune.custom_from_mask(model[i], "weight", masks[f"{i}.weight_mask"])
        got = loss_of(model, x, y)
        check(abs(got - tickets_loss) < TOLERANCE, f"custom_from_mask with Tickets' mask: test loss {got:.9f} vs {tickets_loss:.9f}")

        # --- PyTorch -> Tickets ---------------------------------------------------
        torch.manual_seed(0)
        model = lenet()
        xt = torch.from_numpy(idx(f"{ROOT}/train-images-idx3-ubyte.gz").reshape(60000, 784).astype(np.float32) * np.float32(1 / 255))
        yt = torch.from_numpy(idx(f"{ROOT}/train-labels-idx1-ubyte.gz").astype(np.int64))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for i in range(0, 300 * 60, 60):
            opt.zero_grad()
            F.cross_entropy(model(xt[i:i + 60]), yt[i:i + 60]).backward()
            opt.step()
        save_file({k: v.contiguous() for k, v in model.state_dict().items()}, f"{folder}/torch_net.safetensors")
        dense_loss = loss_of(model, x, y)
        for i in (0, 2, 4):
            prune.l1_unstructured(model[i], "weight", amount=0.6)
        pruned = {k: v.contiguous() for k, v in model.state_dict().items()}
        save_file(pruned, f"{folder}/torch_pruned.safetensors")
        np.savez(f"{folder}/torch_pruned.npz", **{k: (v.numpy().astype(bool) if k.endswith("_mask") else v.numpy()) for k, v in pruned.items()})
        save_file({f"{i}.weight_mask": model[i].weight_mask.bool().contiguous() for i in (0, 2, 4)}, f"{folder}/torch_mask_bool.safetensors")
        pruned_loss = loss_of(model, x, y)
        kept = sum(int(model[i].weight_mask.sum()) for i in (0, 2, 4)) / (784 * 300 + 300 * 100 + 100 * 10)
        torch.manual_seed(1)
        c = conv2()
        opt = torch.optim.SGD(c.parameters(), lr=0.05)
        for i in range(0, 60 * 60, 60):
            opt.zero_grad()
            F.cross_entropy(c(xt[i:i + 60].reshape(-1, 1, 28, 28)), yt[i:i + 60]).backward()
            opt.step()
        for i in (0, 2, 6, 8, 10):
            prune.l1_unstructured(c[i], "weight", amount=0.3)
        save_file({k: v.contiguous() for k, v in c.state_dict().items()}, f"{folder}/torch_conv2.safetensors")
        conv_pruned_loss = loss_of(c, x.reshape(-1, 1, 28, 28), y)
        out = tks(binary, "phase=read", f"folder={folder}")
        lines = {l.split()[0]: l.split() for l in out.splitlines() if l.startswith("torch_")}
        got = float(lines["torch_net.safetensors"][2])
        check(abs(got - dense_loss) < TOLERANCE, f"PyTorch's net in Tickets: test loss {got:.9f} vs PyTorch {dense_loss:.9f}")
        for name in ["torch_pruned.safetensors", "torch_pruned.npz"]:
            got, got_kept = float(lines[name][2]), float(lines[name][4])
            check(abs(got - pruned_loss) < TOLERANCE and abs(got_kept - kept) < 1e-6,
                  f"PyTorch's pruned net ({name}) in Tickets: loss {got:.9f} vs {pruned_loss:.9f}, kept {got_kept:.6f} vs {kept:.6f}")
        got = float(lines["torch_conv2.safetensors"][2])
        check(abs(got - conv_pruned_loss) < TOLERANCE, f"PyTorch's pruned Conv-2 in Tickets: test loss {got:.9f} vs PyTorch {conv_pruned_loss:.9f}")
        got_kept = float(lines["torch_mask_bool.safetensors"][2])
        check(abs(got_kept - kept) < 1e-6, f"PyTorch's bool mask in Tickets: kept {got_kept:.6f} vs {kept:.6f}")
    if failures:
        sys.exit(f"{len(failures)} interchange check(s) failed")
    print("interchange: all checks passed")


if __name__ == "__main__":
    main()
