"""Tickets' pruning criteria against PyTorch, on the same weights.

Magnitude: Tickets' masks must equal torch.nn.utils.prune.l1_unstructured (layer by
layer, amount = the rate) and prune.global_unstructured (L1, all layers together, by
rate and by a density turned into a count). Both remove round(amount * n) weights (the
counts here have no halves, where Python's round and Swift's differ). Ties: Tickets
removes equal magnitudes by position, torch.topk in no stated order; a differing entry
is accepted only when its magnitude equals the cut's (a tie straddling it), and the
number of such entries is printed.

SynFlow: Tickets' masks must match the paper's algorithm (Tanaka et al. 2020,
Algorithm 1) written here in PyTorch in float64: |W| ⊙ mask, biases zero, an all-ones
input, R = sum of the outputs, scores (dR/dW) ⊙ W by autograd, 100 rounds keeping the
round(d^(j/100) · N) highest scores over all layers. Tickets computes in float32 with
per-layer rescaling; scores within float32's precision of the cut may order either way,
so a few differing entries are allowed (at most 0.1% of the kept weights), and printed.

SNIP: |g ⊙ W| with g the float32 gradient of the mean cross-entropy over the same 100
training images (the whole training split Tickets was given, so its random draw takes
them all), the highest 10% over all layers; near-ties as for SynFlow.

GraSP, at LeNet-300-100 and Conv-2 size: the paper's code (alecwangcq/GraSP,
pruner/GraSP.py) in float64 on the same weights and sample (10 images of each class,
written here for Tickets to load, class by class; the two halves are classes 0-4 and
5-9): logits / 200, g the sum of the halves' weight gradients, Hg the sum of the halves'
torch.autograd.grad double-backward of g·∇L, score −w ⊙ Hg, the highest removed. The
masks may differ only at ties: entries whose two scores are both within float32's
rounding of the cut (|s − cut| below 1e-5 of the largest |s|, a bound the check
prints). Tickets' g and Hg (saved by grad and hvp with GraSP's settings) are compared
too, by relative error ‖ours − autograd‖ / ‖autograd‖; and plain grad and hvp (the
mean loss over the 100 images in evaluation mode, v = that gradient, biases included).

Usage: python check_criteria.py TKS_BINARY   (exit 0 when every check passes)
"""
import copy, os, subprocess, sys, tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.prune as prune
from safetensors.torch import load_file

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import ROOT, check, failures, idx  # noqa: E402


def lenet():
    return nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(), nn.Linear(100, 10))


def conv2():
    """The LTH paper's Conv-2 for 1×28×28 images, as Tickets' conv(2, data) builds it."""
    return nn.Sequential(nn.Conv2d(1, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 14 * 14, 256), nn.ReLU(),
                         nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))


def prunable(model):
    return [i for i, m in enumerate(model) if isinstance(m, (nn.Linear, nn.Conv2d))]


def tickets_mask(path, model):
    m = load_file(path)
    return {i: m[f"{i}.weight_mask"].bool() for i in prunable(model)}


def compare(name, ours, theirs, magnitudes=None, cut=None, allowed=0):
    """Counts the entries where two masks differ; with magnitudes and the cut, those
    that are ties at the cut are set apart."""
    differ, ties, kept = 0, 0, 0
    for i in ours:
        d = ours[i] != theirs[i]
        kept += int(theirs[i].sum())
        if magnitudes is not None:
            at_cut = magnitudes[i] == cut[i] if isinstance(cut, dict) else magnitudes[i] == cut
            ties += int((d & at_cut).sum())
            differ += int((d & ~at_cut).sum())
        else:
            differ += int(d.sum())
    check(differ <= allowed, f"{name}: {differ} entries differ (allowed {allowed}), {ties} ties at the cut, {kept} kept")


def synflow_reference(model, shape, density, rounds=100):
    """The paper's SynFlow in float64; masks by layer index."""
    idxs = prunable(model)
    weights = {i: model[i].weight.detach().double().abs() for i in idxs}
    masks = {i: torch.ones_like(weights[i], dtype=torch.bool) for i in idxs}
    total = sum(w.numel() for w in weights.values())
    for j in range(1, rounds + 1):
        lin = [m for m in model]
        params = {}
        for i in idxs:
            params[i] = (weights[i] * masks[i]).requires_grad_(True)
        x = torch.ones([1] + shape, dtype=torch.float64)
        for k, layer in enumerate(lin):
            if k in params:
                if isinstance(layer, nn.Linear):
                    x = F.linear(x, params[k])
                else:
                    x = F.conv2d(x, params[k], stride=layer.stride, padding=layer.padding)
            else:
                x = layer(x)
        x.sum().backward()
        scores = torch.cat([(params[i].grad * params[i]).detach().abs().flatten() for i in idxs])
        alive = torch.cat([masks[i].flatten() for i in idxs])
        keep = int(np.floor(density ** (j / rounds) * total + 0.5))
        keep = min(keep, int(alive.sum()))
        scores[~alive] = -1
        order = torch.argsort(scores, descending=True, stable=True)
        flat = torch.zeros(total, dtype=torch.bool)
        flat[order[:keep]] = True
        start = 0
        for i in idxs:
            n = weights[i].numel()
            masks[i] = flat[start:start + n].reshape(weights[i].shape)
            start += n
    return masks


LENET_NAMES = ["fc1", "fc2", "fc3"]
CONV2_NAMES = ["conv1", "conv2", "fc1", "fc2", "fc3"]


def write_sample(folder):
    """10 training images of each class, class by class, as an IDX pair (train and
    test): GraSP's balanced sample then takes all of it, in this order."""
    images = idx(f"{ROOT}/train-images-idx3-ubyte.gz")
    labels = idx(f"{ROOT}/train-labels-idx1-ubyte.gz")
    rows = [i for c in range(10) for i in np.flatnonzero(labels == c)[:10]]
    os.makedirs(f"{folder}/sample", exist_ok=True)
    for prefix in ["train", "t10k"]:
        with open(f"{folder}/sample/{prefix}-images-idx3-ubyte", "wb") as f:
            f.write(bytes([0, 0, 8, 3]) + b"".join(int(n).to_bytes(4, "big") for n in (len(rows), 28, 28)))
            f.write(images[rows].tobytes())
        with open(f"{folder}/sample/{prefix}-labels-idx1-ubyte", "wb") as f:
            f.write(bytes([0, 0, 8, 1]) + len(rows).to_bytes(4, "big") + labels[rows].astype(np.uint8).tobytes())
    x = torch.from_numpy(images[rows].reshape(len(rows), 1, 28, 28).astype(np.float64) / 255)
    y = torch.from_numpy(labels[rows].astype(np.int64))
    return x, y


def grasp_reference(model, x, y, temperature=200.0):
    """alecwangcq/GraSP's scores in float64: (g, Hg, −w ⊙ Hg) for the prunable weights,
    by the index of their layer."""
    model = copy.deepcopy(model).double().train()
    idxs = prunable(model)
    weights = [model[i].weight for i in idxs]
    n = x.shape[0]
    halves = [(x[:n // 2], y[:n // 2]), (x[n // 2:], y[n // 2:])]
    g = [torch.zeros_like(w) for w in weights]
    for xs, ys in halves:
        loss = F.cross_entropy(model(xs) / temperature, ys)
        g = [a + b for a, b in zip(g, torch.autograd.grad(loss, weights))]
    hg = [torch.zeros_like(w) for w in weights]
    for xs, ys in halves:
        loss = F.cross_entropy(model(xs) / temperature, ys)
        gf = torch.autograd.grad(loss, weights, create_graph=True)
        z = sum((a * b).sum() for a, b in zip(g, gf))
        hg = [a + b for a, b in zip(hg, torch.autograd.grad(z, weights))]
    scores = {i: -(w.detach() * h) for i, w, h in zip(idxs, weights, hg)}
    return dict(zip(idxs, g)), dict(zip(idxs, hg)), scores


def plain_grad_hvp(model, x, y):
    """The gradient of the mean loss (evaluation mode) over every parameter, and H·g,
    in float64, by parameter name ("0.weight")."""
    model = copy.deepcopy(model).double().eval()
    names, params = zip(*model.named_parameters())
    loss = F.cross_entropy(model(x), y)
    g = torch.autograd.grad(loss, params, create_graph=True)
    z = sum((a.detach() * b).sum() for a, b in zip(g, g))
    hv = torch.autograd.grad(z, params)
    return dict(zip(names, [a.detach() for a in g])), dict(zip(names, hv))


def relative_error(ours, theirs):
    num = sum(float(((o.double() - t) ** 2).sum()) for o, t in zip(ours, theirs))
    den = sum(float((t ** 2).sum()) for t in theirs)
    return (num / den) ** 0.5


def grasp_mask(scores, density):
    """Removes the highest scores over all layers: keeps the round(d·N) lowest."""
    idxs = list(scores)
    flat = torch.cat([scores[i].flatten() for i in idxs])
    keep = int(np.floor(density * flat.numel() + 0.5))
    order = torch.argsort(flat, stable=True)
    kept = torch.zeros(flat.numel(), dtype=torch.bool)
    kept[order[:keep]] = True
    out, start = {}, 0
    for i in idxs:
        n = scores[i].numel()
        out[i] = kept[start:start + n].reshape(scores[i].shape)
        start += n
    cut = float(flat[order[keep - 1]])
    return out, cut, float(flat.abs().max())


def check_grasp(folder, what, model, names, x, y):
    x = x.reshape(x.shape[0], -1) if what == "lenet" else x
    g, hg, scores = grasp_reference(model, x, y)
    idxs = prunable(model)
    load = lambda prefix, i: torch.from_numpy(np.load(f"{folder}/{prefix}.{names[idxs.index(i)]}.weight.npy"))
    err_g = relative_error([load(f"grasp_g_{what}", i) for i in idxs], [g[i] for i in idxs])
    err_hg = relative_error([load(f"grasp_hg_{what}", i) for i in idxs], [hg[i] for i in idxs])
    check(err_g < 1e-4, f"grasp {what}: g (sum of the halves' gradients, T=200) vs autograd: relative error {err_g:.2e}")
    check(err_hg < 1e-3, f"grasp {what}: Hg vs autograd's double backward: relative error {err_hg:.2e}")
    for density, tag in [(0.1, "10"), (0.02, "2")]:
        theirs, cut, top = grasp_mask(scores, density)
        ours = tickets_mask(f"{folder}/grasp_{what}_{tag}.safetensors", model)
        band = 1e-5 * top
        differ, ties = 0, 0
        for i in idxs:
            d = ours[i] != theirs[i]
            near = (scores[i] - cut).abs() <= band
            ties += int((d & near).sum())
            differ += int((d & ~near).sum())
        kept = sum(int(m.sum()) for m in theirs.values())
        check(differ == 0, f"grasp {what} density={density} vs the paper's code (float64 autograd): {differ} entries differ, "
                           f"{ties} near-ties within {band:.1e} of the cut, {kept} kept")
    gp, hv = plain_grad_hvp(model, x, y)
    keys = [f"{i}.{p}" for i in idxs for p in ("weight", "bias")]
    ours_g = [torch.from_numpy(np.load(f"{folder}/grad_{what}.{names[idxs.index(int(k.split('.')[0]))]}.{k.split('.')[1]}.npy")) for k in keys]
    ours_hv = [torch.from_numpy(np.load(f"{folder}/hvp_{what}.{names[idxs.index(int(k.split('.')[0]))]}.{k.split('.')[1]}.npy")) for k in keys]
    err = relative_error(ours_g, [gp[k] for k in keys])
    # A conv net's 3×3 layers may run Winograd F(4×4, 3×3) (oneDNN's on AVX-512, Tickets'
    # own on AVX2), whose transforms round to about 1e-4 of the gradient (direct: 2e-6).
    bound = 1e-4 if what == "lenet" else 1e-3
    check(err < bound, f"grad {what} (batch=100, evaluation mode) vs autograd: relative error {err:.2e} (bound {bound:g})")
    err = relative_error(ours_hv, [hv[k] for k in keys])
    check(err < 1e-3, f"hvp {what} (v = that gradient, biases included) vs autograd's double backward: relative error {err:.2e}")


def main():
    binary = sys.argv[1]
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as folder:
        sample_x, sample_y = write_sample(folder)
        out = subprocess.run([binary, os.path.join(HERE, "criteria.tks"), f"folder={folder}"], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"tks failed:\n{out.stdout}\n{out.stderr}")
        state = load_file(f"{folder}/lenet.safetensors")

        def fresh():
            model = lenet()
            model.load_state_dict(state)
            return model

        # --- magnitude, layer by layer: l1_unstructured --------------------------------
        model = fresh()
        mags = {i: model[i].weight.detach().abs() for i in prunable(model)}
        cuts = {}
        for i in prunable(model):
            prune.l1_unstructured(model[i], "weight", amount=0.3)
            pruned = mags[i][model[i].weight_mask == 0]
            cuts[i] = pruned.max()
        theirs = {i: model[i].weight_mask.bool() for i in prunable(model)}
        compare("magnitude rate=0.3 vs l1_unstructured(amount=0.3)", tickets_mask(f"{folder}/magnitude_layer.safetensors", model),
                theirs, mags, cuts)

        # --- magnitude, all layers together: global_unstructured -----------------------
        for path, amount, what in [("magnitude_global.safetensors", 0.6, "rate=0.6"),
                                   ("magnitude_global_density.safetensors", 266200 - int(np.floor(0.05 * 266200 + 0.5)), "density=0.05")]:
            model = fresh()
            params = [(model[i], "weight") for i in prunable(model)]
            prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=amount)
            theirs = {i: model[i].weight_mask.bool() for i in prunable(model)}
            cut = max(float(mags[i][theirs[i] == 0].max()) for i in prunable(model))
            compare(f"magnitude scope=global {what} vs global_unstructured(amount={amount})",
                    tickets_mask(f"{folder}/{path}", model), theirs, mags, torch.tensor(cut))

        # --- SynFlow: the paper's algorithm in float64 --------------------------------
        model = fresh()
        ref = synflow_reference(model, [784], 0.02)
        ours = tickets_mask(f"{folder}/synflow_lenet.safetensors", model)
        kept = sum(int(m.sum()) for m in ref.values())
        compare("synflow LeNet density=0.02 vs the paper's algorithm (float64)", ours, ref, allowed=kept // 1000)
        c = conv2()
        c.load_state_dict(load_file(f"{folder}/conv2.safetensors"))
        ref = synflow_reference(c, [1, 28, 28], 0.05)
        ours = tickets_mask(f"{folder}/synflow_conv2.safetensors", c)
        kept = sum(int(m.sum()) for m in ref.values())
        compare("synflow Conv-2 density=0.05 vs the paper's algorithm (float64)", ours, ref, allowed=kept // 1000)

        # --- SNIP: |g ⊙ w| on the same 100 images -------------------------------------
        model = fresh()
        x = torch.from_numpy(idx(f"{ROOT}/train-images-idx3-ubyte.gz")[:100].reshape(100, 784).astype(np.float32) * np.float32(1 / 255))
        y = torch.from_numpy(idx(f"{ROOT}/train-labels-idx1-ubyte.gz")[:100].astype(np.int64))
        F.cross_entropy(model(x), y).backward()
        idxs = prunable(model)
        scores = torch.cat([(model[i].weight.grad * model[i].weight).detach().abs().flatten() for i in idxs])
        keep = int(np.floor(0.1 * scores.numel() + 0.5))
        order = torch.argsort(scores, descending=True, stable=True)
        flat = torch.zeros(scores.numel(), dtype=torch.bool)
        flat[order[:keep]] = True
        theirs, start = {}, 0
        for i in idxs:
            n = model[i].weight.numel()
            theirs[i] = flat[start:start + n].reshape(model[i].weight.shape)
            start += n
        compare("snip density=0.1 vs |g * w| by autograd on the same 100 images", tickets_mask(f"{folder}/snip_lenet.safetensors", model),
                theirs, allowed=keep // 1000)

        # --- GraSP, grad and hvp: autograd's double backward on the same sample --------
        check_grasp(folder, "lenet", fresh(), LENET_NAMES, sample_x, sample_y)
        c = conv2()
        c.load_state_dict(load_file(f"{folder}/conv2.safetensors"))
        check_grasp(folder, "conv2", c, CONV2_NAMES, sample_x, sample_y)
    if failures:
        sys.exit(f"{len(failures)} criteria check(s) failed")
    print("criteria: all checks passed")


if __name__ == "__main__":
    main()
