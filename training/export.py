"""Turns a trained checkpoint into the shipped model folder that the Rust detector memory-maps.

    python export.py --checkpoint out/model.pt --validation out/validation.json \
        --base MINILM_DIR --out ../models/unspin-ptc-minilm

Writes:
- model.onnx: the encoder and token head as an ONNX graph (inputs input_ids, attention_mask
  [batch, seq] int64; outputs token_logits [batch, seq, 15], hidden [batch, seq, 384]), weights
  quantized to int8 (dynamic quantization of the matrix products), every tensor stored as external
  data inside model.safetensors;
- model.ov.onnx: the same weights as a graph for OpenVINO (openvino_graph.py): each int8 weight
  goes through DequantizeLinear into an f32/bf16 MatMul, instead of quantizing activations;
- model.u8.onnx: model.onnx reading the int8 weights as uint8 (u8_graph.py), which ONNX Runtime
  runs on x86 CPUs without VNNI, where its u8×s8 products saturate;
- model.safetensors: those tensors ("onnx.<name>") plus the span head in f32, which the Rust
  side runs itself; metadata "torch_names" maps each PyTorch parameter to its
  ONNX tensor so that the PyTorch baseline in bench/ can rebuild the same (dequantized) weights;
- config.json: labels, window sizes, thresholds tuned on the validation split, scores;
- vocab.txt: the WordPiece vocabulary;
- encoder.json: the encoder's transformers config (for the PyTorch baseline in bench/).

The sentence heads are not exported from the checkpoint (a multitask checkpoint's jointly trained
`sentence_head` only shaped the encoder): `sentence_heads.py --write` fits the shipped ones on the
exported encoder and adds them (sentence_heads.safetensors, config.json).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

import ptc
from tokenizer_fixture import tokenizer_spec
from train import Detector

ONNX_PREFIX = "onnx."


class Encoder(torch.nn.Module):
    def __init__(self, det):
        super().__init__()
        self.det = det

    def forward(self, input_ids, attention_mask):
        h = self.det.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.det.token_head(h), h


def load_checkpoint(path: Path) -> dict:
    parts = sorted(path.parent.glob(path.name + ".part*"))
    if not path.exists() and parts:  # fp16 parts, as brought back from the GPU machine
        import io

        blob = b"".join(p.read_bytes() for p in parts)
        sd = torch.load(io.BytesIO(blob), map_location="cpu")
    else:
        sd = torch.load(path, map_location="cpu")
    return {k: (v.float() if v.is_floating_point() else v) for k, v in sd.items()}


def torch_to_onnx_names(model, graph) -> dict:
    """For each encoder parameter, the f32 ONNX initializer holding it (maybe transposed)."""
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    by_shape = {}
    for name, arr in inits.items():
        by_shape.setdefault(arr.shape, []).append(name)
    out = {}
    for name, p in model.state_dict().items():
        if not (name.startswith("det.bert.") or name.startswith("det.token_head.")):
            continue
        if not p.is_floating_point():
            continue
        a = p.detach().numpy()
        found = None
        for cand in by_shape.get(a.shape, []):
            if np.array_equal(inits[cand], a):
                found = (cand, False)
                break
        if found is None and a.ndim == 2:
            for cand in by_shape.get(a.T.shape, []):
                if np.array_equal(inits[cand], a.T):
                    found = (cand, True)
                    break
        if found is None:
            raise SystemExit(f"no ONNX initializer holds {name}")
        out[name[len("det."):]] = found
    return out


def write_safetensors(path: Path, tensors: dict, metadata: dict) -> dict:
    """Writes tensors (name -> np.ndarray) and returns name -> absolute (offset, length) in the file."""
    from safetensors.numpy import save_file

    save_file({k: np.ascontiguousarray(v) for k, v in tensors.items()}, str(path), metadata=metadata)
    raw = path.read_bytes()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + n])
    return {k: (8 + n + v["data_offsets"][0], v["data_offsets"][1] - v["data_offsets"][0])
            for k, v in header.items() if k != "__metadata__"}


def write_encoder(model, out: Path, extra: dict, meta: dict, quantized: bool = True):
    """Writes an encoder graph as the Rust engines read it: every initializer of `model` (plus the
    `extra` f32 tensors) into out/model.safetensors, and the graph pointing into that file as
    out/model.onnx; for a quantized graph also model.ov.onnx (OpenVINO) and model.u8.onnx (ONNX
    Runtime without VNNI) over the same weights."""
    out.mkdir(parents=True, exist_ok=True)
    tensors = {ONNX_PREFIX + init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    tensors.update(extra)
    st = out / "model.safetensors"
    where = write_safetensors(st, tensors, meta)
    st.chmod(0o644)
    for init in model.graph.initializer:
        off, length = where[ONNX_PREFIX + init.name]
        init.ClearField("raw_data")
        for fld in ("float_data", "int32_data", "int64_data", "double_data", "uint64_data", "string_data"):
            init.ClearField(fld)
        init.data_location = onnx.TensorProto.EXTERNAL
        del init.external_data[:]
        for key, value in (("location", st.name), ("offset", str(off)), ("length", str(length))):
            e = init.external_data.add()
            e.key, e.value = key, value
    onnx.save(model, str(out / "model.onnx"))
    if quantized:
        # The same weights as a graph for OpenVINO's bf16 path (see openvino_graph.py).
        from openvino_graph import rewrite

        onnx.save(rewrite(onnx.load(str(out / "model.onnx"), load_external_data=False)), str(out / "model.ov.onnx"))
        # And for ONNX Runtime on CPUs without VNNI (see u8_graph.py).
        import u8_graph

        onnx.save(u8_graph.rewrite(onnx.load(str(out / "model.onnx"), load_external_data=False)),
                  str(out / "model.u8.onnx"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", type=Path, required=True)
    ap.add_argument("--validation", type=Path, required=True,
                    help="train.py's validation.json, or cv.py's report (its `settings` are shipped)")
    ap.add_argument("--base", type=Path, required=True)
    ap.add_argument("--name", default="unspin-ptc-minilm", help="the model's name (its folder under models/)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--per-channel", action="store_true", help="per-channel int8 scales")
    ap.add_argument("--no-quantize", action="store_true", help="keep f32 (about 4x larger)")
    args = ap.parse_args()
    val = json.loads(args.validation.read_text())
    if val.get("span_channel", "any") != "any":
        raise SystemExit(f"{args.validation}: its settings decode the span channel as {val['span_channel']!r}; "
                         "the Rust detector reads only 'any'")

    sd = load_checkpoint(args.checkpoint)
    has_sentence = "sentence_head.weight" in sd
    det = Detector(args.base, has_sentence)
    det.bert.config._attn_implementation = "eager"
    det.load_state_dict(sd)
    det.eval()
    enc = Encoder(det).eval()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        f32 = tmp / "f32.onnx"
        ids = torch.randint(1000, 2000, (2, 17))
        mask = torch.ones_like(ids)
        torch.onnx.export(
            enc, (ids, mask), str(f32), dynamo=False, opset_version=17,
            input_names=["input_ids", "attention_mask"], output_names=["token_logits", "hidden"],
            dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                          "token_logits": {0: "batch", 1: "seq"}, "hidden": {0: "batch", 1: "seq"}},
        )
        names = torch_to_onnx_names(enc, onnx.load(str(f32)).graph)
        if args.no_quantize:
            final = f32
            quant = "none (f32)"
        else:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            final = tmp / "int8.onnx"
            quantize_dynamic(str(f32), str(final), weight_type=QuantType.QInt8, per_channel=args.per_channel,
                             op_types_to_quantize=["MatMul", "Gather"])
            quant = f"int8 dynamic (MatMul and embedding weights, {'per-channel' if args.per_channel else 'per-tensor'})"
        model = onnx.load(str(final))

    extra = {k: v.numpy().astype(np.float32) for k, v in sd.items() if k.startswith("span_head.")}
    write_encoder(model, args.out, extra, {"torch_names": json.dumps(names), "format": "unspin"},
                  quantized=not args.no_quantize)

    # The written graph against PyTorch, read as unspin reads it (u8_graph.session: model.onnx
    # opened directly saturates on CPUs without VNNI and would measure the CPU).
    import onnxruntime as ort

    import u8_graph

    sess = u8_graph.session(args.out, ort.SessionOptions())
    got = sess.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})
    with torch.no_grad():
        want = enc(ids, mask)
    diff = float(np.abs(got[0] - want[0].numpy()).max())
    print(f"max |token logit| difference ONNX vs PyTorch f32: {diff:.4f}")
    shutil.copy(args.base / "vocab.txt", args.out / "vocab.txt")
    # The encoder's architecture, so bench/detector/baseline.py can rebuild it in transformers.
    det.bert.config.to_json_file(str(args.out / "encoder.json"))

    thr = val.get("settings") or val["thresholds"]
    bc = det.bert.config
    cfg = {
        "name": args.name,
        "base_model": f"{args.base.name} ({bc.model_type}, {bc.num_hidden_layers} layers, {bc.hidden_size} hidden, uncased)",
        "tokenizer": tokenizer_spec(args.base),
        "labels": ptc.TECHNIQUES,
        "token_channels": ["any"] + ptc.TECHNIQUES,
        "max_len": ptc.MAX_LEN,
        "stride": ptc.STRIDE,
        "lowercase": True,
        "trim": ptc.TRIM,
        "span_features": ["log1p(tokens)", "log1p(repeats)"],
        "thresholds": {"any": thr["any"], "low": thr.get("low", thr["any"]), "gap": thr.get("gap", 0),
                       "second": min(thr["second"], 1.01), "technique": [t for t in thr["tech"]],
                       "widen": [ptc.TECHNIQUES[t] for t in thr.get("widen", [])]},
        "quantization": quant,
        "validation": {k: val[k] for k in ("si", "flc", "tc_micro_f1") if k in val}
        or {"cross_validation": {k: val["structured"][k] for k in ("si_f1", "si_p", "si_r", "flc_f1", "tc", "density")
                                  if k in val["structured"]},
            "folds": val["folds"], "epoch": val["epoch"]},
    }
    (args.out / "config.json").write_text(json.dumps(cfg, indent=1) + "\n")
    total = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"wrote {args.out} ({total / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
