"""Writes model.u8.onnx: model.onnx with its int8 weights read as uint8, for CPUs without VNNI.

    python u8_graph.py --model ../models/unspin-ptc-mpnet [--check]

On x86 without VNNI, ONNX Runtime multiplies uint8 activations by int8 weights with `vpmaddubsw`,
which adds pairs of products in saturating 16-bit lanes: the accurate model's larger activations
overflow them and its spans cover whole articles. With uint8 weights ONNX Runtime takes its u8×u8
kernels instead, which widen both sides to 16 bits and add in 32 (`vpmaddwd`): exact, at some cost
in speed. The change is lossless: a weight w with zero point z (int8) is the same number as w+128
with zero point z+128 (uint8), and adding 128 to an int8 byte is flipping its top bit.

So this graph is model.onnx with every int8 initializer (the MatMulInteger weights and their zero
points; the script checks nothing else reads them) declared uint8. Its tensors are still external
data in model.safetensors at the same offsets, but unspin does not let ONNX Runtime read that file:
it hands it a copy in memory with the top bit of every I8 tensor's bytes flipped. This file is
only the graph (a few hundred KB).

--check writes that flipped copy next to both graphs in a temporary folder and compares
ONNX Runtime's outputs of both graphs on random windows (on a CPU with VNNI both are exact, so they
agree to rounding).
"""
import argparse
import json
import struct
import tempfile
from pathlib import Path

import numpy as np
import onnx


def rewrite(model: onnx.ModelProto) -> onnx.ModelProto:
    g = model.graph
    int8 = {i.name for i in g.initializer if i.data_type == onnx.TensorProto.INT8}
    for n in g.node:
        for k, x in enumerate(n.input):
            if x in int8:
                assert n.op_type == "MatMulInteger" and k in (1, 3), \
                    f"{x} is read by {n.op_type} input {k}; only MatMulInteger weights can be flipped"
    for init in g.initializer:
        if init.name in int8:
            assert init.data_location == onnx.TensorProto.EXTERNAL, init.name
            init.data_type = onnx.TensorProto.UINT8
    return model


def int8_tensors(safetensors: Path) -> tuple[int, list[tuple[int, int]]]:
    """The header's length and the [start, end) byte offsets, from the file's start, of every I8
    tensor of a safetensors file (reads only the header)."""
    with open(safetensors, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    return n, [(8 + n + t["data_offsets"][0], 8 + n + t["data_offsets"][1])
               for k, t in header.items() if k != "__metadata__" and t["dtype"] == "I8"]


def flipped(safetensors: Path) -> bytes:
    """model.safetensors with every I8 tensor's bytes XOR 0x80, as unspin builds it in memory."""
    data = bytearray(safetensors.read_bytes())
    for start, end in int8_tensors(safetensors)[1]:
        data[start:end] = (np.frombuffer(bytes(data[start:end]), np.uint8) ^ 0x80).tobytes()
    return bytes(data)


def uint8_model(folder: Path, dest: Path) -> Path:
    """Makes `dest` a folder ONNX Runtime can open model.u8.onnx from outside unspin (the graph
    beside a flipped copy of the weights on disk); returns the graph's path."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "model.u8.onnx").symlink_to((folder / "model.u8.onnx").resolve())
    (dest / "model.safetensors").write_bytes(flipped(folder / "model.safetensors"))
    return dest / "model.u8.onnx"


def session(folder: Path, opts, **kwargs):
    """An ONNX Runtime session on `folder`'s int8 graph as unspin runs it: model.u8.onnx over a
    flipped copy of the weights, which every x86 CPU computes exactly. (model.onnx opened
    directly saturates on CPUs without VNNI, so it measures the CPU, not the quantization: a
    fine-tuned MPNet sentence model scored 0.495 on every sentence that way.) An f32 folder (no
    int8 weights, so no model.u8.onnx) is opened as it is. `kwargs` go to the session
    (`disabled_optimizers`, for instance). The flipped copy lives in a temporary folder only
    while the session is built: ONNX Runtime has read the weights by then."""
    import onnxruntime as ort

    if not (folder / "model.u8.onnx").exists():
        if int8_tensors(folder / "model.safetensors")[1]:
            raise SystemExit(f"{folder} has int8 weights but no model.u8.onnx: run u8_graph.py --model {folder}")
        return ort.InferenceSession(str(folder / "model.onnx"), opts, providers=["CPUExecutionProvider"], **kwargs)
    with tempfile.TemporaryDirectory() as tmp:
        return ort.InferenceSession(str(uint8_model(folder, Path(tmp))), opts, providers=["CPUExecutionProvider"],
                                    **kwargs)


def check(folder: Path) -> None:
    import onnxruntime as ort

    rng = np.random.default_rng(7)
    ids = rng.integers(1000, 20000, size=(2, 128), dtype=np.int64)
    mask = np.ones_like(ids)
    mask[1, 100:] = 0
    sessions = (ort.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"]),
                session(folder, ort.SessionOptions()))
    outs = [sess.run(None, {"input_ids": ids, "attention_mask": mask}) for sess in sessions]
    for k, (a, b) in enumerate(zip(*outs)):
        print(f"output {k}: max |s8 - u8| = {float(np.abs(a - b).max()):.5f} (max |s8| {float(np.abs(a).max()):.2f})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, required=True, help="folder with model.onnx and model.safetensors")
    ap.add_argument("--check", action="store_true", help="compare both graphs on ONNX Runtime")
    args = ap.parse_args()
    model = onnx.load(str(args.model / "model.onnx"), load_external_data=False)
    before = {i.name for i in model.graph.initializer if i.data_type == onnx.TensorProto.INT8}
    out = rewrite(model)
    onnx.save(out, str(args.model / "model.u8.onnx"))
    print(f"wrote {args.model / 'model.u8.onnx'}: {len(before)} int8 tensors read as uint8")
    if args.check:
        check(args.model)


if __name__ == "__main__":
    main()
