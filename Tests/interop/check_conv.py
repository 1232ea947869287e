#!/usr/bin/env python3
"""PyTorch's answers for the Tickets convolutional kernels (TorchInteropTests.swift).

Usage: check_conv.py DIR

DIR/manifest.json lists cases; each input `key` of case `name` is DIR/name.key.f32,
raw little-endian float32 in row-major (NCHW) order with the shape the manifest gives.
For every case this script computes PyTorch's forward pass and, with the loss
sum(y * r), its gradients, and writes each output `key` to DIR/name.key.out.f32 in the
same format. The Swift test compares them with its own. Ops:

  conv2d             x, w, b (optional), r    -> y, dx, dw, db (if b)
  max_pool2d         x, r                     -> y, indices (as floats), dx
  avg_pool2d         x, r                     -> y, dx   (count_include_pad=True)
  global_avg_pool2d  x, r                     -> y (N, C), dx
  batch_norm         x0..x{steps-1}, gamma, beta, running_mean, running_var, r, x_eval
                     -> running_mean, running_var after `steps` training forwards;
                        y, dx, dgamma, dbeta of the last step; y_eval in eval mode
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F


def main(folder):
    torch.set_num_threads(1)
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    for case in manifest["cases"]:
        name, shapes = case["name"], case["shapes"]

        def load(key, grad=False):
            data = np.fromfile(os.path.join(folder, f"{name}.{key}.f32"), dtype="<f4")
            t = torch.from_numpy(data.reshape(shapes[key]).copy())
            return t.requires_grad_(grad)

        def save(key, tensor):
            array = tensor.detach().to(torch.float32).contiguous().numpy().astype("<f4")
            array.tofile(os.path.join(folder, f"{name}.{key}.out.f32"))

        op = case["op"]
        if op == "conv2d":
            x, w, r = load("x", True), load("w", True), load("r")
            b = load("b", True) if "b" in shapes else None
            y = F.conv2d(x, w, b, stride=case["stride"], padding=case["padding"])
            (y * r).sum().backward()
            save("y", y), save("dx", x.grad), save("dw", w.grad)
            if b is not None:
                save("db", b.grad)
        elif op == "max_pool2d":
            x, r = load("x", True), load("r")
            y, indices = F.max_pool2d(x, case["kernel"], case["stride"], case["padding"], return_indices=True)
            (y * r).sum().backward()
            save("y", y), save("indices", indices.to(torch.float32)), save("dx", x.grad)
        elif op == "avg_pool2d":
            x, r = load("x", True), load("r")
            y = F.avg_pool2d(x, case["kernel"], case["stride"], case["padding"], count_include_pad=True)
            (y * r).sum().backward()
            save("y", y), save("dx", x.grad)
        elif op == "global_avg_pool2d":
            x, r = load("x", True), load("r")
            y = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
            (y * r).sum().backward()
            save("y", y), save("dx", x.grad)
        elif op == "batch_norm":
            gamma, beta = load("gamma", True), load("beta", True)
            running_mean, running_var = load("running_mean"), load("running_var")
            steps = case["steps"]
            for k in range(steps):
                x = load(f"x{k}", True)
                # Updates running_mean / running_var in place, as nn.BatchNorm does.
                y = F.batch_norm(x, running_mean, running_var, gamma, beta, training=True,
                                 momentum=case["momentum"], eps=case["eps"])
            (y * load("r")).sum().backward()
            save("y", y), save("dx", x.grad), save("dgamma", gamma.grad), save("dbeta", beta.grad)
            save("running_mean", running_mean), save("running_var", running_var)
            y_eval = F.batch_norm(load("x_eval"), running_mean, running_var, gamma, beta,
                                  training=False, eps=case["eps"])
            save("y_eval", y_eval)
        else:
            sys.exit(f"check_conv.py: unknown op {op!r} in case {name!r}")
    print(f"check_conv.py: {len(manifest['cases'])} cases, torch {torch.__version__}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
