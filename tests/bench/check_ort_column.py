#!/usr/bin/python3
"""Self-check of the ONNX Runtime column's correctness gate (ort_column.py, onnx_export.py, ort_runner.mjs) on tiny
random models, in seconds: a right export passes, and the gate fails (SystemExit, naming the output) on a perturbed
map, on a wrapper that returns the maps in the wrong order, and on a wrong shape. Not a ctest (it needs node and
onnxruntime-node, which ort_column installs into a cache folder); run by hand after changing those files:

  /usr/bin/python3 tests/bench/check_ort_column.py
"""
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import ort_column  # noqa: E402
from bench_common import environment  # noqa: E402
from onnx_export import BertMaps, VitMaps, output_names, reference_outputs  # noqa: E402


class SwappedMaps(BertMaps):
    """A wrong export: the first two maps change places."""

    def forward(self, ids):
        hidden, first, second, *rest = super().forward(ids)
        return (hidden, second, first, *rest)


def expect_failure(what, work, wrapper, example, name, names, reference):
    try:
        ort_column.prepare(work, wrapper, example, name, names, reference, environment(1, {}))
    except SystemExit as error:
        print(f"  {what}: fails as it should: {error}")
        return
    raise AssertionError(f"{what}: the check passed")


def main():
    from reference.encoder import Encoder
    from reference.vit import ViT
    folder, why = ort_column.install()
    if folder is None:
        sys.exit(f"check_ort_column.py: ONNX Runtime not available: {why}")
    torch.manual_seed(0)
    bert = Encoder(vocab_size=50, hidden_size=32, num_hidden_layers=3, num_attention_heads=4, intermediate_size=64,
                   max_position_embeddings=40).eval()
    ids = torch.randint(0, 50, (17,))
    names = output_names(3, False)
    reference = reference_outputs(bert, ids)
    vit = ViT(image_size=32, patch_size=8, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
              intermediate_size=64, num_labels=5).eval()
    with torch.no_grad():
        vit.vit.embeddings.position_embeddings.normal_(0, 0.5)
    pixels = torch.randn(3, 32, 32)
    with tempfile.TemporaryDirectory() as work:
        print("right exports:")
        ort_column.prepare(work, BertMaps(bert), ids, "ids", names, reference, environment(1, {}))
        ort_column.prepare(work, VitMaps(vit), pixels, "pixels", output_names(2, True), reference_outputs(vit, pixels),
                           environment(1, {}))
        print("wrong ones:")
        nudged = [r.copy() for r in reference]
        nudged[2][1, 3, 5] += 3e-4
        expect_failure("a map value off by 3e-4", work, BertMaps(bert), ids, "ids", names, nudged)
        expect_failure("maps 0 and 1 swapped", work, SwappedMaps(bert), ids, "ids", names, reference)
        expect_failure("a map of the wrong shape", work, BertMaps(bert), ids, "ids", names,
                       reference[:1] + [reference[1][:, :-1]] + reference[2:])
    print("check_ort_column.py: all good")


if __name__ == "__main__":
    main()
