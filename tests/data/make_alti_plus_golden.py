#!/usr/bin/env python3
"""Writes tests/data/contributions-golden/alti_plus.npz: ALTI+ (Ferrando et al. 2022, "Towards Opening the Black Box
of Neural Machine Translation"; mt-upc/transformer-contributions-nmt) golden arrays from
models/reference/alti_plus.py (float64 numpy; its docstring states every formula and the implementation's quirks it
keeps), for two Marian-layout (post-LN) encoder-decoders read at generation time, nothing of them copied:

- marian_0, marian_1: ../shared/real-checkpoints/marian (a tiny random MarianMTModel written by transformers; D = 8,
  2 + 2 layers, 2 heads), the two id sequence pairs of its _provenance/tiny_marian_logits.json (S = 10, T = 6). The
  numpy forward is checked here against transformers' float64 encoder hidden states and logits for them.
- hansards_0: models/seq2seq-hansards-transformer (English->French, D = 256, 3 + 3 layers, 4 heads), source
  "The house is very small." as attnviz's SentencePiece tokeniser gives it (▁The ▁house ▁is ▁ very ▁small . </s>,
  S = 8) and the decoder input ids <pad> (decoder_start_token_id) + the forced prefix "La maison est très"
  (▁La ▁maison ▁est ▁très, T = 5).

Arrays, per case C (numpy.savez, uncompressed, no pickles; keys "C/name"; float64 unless said):
  C/input_ids            int64 [S]         source ids as fed to the encoder (</s> included)
  C/decoder_input_ids    int64 [T]         decoder input ids (decoder_start_token_id first); row t of every decoder
                                           map explains the prediction at position t (of target token t + 1)
  C/predicted_ids        int64 [T]         argmax of the logits at each position (what row t predicts)
  C/encoder_alti         [Le, S, S]        ALTI of each encoder self-attention block, rows sum to 1
  C/encoder_rollout      [S, S]            C^{Le-1} ... C^0
  C/decoder_self         [Ld, T, T]        ALTI of each decoder self-attention block (future columns ~1e-6, not 0)
  C/decoder_cross        [Ld, T, S + 1]    ALTI of each cross-attention block over the S encoder outputs, then the
                                           residual (column S)
  C/decoder_joint        [Ld, T, S + T]    [cross[:, :S] | cross[:, S] * self] per layer
  C/alti_plus_layers     [Ld, T, S + T]    the nested rollout after each decoder layer (c_roll['total'])
  C/alti_plus            [T, S + T]        the last of them: source tokens, then decoder input tokens
  C/source_share         [T]               alti_plus[:, :S].sum(-1)
  C/alti_plus_population_std [T, S + T]    the same with the population std instead of the implementation's
                                           unbiased one (a variant, for comparison only)
  intermediates, for a C++ implementation to locate a difference:
  C/encoder_attention [Le, H, S, S], C/decoder_self_attention [Ld, H, T, T], C/decoder_cross_attention [Ld, H, T, S]
  C/encoder_ln_out [Le, S, D], C/decoder_self_ln_out [Ld, T, D], C/decoder_cross_ln_out [Ld, T, D]  (each block's
                                           LayerNorm output)
  C/encoder_sigma [Le, S], C/decoder_self_sigma [Ld, T], C/decoder_cross_sigma [Ld, T]  (the divisor ALTI+ uses:
                                           the unbiased std of each block's LayerNorm input, no eps)
  C/encoder_out [S, D]                     the encoder's last hidden state

Every case is checked as it is written (alti_plus.check_case): rows >= 0 summing to 1 (1e-9), the decomposition
summing to the LayerNorm input and, with LayerNorm's own sigma, to its output (1e-9), the encoder ALTI with the
population std equal to contributions.alti, and every map equal to the PyTorch path (hooks on
models/seq2seq/marian_model.py's MarianLike, torch's defaults) within 1e-12.

  /usr/bin/python3 tests/data/make_alti_plus_golden.py        # from the repository root
  /usr/bin/python3 models/reference/alti_plus.py --check      # re-checks, and recomputes this file
"""
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
from reference import alti_plus as ap  # noqa: E402

OUT = os.path.join(ROOT, "tests/data/contributions-golden/alti_plus.npz")
# "The house is very small." / "La maison est très" (ids of models/seq2seq-hansards-transformer/vocab.json, as
# `attnviz run --model models/seq2seq-hansards-transformer --text "The house is very small." --target ...` tokenises)
HANSARDS_SOURCE = [1821, 2077, 20, 19, 136, 730, 50, 0]
HANSARDS_PREFIX = [1210, 2189, 27, 157]


def case_arrays(model, source, decoder_ids, name, torch_path):
    fwd, arrays, _ = ap.check_case(model, source, decoder_ids, name, torch_path)
    out = dict(input_ids=np.array(source, np.int64), decoder_input_ids=np.array(decoder_ids, np.int64),
               predicted_ids=fwd["logits"].argmax(-1).astype(np.int64), **arrays)
    out["alti_plus_population_std"] = ap.alti_plus(fwd, "population")["alti_plus"]
    out.update(ap.intermediates(fwd))
    return out


def main():
    files = {}
    ap.check_forward_oracle()
    model, torch_path = ap.load_marian(ap.MARIAN_ORACLE), ap.TorchPath(ap.MARIAN_ORACLE)
    for k, (source, target, _, _) in enumerate(ap.oracle_cases()):
        files[f"marian_{k}"] = case_arrays(model, source, target, f"marian_{k}", torch_path)
    folder = ap.GOLDEN_MODELS["hansards"]
    model, torch_path = ap.load_marian(folder), ap.TorchPath(folder)
    decoder_ids = [model[0]["decoder_start_token_id"]] + HANSARDS_PREFIX
    files["hansards_0"] = case_arrays(model, HANSARDS_SOURCE, decoder_ids, "hansards_0", torch_path)
    arrays = {f"{case}/{key}": value for case, values in files.items() for key, value in values.items()}
    np.savez(OUT, **arrays)
    print(f"{os.path.relpath(OUT, ROOT)}: {os.path.getsize(OUT)} bytes")
    for key, value in arrays.items():
        print(f"  {key} {value.dtype} {list(value.shape)}" + (f" {value.tolist()}" if "ids" in key else ""))
    ap.check_golden(OUT)


if __name__ == "__main__":
    main()
