"""Writes model.ov.onnx: the shipped encoder as a graph for OpenVINO.

    python openvino_graph.py --model ../models/unspin-ptc-minilm

model.onnx is quantized dynamically for ONNX Runtime: each matrix product quantizes its input at
run time (DynamicQuantizeLinear → MatMulInteger → Cast → Mul by the two scales). OpenVINO runs that
pattern slowly, but on a CPU with bf16 units it runs an f32 graph in bf16. This script rewrites each
of those chains as DequantizeLinear(int8 weight) → MatMul, so the weights stay the same int8 tensors
(OpenVINO keeps them compressed and expands them as it multiplies) while the activations stay in
floating point. Every tensor stays external data in model.safetensors, so the new file is only the
graph (a few hundred KB) and nothing is stored twice.
"""
import argparse
from pathlib import Path

import onnx
from onnx import helper


def rewrite(model: onnx.ModelProto) -> onnx.ModelProto:
    g = model.graph
    producer = {o: n for n in g.node for o in n.output}
    consumers = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    scale_shape = {i.name: list(i.dims) for i in g.initializer}
    replace = {}  # id(node) → replacement nodes (empty: drop)
    for mi in [n for n in g.node if n.op_type == "MatMulInteger"]:
        x_q, w_q, _x_zp, w_zp = mi.input
        dql = producer[x_q]
        assert dql.op_type == "DynamicQuantizeLinear", dql.op_type
        x = dql.input[0]
        (cast,) = consumers[mi.output[0]]
        (mul,) = consumers[cast.output[0]]
        assert cast.op_type == "Cast" and mul.op_type == "Mul", (cast.op_type, mul.op_type)
        assert w_q.endswith("_quantized"), w_q
        w_scale = w_q[: -len("_quantized")] + "_scale"
        w_f = w_q[: -len("_quantized")] + "_dequantized"
        per_channel = len(scale_shape[w_scale]) == 1 and scale_shape[w_scale][0] > 1
        dq = helper.make_node("DequantizeLinear", [w_q, w_scale, w_zp], [w_f], name=w_f,
                              **({"axis": 1} if per_channel else {}))
        mm = helper.make_node("MatMul", [x, w_f], list(mul.output), name=mi.name.replace("_quant", "") + "_ov")
        replace[id(mi)] = [dq, mm]
        replace[id(cast)] = []
        replace[id(mul)] = []
    nodes = []
    for n in g.node:
        nodes.extend(replace.get(id(n), [n]))
    # Drop what nothing reads any more (the activation quantizers and their scale products).
    needed = {o.name for o in g.output}
    keep = []
    for n in reversed(nodes):
        if any(o in needed for o in n.output):
            keep.append(n)
            needed.update(n.input)
    keep.reverse()
    del g.node[:]
    g.node.extend(keep)
    inits = [i for i in g.initializer if i.name in needed]
    del g.initializer[:]
    g.initializer.extend(inits)
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, required=True, help="folder with model.onnx and model.safetensors")
    args = ap.parse_args()
    model = onnx.load(str(args.model / "model.onnx"), load_external_data=False)
    out = rewrite(model)
    onnx.save(out, str(args.model / "model.ov.onnx"))
    onnx.checker.check_model(str(args.model / "model.ov.onnx"))
    kinds = sorted({n.op_type for n in out.graph.node})
    print(f"wrote {args.model / 'model.ov.onnx'}: {len(out.graph.node)} nodes ({', '.join(kinds)})")


if __name__ == "__main__":
    main()
