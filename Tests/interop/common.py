"""What the interop checks share: the Fashion-MNIST files, a check that prints its
verdict and remembers failures, and an IDX reader."""
import gzip

import numpy as np

ROOT = "/usr/share/datasets/fashion-mnist"
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)
