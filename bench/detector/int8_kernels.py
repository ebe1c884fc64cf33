"""Times one batch of the accurate encoder on each way unspin can run it, on one thread.

    /work/venv/bin/python bench/detector/int8_kernels.py [--model models/unspin-ptc-mpnet]

ONNX Runtime with int8 weights (model.onnx; exact only where the CPU has VNNI), ONNX Runtime with
the same weights read as uint8 (model.u8.onnx; exact everywhere), and OpenVINO in f32 and bf16
(model.ov.onnx; bf16 only where the CPU has bf16 units). Needs onnxruntime, openvino, numpy.
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))
from u8_graph import uint8_model  # noqa: E402


def timed(run, rounds=3):
    run()
    t = time.perf_counter()
    for _ in range(rounds):
        run()
    return (time.perf_counter() - t) / rounds


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=Path(__file__).resolve().parents[2] / "models/unspin-ptc-mpnet")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--len", type=int, default=256)
    args = ap.parse_args()
    ids = np.random.default_rng(1).integers(1000, 20000, size=(args.batch, args.len), dtype=np.int64)
    feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
    import onnxruntime as ort

    with tempfile.TemporaryDirectory() as tmp:
        for name, graph in (("onnxruntime, int8 weights", args.model / "model.onnx"),
                            ("onnxruntime, uint8 weights", uint8_model(args.model, Path(tmp)))):
            o = ort.SessionOptions()
            o.intra_op_num_threads = 1
            s = ort.InferenceSession(str(graph), o, providers=["CPUExecutionProvider"])
            print(f"{name}: {timed(lambda: s.run(None, feed)):.2f} s")
    import openvino as ov

    core = ov.Core()
    for prec in ("f32", "bf16"):
        m = core.compile_model(str(args.model / "model.ov.onnx"), "CPU",
                               {"INFERENCE_PRECISION_HINT": prec, "INFERENCE_NUM_THREADS": 1, "NUM_STREAMS": 1})
        r = m.create_infer_request()
        print(f"openvino, {prec} (asked; bf16 needs bf16 units): {timed(lambda: r.infer(feed)):.2f} s")


if __name__ == "__main__":
    main()
