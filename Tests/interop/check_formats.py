#!/usr/bin/env python3
"""Cross-checks Tickets' file formats against the real NumPy and safetensors.

Run by Tests/TicketsEngineTests/InteropTests.swift when TICKETS_PYTHON names a
Python with numpy and safetensors (torch optional):

    check_formats.py check DIR   load the files Swift wrote in DIR with numpy /
                                 safetensors and compare them with DIR/swift_expected.json
    check_formats.py write DIR   write files with np.save, np.savez,
                                 np.savez_compressed and safetensors, and describe
                                 them in DIR/python_expected.json for Swift to check

The expected-values files share one shape:

    {"file name": {"kind": "npy" | "npz" | "safetensors",
                   "metadata": {"k": "v"},                      (safetensors only)
                   "arrays": [{"name": "0.weight", "dtype": "float32",
                               "shape": [3, 4], "values": ["1.5", "-inf", ...]}]}}

Values are text (Python's repr of a float) so that inf, nan and -0.0 survive JSON.
An .npy file holds one array, named "array".
"""
import json
import os
import struct
import sys

import numpy as np
import numpy.lib.format
from safetensors import safe_open
from safetensors.numpy import load_file, save_file

try:
    import torch
    import torch.nn.utils.prune
    import safetensors.torch
except ImportError:  # torch is optional: its checks are skipped without it
    torch = None


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def describe(name, array):
    """The expected-values entry of one array."""
    flat = np.asarray(array).reshape(-1)
    if flat.dtype == np.bool_:
        values = ["1.0" if v else "0.0" for v in flat]
    else:
        values = [repr(float(v)) for v in flat]
    return {"name": name, "dtype": np.asarray(array).dtype.name,
            "shape": list(np.shape(array)), "values": values}


def compare(label, array, expected):
    """Checks one loaded array against its expected-values entry."""
    array = np.asarray(array)
    if array.dtype.name != expected["dtype"]:
        fail(f"{label}: dtype {array.dtype.name}, expected {expected['dtype']}")
    if list(array.shape) != expected["shape"]:
        fail(f"{label}: shape {list(array.shape)}, expected {expected['shape']}")
    want = np.array([float(v) for v in expected["values"]], dtype=np.float64)
    got = array.reshape(-1).astype(np.float64)
    if not np.array_equal(got, want, equal_nan=True):
        fail(f"{label}: values {got[:8]}..., expected {want[:8]}...")
    if not np.array_equal(np.signbit(got), np.signbit(want)):
        fail(f"{label}: signs of zero differ")


def check(folder):
    with open(os.path.join(folder, "swift_expected.json")) as f:
        expected = json.load(f)
    for file_name, spec in expected.items():
        path = os.path.join(folder, file_name)
        kind = spec["kind"]
        if kind == "npy":
            with open(path, "rb") as f:
                version = np.lib.format.read_magic(f)
                if version == (1, 0):
                    np.lib.format.read_array_header_1_0(f)
                if version != (1, 0) or f.tell() % 64 != 0:
                    fail(f"{file_name}: version {version}, data at {f.tell()} (want 1.0, a multiple of 64)")
            loaded = [("array", np.load(path, allow_pickle=False))]
        elif kind == "npz":
            with np.load(path, allow_pickle=False) as archive:
                loaded = [(key, archive[key]) for key in archive.files]
        else:
            with open(path, "rb") as f:
                (n,) = struct.unpack("<Q", f.read(8))
            if (8 + n) % 8 != 0:
                fail(f"{file_name}: the data starts at {8 + n}, not a multiple of 8")
            tensors = load_file(path)
            with safe_open(path, framework="numpy") as f:
                order = list(f.keys())
                metadata = f.metadata() or {}
            if metadata != spec.get("metadata", {}):
                fail(f"{file_name}: metadata {metadata}, expected {spec.get('metadata')}")
            loaded = [(key, tensors[key]) for key in order]
            if torch is not None:  # PyTorch reads the same tensors
                for key, t in safetensors.torch.load_file(path).items():
                    if not np.array_equal(t.numpy(), tensors[key], equal_nan=True):
                        fail(f"{file_name}: torch reads {key} differently")
        names = [name for name, _ in loaded]
        want_names = [a["name"] for a in spec["arrays"]]
        if sorted(names) != sorted(want_names) or (kind == "npz" and names != want_names):
            fail(f"{file_name}: arrays {names}, expected {want_names}")
        by_name = dict(loaded)
        for a in spec["arrays"]:
            compare(f"{file_name}[{a['name']}]", by_name[a["name"]], a)
        print(f"ok {file_name}: {len(names)} arrays")


def write(folder):
    expected = {}
    rng = np.random.default_rng(7)

    def npy(file_name, array, version=None):
        path = os.path.join(folder, file_name)
        if version is None:
            np.save(path, array)
        else:
            with open(path, "wb") as f:
                np.lib.format.write_array(f, np.asanyarray(array), version=version)
        expected[file_name] = {"kind": "npy", "arrays": [describe("array", array)]}

    npy("py_f32.npy", np.arange(6, dtype=np.float32).reshape(2, 3) * 0.5 - 1)
    npy("py_f64_fortran.npy", np.asfortranarray(np.arange(24).reshape(2, 3, 4) / 7.0))
    npy("py_scalar.npy", np.array(3.25, dtype=np.float32))
    npy("py_big_i4.npy", np.array([-2, -1, 0, 1, 2 ** 30], dtype=">i4"))
    npy("py_big_f8.npy", np.array([[1.5, -0.0], [1e-3, 2.0 ** 70]], dtype=">f8"))
    npy("py_f16.npy", np.array([0.5, -2, 65504, 6e-8, np.inf], dtype=np.float16))
    npy("py_bool.npy", np.array([[True, False, True]]))
    npy("py_u8.npy", np.array([0, 7, 255], dtype=np.uint8))
    npy("py_i8.npy", np.array([-128, 127], dtype=np.int8))
    npy("py_i64.npy", np.array([-(2 ** 40), 3, 2 ** 53], dtype=np.int64))
    npy("py_u16.npy", np.array([65535], dtype=np.uint16))
    npy("py_empty.npy", np.zeros((0, 4), dtype=np.float32))
    npy("py_v2.npy", np.arange(5, dtype=np.float32), version=(2, 0))
    npy("py_v3.npy", np.arange(3, dtype=np.float64), version=(3, 0))

    state = {
        "0.weight": rng.standard_normal((30, 20)).astype(np.float32),
        "0.bias": np.zeros(30, dtype=np.float32),
        "0.weight_mask": rng.random((30, 20)) < 0.8,
        "1.weight": rng.standard_normal((10, 30)).astype(np.float64),
        "1.weight_mask": (rng.random((10, 30)) < 0.5).astype(np.uint8),
    }
    for file_name, save in [("py.npz", np.savez), ("py_compressed.npz", np.savez_compressed)]:
        save(os.path.join(folder, file_name), **state)
        expected[file_name] = {"kind": "npz", "arrays": [describe(k, v) for k, v in state.items()]}

    tensors = {
        "f32": np.array([[1.5, -2.0], [0.25, 1e-30]], dtype=np.float32),
        "f64": np.array([0.1, -7.0], dtype=np.float64),
        "i64": np.array([-5, 2 ** 40], dtype=np.int64),
        "bool": np.array([True, False, False, True]),
        "u8": np.array([[0, 1], [254, 255]], dtype=np.uint8),
        "scalar": np.array(4.0, dtype=np.float32),
    }
    metadata = {"format": "np", "note": "h\u00e9 \"quoted\""}
    save_file(tensors, os.path.join(folder, "py.safetensors"), metadata=metadata)
    expected["py.safetensors"] = {"kind": "safetensors", "metadata": metadata,
                                  "arrays": [describe(k, v) for k, v in tensors.items()]}

    if torch is not None:  # what a PyTorch user saves: a pruned Linear's state_dict
        layer = torch.nn.Linear(6, 4)
        torch.nn.utils.prune.l1_unstructured(layer, "weight", amount=0.5)
        sd = {k: v.detach().contiguous() for k, v in layer.state_dict().items()}
        sd["half"] = torch.tensor([1.0, -0.5, 3.0], dtype=torch.float16)
        sd["brain"] = torch.tensor([1.0, -0.5, 3.0e10], dtype=torch.bfloat16)
        sd["flags"] = torch.tensor([True, False])
        safetensors.torch.save_file(sd, os.path.join(folder, "py_torch.safetensors"), metadata={"format": "pt"})
        arrays = []
        for k, v in sd.items():
            entry = describe(k, v.float().numpy() if v.dtype == torch.bfloat16 else v.numpy())
            entry["dtype"] = str(v.dtype).replace("torch.", "")
            arrays.append(entry)
        expected["py_torch.safetensors"] = {"kind": "safetensors", "metadata": {"format": "pt"}, "arrays": arrays}

    with open(os.path.join(folder, "python_expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print(f"wrote {len(expected)} files")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("check", "write"):
        sys.exit("usage: check_formats.py check|write DIR")
    check(sys.argv[2]) if sys.argv[1] == "check" else write(sys.argv[2])
