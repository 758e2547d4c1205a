"""PyTorch reference of attnviz's `vit` kind: a Vision Transformer computed exactly as Hugging Face
`ViTModel` / `ViTForImageClassification` compute it, with the Hugging Face weight names, plus the image
preprocessing, attention rollout and attention flow the C++ engine must match (within 1e-4).
tests/data/make_tiny_hf_vit.py and models/vit/golden.py write golden outputs from it.

    model = ViT.load("models/vit-fashion-mnist")                       # config.json + model.safetensors
    pixels = preprocess(image_uint8, model.preprocessor)             # [C, H, W] float32
    hidden, attention, probabilities = model(pixels)                 # [T, D], [L, heads, T, T], [labels]
    r = rollout(attention, "max", discard_ratio=0.5)                 # [T, T]
    f = attention_flow(attention, rows=[0])                          # [1, T]: flow from [CLS]

Tokens: T = 1 + (H/p)(W/p); token 0 is [CLS], token 1 + r*(W/p) + c is "patch r,c" (row-major, the order
of the patch convolution's output flattened).

Weights (ViTForImageClassification; a ViTModel checkpoint has the same names without "vit." and may add
pooler.dense.*, which is ignored here):
    vit.embeddings.cls_token                               [1, 1, D]
    vit.embeddings.position_embeddings                     [1, 1 + P, D]
    vit.embeddings.patch_embeddings.projection.weight      [D, C, p, p]   (a stride-p convolution)
    vit.embeddings.patch_embeddings.projection.bias        [D]
    vit.encoder.layer.N.layernorm_before.{weight,bias}     [D]
    vit.encoder.layer.N.attention.attention.{query,key,value}.{weight [D, D], bias [D]}
    vit.encoder.layer.N.attention.output.dense.{weight [D, D], bias [D]}
    vit.encoder.layer.N.layernorm_after.{weight,bias}      [D]
    vit.encoder.layer.N.intermediate.dense.{weight [I, D], bias [I]}
    vit.encoder.layer.N.output.dense.{weight [D, I], bias [D]}
    vit.layernorm.{weight,bias}                            [D]
    classifier.{weight [labels, D], bias [labels]}         (optional)
Blocks are pre-layer-norm: x += attn(LN_before(x)); x += MLP(LN_after(x)); MLP = dense, erf GELU, dense.
The classifier reads the final-layer-normed [CLS] token. layer_norm_eps comes from config.json (HF default
1e-12).
"""
import json
import math
import os
import struct

import numpy as np
import torch
from torch import nn

# Hugging Face ViTImageProcessor defaults, used for keys a preprocessor_config.json leaves out.
PREPROCESSOR_DEFAULTS = {
    "do_resize": True, "size": {"height": 224, "width": 224}, "resample": 2,
    "do_rescale": True, "rescale_factor": 1 / 255,
    "do_normalize": True, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5],
    "do_center_crop": False,
}


# ---------------------------------------------------------------------------------------------------------
# Preprocessing
# ---------------------------------------------------------------------------------------------------------

def to_8bit(image):
    """uint16 samples (16-bit PNG) -> uint8, rounded to nearest: (v + 128) // 257, which equals
    round(v * 255 / 65535) (never a tie, since 257 is odd). uint8 passes through."""
    image = np.asarray(image)
    if image.dtype == np.uint8:
        return image
    if image.dtype == np.uint16:
        return ((image.astype(np.uint32) + 128) // 257).astype(np.uint8)
    raise ValueError(f"image samples must be uint8 or uint16, not {image.dtype}")


def grey_from_rgb(rgb):
    """uint8 [H, W, 3] -> uint8 [H, W]: ITU-R 601-2 luma in integers, rounded half up:
    L = (299 R + 587 G + 114 B + 500) // 1000. (PIL's convert("L") computes the same weights in 16-bit fixed
    point, (19595 R + 38470 G + 7471 B + 32768) >> 16, and can differ from this by one level on rare pixels.)"""
    rgb = rgb.astype(np.int64)
    return ((299 * rgb[..., 0] + 587 * rgb[..., 1] + 114 * rgb[..., 2] + 500) // 1000).astype(np.uint8)


def to_channels(image, channels):
    """A decoded image -> uint8 [H, W, channels] (channels 1 or 3).

    image: uint8 or uint16 numpy array, [H, W] (grey), [H, W, 1], [H, W, 2] (grey + alpha), [H, W, 3] (RGB) or
    [H, W, 4] (RGBA); palette images are expected already expanded to RGB(A). 16-bit samples are reduced first
    (to_8bit). Alpha is ignored: the colour samples are used as stored, not composited onto any background
    (what PIL's convert("RGB") and Hugging Face's convert_rgb do). Grey -> RGB repeats the grey value; RGB -> grey
    is grey_from_rgb."""
    image = to_8bit(image)
    if image.ndim == 2:
        image = image[:, :, None]
    if image.ndim != 3 or image.shape[2] not in (1, 2, 3, 4):
        raise ValueError(f"image must be [H, W] or [H, W, 1|2|3|4], not {list(image.shape)}")
    colour = image[:, :, :1] if image.shape[2] <= 2 else image[:, :, :3]  # alpha dropped
    if channels == colour.shape[2]:
        return colour
    if channels == 3:
        return np.repeat(colour, 3, axis=2)
    if channels == 1:
        return grey_from_rgb(colour)[:, :, None]
    raise ValueError(f"models with {channels} channels are not supported (1 or 3)")


def preprocessor_settings(preprocessor):
    """preprocessor_config.json (a dict) with Hugging Face ViTImageProcessor defaults filled in; size and crop_size
    as {"height", "width"} (a number means a square, as DeiT's processor reads it) or {"shortest_edge"} (size)."""
    p = dict(PREPROCESSOR_DEFAULTS)
    p.update(preprocessor or {})
    for key in ("size", "crop_size"):
        if isinstance(p.get(key), int):
            p[key] = {"height": p[key], "width": p[key]}
    if "height" not in p["size"] and "shortest_edge" not in p["size"]:
        raise ValueError(f"size must give height and width, or shortest_edge: {p['size']}")
    if p["resample"] not in (2, 3):
        raise ValueError(f"resample {p['resample']} is not supported (2: bilinear, 3: bicubic)")
    return p


PRECISION_BITS = 32 - 8 - 2  # PIL's fixed point for 8-bit images


def pil_filter(resample):
    """PIL's BILINEAR (2, support 1) and BICUBIC (3, support 2, Keys' cubic with a = -0.5)."""
    def bilinear(x):
        x = abs(x)
        return 1.0 - x if x < 1.0 else 0.0

    def bicubic(x, a=-0.5):
        x = abs(x)
        if x < 1.0:
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1
        if x < 2.0:
            return (((x - 5) * x + 8) * x - 4) * a
        return 0.0
    return (bilinear, 1.0) if resample == 2 else (bicubic, 2.0)


def pil_kernels(in_size, out_size, resample):
    """Per output sample: (first source index, int fixed-point weights), as Pillow's precompute_coeffs and
    normalize_coeffs_8bpc compute them (the filter widens by the scale when downscaling: antialiasing)."""
    f, support1 = pil_filter(resample)
    scale = in_size / out_size
    filter_scale = max(scale, 1.0)
    support = support1 * filter_scale
    inverse = 1.0 / filter_scale
    kernels = []
    for o in range(out_size):
        center = (o + 0.5) * scale
        xmin = max(0, int(center - support + 0.5))  # int() truncates toward zero, as C's (int)
        xmax = min(in_size, int(center + support + 0.5))
        w = [f((x - center + 0.5) * inverse) for x in range(xmin, xmax)]
        total = sum(w)
        w = [v / total if total != 0.0 else v for v in w]
        fixed = [int(v * (1 << PRECISION_BITS) + (-0.5 if v < 0 else 0.5)) for v in w]
        kernels.append((xmin, fixed))
    return kernels


def pil_resample_axis(plane, out_size, resample, axis):
    """uint8 [H, W] -> uint8, resized along axis 1 (rows) or 0 (columns), rounded and clipped to 8 bits."""
    x = np.moveaxis(plane.astype(np.int64), axis, 0)  # the resized axis first
    out = np.empty((out_size,) + x.shape[1:], dtype=np.uint8)
    for o, (first, weights) in enumerate(pil_kernels(x.shape[0], out_size, resample)):
        acc = np.full(x.shape[1:], 1 << (PRECISION_BITS - 1), dtype=np.int64)
        for i, k in enumerate(weights):
            acc += x[first + i] * k
        out[o] = np.clip(acc >> PRECISION_BITS, 0, 255)
    return np.moveaxis(out, 0, axis)


def pil_resize(hwc, height, width, resample):
    """uint8 [H, W, C] -> uint8 [height, width, C] as PIL's Image.resize((width, height), resample) (Pillow 9,
    no reducing_gap): a horizontal pass, then a vertical one, each only when that side changes. What Hugging
    Face's image processors do (they resize the uint8 image through PIL)."""
    planes = []
    for c in range(hwc.shape[2]):
        plane = hwc[:, :, c]
        if plane.shape[1] != width:
            plane = pil_resample_axis(plane, width, resample, axis=1)
        if plane.shape[0] != height:
            plane = pil_resample_axis(plane, height, resample, axis=0)
        planes.append(plane)
    return np.stack(planes, axis=2)


def resize_output_size(height, width, size):
    """Hugging Face's target size: {"height", "width"} as given; {"shortest_edge": s}: the shorter side to s, the
    longer int(s * long / short) (get_resize_output_image_size, default_to_square=False)."""
    if "height" in size:
        return size["height"], size["width"]
    s = size["shortest_edge"]
    short, long = min(height, width), max(height, width)
    new_long = int(s * long / short)
    return (new_long, s) if width <= height else (s, new_long)


def center_crop(hwc, height, width):
    """Hugging Face's center_crop: top = (H - height) // 2, left = (W - width) // 2 (floor); where the crop
    reaches past the image (a crop bigger than it) the samples are 0."""
    h, w = hwc.shape[:2]
    top, left = (h - height) // 2, (w - width) // 2
    out = np.zeros((height, width, hwc.shape[2]), dtype=hwc.dtype)
    y0, y1 = max(0, top), min(h, top + height)
    x0, x1 = max(0, left), min(w, left + width)
    out[y0 - top:y1 - top, x0 - left:x1 - left] = hwc[y0:y1, x0:x1]
    return out


def preprocess(image, preprocessor, channels=None, keep_size=False):
    """A decoded image -> pixels float32 [C, H, W] ready for the model, as preprocessor_config.json says, in
    Hugging Face's order:
      1. to_channels(image, C): 16-bit -> 8-bit by (v + 128) // 257; alpha ignored; grey -> RGB repeats;
         RGB -> grey = (299 R + 587 G + 114 B + 500) // 1000. C = `channels`, else len(image_mean).
      2. do_resize: pil_resize to size (or shortest_edge) with PIL's filter for "resample" (2 bilinear,
         3 bicubic), on 8-bit samples; nothing when the size is already right.
      3. do_center_crop (DeiT/DINO processors): center_crop to crop_size.
      4. do_rescale: uint8 * rescale_factor in double, then float32 (numpy, then astype(float32)).
      5. do_normalize: (x - image_mean[c]) / image_std[c] in float32.
    keep_size=True skips steps 2 and 3 (the image runs at its own size; see ViT.forward's
    interpolate_pos_encoding).
    """
    p = preprocessor_settings(preprocessor)
    if channels is None:
        channels = len(p["image_mean"]) if isinstance(p["image_mean"], (list, tuple)) else 3
    hwc = to_channels(image, channels)
    if p["do_resize"] and not keep_size:
        height, width = resize_output_size(hwc.shape[0], hwc.shape[1], p["size"])
        hwc = pil_resize(hwc, height, width, p["resample"])
    if p.get("do_center_crop") and not keep_size:
        hwc = center_crop(hwc, p["crop_size"]["height"], p["crop_size"]["width"])
    x = hwc.transpose(2, 0, 1).astype(np.float64)  # [C, H, W]
    if p["do_rescale"]:
        x = x * p["rescale_factor"]
    x = torch.tensor(x.astype(np.float32))
    if p["do_normalize"]:
        mean = torch.tensor(p["image_mean"], dtype=torch.float32).reshape(-1)
        std = torch.tensor(p["image_std"], dtype=torch.float32).reshape(-1)
        if mean.numel() == 1:
            mean, std = mean.expand(channels), std.expand(channels)
        x = (x - mean[:channels, None, None]) / std[:channels, None, None]
    return x.contiguous()


# ---------------------------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------------------------

class SelfAttention(nn.Module):
    def __init__(self, hidden, heads, qkv_bias=True):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden, bias=qkv_bias)
        self.key = nn.Linear(hidden, hidden, bias=qkv_bias)
        self.value = nn.Linear(hidden, hidden, bias=qkv_bias)

    def forward(self, x):  # x: [batch, tokens, hidden]
        b, n, hidden = x.shape
        d = hidden // self.heads

        def split(t):  # [batch, tokens, hidden] -> [batch, heads, tokens, d]
            return t.view(b, n, self.heads, d).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d), dim=-1)  # [batch, heads, tokens, tokens]
        context = (probs @ v).transpose(1, 2).reshape(b, n, hidden)
        return context, probs


class Layer(nn.Module):
    def __init__(self, hidden, heads, intermediate, eps, qkv_bias=True):
        super().__init__()
        self.layernorm_before = nn.LayerNorm(hidden, eps=eps)
        self.attention = nn.Module()
        self.attention.attention = SelfAttention(hidden, heads, qkv_bias)
        self.attention.output = nn.Module()
        self.attention.output.dense = nn.Linear(hidden, hidden)
        self.layernorm_after = nn.LayerNorm(hidden, eps=eps)
        self.intermediate = nn.Module()
        self.intermediate.dense = nn.Linear(hidden, intermediate)
        self.output = nn.Module()
        self.output.dense = nn.Linear(intermediate, hidden)
        self.dropout = 0.0  # training only (models/vit/train.py); HF's hidden_dropout_prob positions

    def forward(self, x):  # x: [batch, tokens, hidden]
        drop = nn.functional.dropout
        context, probs = self.attention.attention(self.layernorm_before(x))
        x = x + drop(self.attention.output.dense(context), self.dropout, self.training)
        h = nn.functional.gelu(self.intermediate.dense(self.layernorm_after(x)))  # erf GELU
        x = x + drop(self.output.dense(h), self.dropout, self.training)
        return x, probs


class ViT(nn.Module):
    """Architecture keys as in Hugging Face's ViTConfig. num_labels 0: no classifier (a ViTModel)."""

    def __init__(self, image_size=224, patch_size=16, num_channels=3, hidden_size=768, num_hidden_layers=12,
                 num_attention_heads=12, intermediate_size=3072, layer_norm_eps=1e-12, num_labels=0, qkv_bias=True):
        super().__init__()
        if hidden_size % num_attention_heads:
            raise ValueError("hidden_size must be a multiple of num_attention_heads")
        self.image_size, self.patch_size, self.num_channels = image_size, patch_size, num_channels
        patches = (image_size // patch_size) ** 2
        self.vit = nn.Module()
        e = self.vit.embeddings = nn.Module()
        e.cls_token = nn.Parameter(torch.zeros(1, 1, hidden_size))
        e.position_embeddings = nn.Parameter(torch.zeros(1, 1 + patches, hidden_size))
        e.patch_embeddings = nn.Module()
        e.patch_embeddings.projection = nn.Conv2d(num_channels, hidden_size, patch_size, stride=patch_size)
        self.vit.encoder = nn.Module()
        self.vit.encoder.layer = nn.ModuleList(
            Layer(hidden_size, num_attention_heads, intermediate_size, layer_norm_eps, qkv_bias)
            for _ in range(num_hidden_layers))
        self.vit.layernorm = nn.LayerNorm(hidden_size, eps=layer_norm_eps)
        self.num_labels = num_labels
        if num_labels:
            self.classifier = nn.Linear(hidden_size, num_labels)
        self.preprocessor = dict(PREPROCESSOR_DEFAULTS)

    @classmethod
    def from_config(cls, config):
        keys = ("image_size", "patch_size", "num_channels", "hidden_size", "num_hidden_layers", "num_attention_heads",
                "intermediate_size", "layer_norm_eps", "qkv_bias")
        if config.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"hidden_act {config['hidden_act']!r} is not supported (gelu)")
        labels = config.get("id2label") or {}
        with_classifier = "ViTForImageClassification" in config.get("architectures", []) or bool(labels)
        return cls(**{k: config[k] for k in keys if k in config}, num_labels=len(labels) if with_classifier else 0)

    @classmethod
    def load(cls, folder):
        """A Hugging Face folder: config.json, model.safetensors, preprocessor_config.json (optional)."""
        with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
            config = json.load(f)
        model = cls.from_config(config)
        state = read_safetensors(os.path.join(folder, "model.safetensors"))
        state = {("" if k.startswith("classifier.") or k.startswith("vit.") else "vit.") + k: v
                 for k, v in state.items() if not k.startswith("pooler.") and not k.startswith("vit.pooler.")}
        model.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, strict=True)
        path = os.path.join(folder, "preprocessor_config.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                model.preprocessor = json.load(f)
        model.config = config
        return model.eval()

    def position_embeddings(self, rows, columns):
        """[1, 1 + rows * columns, D]: the model's own when the grid is its own, else the patch part resized as
        Hugging Face's ViTEmbeddings.interpolate_pos_encoding (recent transformers releases) and DINO do: the
        [sqrt(P), sqrt(P)] grid of position vectors, bicubic (A = -0.75), half-pixel centres (source
        y = (y' + 0.5) * in / out - 0.5, not clamped; the four taps clamped to the edge), no antialiasing,
        torch.nn.functional.interpolate(size=(rows, columns), mode="bicubic", align_corners=False); [CLS]'s
        vector unchanged. (The original DINO code and older transformers pass scale_factor=(rows + 0.1) / sqrt(P)
        instead of a size, which samples at slightly different points.)"""
        table = self.vit.embeddings.position_embeddings
        n = table.shape[1] - 1
        side = int(round(math.sqrt(n)))
        if rows * columns == n and rows == columns:
            return table
        if side * side != n:
            raise ValueError("position embeddings of a non-square grid cannot be interpolated")
        grid = table[:, 1:].reshape(1, side, side, -1).permute(0, 3, 1, 2)  # [1, D, side, side]
        grid = nn.functional.interpolate(grid, size=(rows, columns), mode="bicubic", align_corners=False)
        return torch.cat([table[:, :1], grid.permute(0, 2, 3, 1).reshape(1, rows * columns, -1)], dim=1)

    def embed(self, pixels, interpolate_pos_encoding=False):  # pixels: [batch, C, H, W] -> [batch, 1 + P, D]
        e = self.vit.embeddings
        patches = e.patch_embeddings.projection(pixels)  # [batch, D, H/p, W/p] (a remainder under p is dropped)
        rows, columns = patches.shape[2], patches.shape[3]
        if interpolate_pos_encoding:
            positions = self.position_embeddings(rows, columns)
        elif rows * columns + len(self.special_tokens()) != e.position_embeddings.shape[1]:
            raise ValueError(f"image {list(pixels.shape[2:])} does not match the model's "
                             f"{self.image_size}x{self.image_size}; pass interpolate_pos_encoding=True")
        else:
            positions = e.position_embeddings
        patches = patches.flatten(2).transpose(1, 2)  # [batch, P, D], row-major patches
        special = [t.expand(pixels.shape[0], -1, -1) for t in self.special_tokens()]
        return torch.cat(special + [patches], dim=1) + positions

    def special_tokens(self):
        """The learned tokens before the patches: [CLS] (DeiT adds [DIST])."""
        return [self.vit.embeddings.cls_token]

    def classify(self, hidden):
        """hidden [batch, T, D] after the final layer norm -> logits [batch, labels]: the classifier on [CLS]."""
        return self.classifier(hidden[:, 0])

    def encode(self, pixels, interpolate_pos_encoding=False):
        """[batch, C, H, W] -> hidden [batch, T, D] (after the final layer norm), attention [batch, L, heads, T, T]."""
        x = self.embed(pixels, interpolate_pos_encoding)
        maps = []
        for layer in self.vit.encoder.layer:
            x, probs = layer(x)
            maps.append(probs)
        return self.vit.layernorm(x), torch.stack(maps, dim=1)

    def logits(self, pixels):  # [batch, C, H, W] -> [batch, labels] (training: the maps are not kept)
        x = self.embed(pixels)
        for layer in self.vit.encoder.layer:
            x, _ = layer(x)
        return self.classify(self.vit.layernorm(x))

    def forward(self, pixels, interpolate_pos_encoding=False):
        """pixels [C, H, W] -> hidden [T, D] (after vit.layernorm, HF's last_hidden_state),
        attention [layers, heads, T, T] (row = query token, softmax over keys), probabilities [labels] or None.
        interpolate_pos_encoding: run an image of another size (see position_embeddings)."""
        hidden, attention = self.encode(pixels[None], interpolate_pos_encoding)
        probabilities = torch.softmax(self.classify(hidden), -1)[0] if self.num_labels else None
        return hidden[0], attention[0], probabilities

    def hf_state_dict(self):
        """The ViTForImageClassification tensors as float32 numpy arrays, names as in the module docstring."""
        return {k: v.detach().cpu().numpy().astype(np.float32) for k, v in self.state_dict().items()}


class DeiT(ViT):
    """DeiT (Touvron et al. 2021) as Hugging Face's DeiTForImageClassificationWithTeacher computes it: a [DIST] token
    after [CLS] with its own position embedding (T = 2 + P), and two classifiers, cls_classifier on [CLS] and
    distillation_classifier on [DIST], whose logits are averaged. Weight names as ViT's with "deit." for "vit.",
    plus deit.embeddings.distillation_token [1, 1, D]. (Position embeddings are not interpolated here.)"""

    def __init__(self, num_labels, **kwargs):
        super().__init__(num_labels=0, **kwargs)
        hidden = self.vit.embeddings.cls_token.shape[-1]
        patches = (self.image_size // self.patch_size) ** 2
        self.vit.embeddings.distillation_token = nn.Parameter(torch.zeros(1, 1, hidden))
        self.vit.embeddings.position_embeddings = nn.Parameter(torch.zeros(1, 2 + patches, hidden))
        self.num_labels = num_labels
        self.cls_classifier = nn.Linear(hidden, num_labels)
        self.distillation_classifier = nn.Linear(hidden, num_labels)

    def special_tokens(self):
        return [self.vit.embeddings.cls_token, self.vit.embeddings.distillation_token]

    def classify(self, hidden):
        return (self.cls_classifier(hidden[:, 0]) + self.distillation_classifier(hidden[:, 1])) / 2

    def position_embeddings(self, rows, columns):
        raise ValueError("the DeiT reference does not interpolate position embeddings")

    def hf_state_dict(self):
        """DeiTForImageClassificationWithTeacher names: "deit." where ViT has "vit."."""
        return {("deit." + k[4:] if k.startswith("vit.") else k): v for k, v in super().hf_state_dict().items()}


def read_safetensors(path):
    """name -> numpy array (F32, F16 or BF16 stored; returned as float32)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw = data[8 + n + start:8 + n + end]
        if info["dtype"] == "BF16":
            a = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            a = np.frombuffer(raw, dtype={"F32": "<f4", "F16": "<f2"}[info["dtype"]]).astype(np.float32)
        out[name] = a.reshape(info["shape"]).copy()
    return out


# ---------------------------------------------------------------------------------------------------------
# Rollout and flow
# ---------------------------------------------------------------------------------------------------------

def fuse_heads(attention, fusion):
    """[layers, heads, N, N] -> [layers, N, N] by mean, max or min over heads."""
    a = np.asarray(attention, dtype=np.float64)
    return {"mean": lambda: a.mean(1), "max": lambda: a.max(1), "min": lambda: a.min(1)}[fusion]()


def discard(layer_map, ratio):
    """[N, N] -> a copy with the k = floor(ratio * (N - 1)) smallest off-diagonal weights of each row set to 0;
    ties go to the lower column index (a stable sort by value); the diagonal is never discarded."""
    n = layer_map.shape[0]
    k = math.floor(ratio * (n - 1))
    out = layer_map.copy()
    if k <= 0:
        return out
    for i in range(n):
        columns = np.array([j for j in range(n) if j != i])
        order = np.argsort(layer_map[i, columns], kind="stable")
        out[i, columns[order[:k]]] = 0.0
    return out


def rollout(attention, fusion="mean", discard_ratio=0.0):
    """Attention rollout (Abnar & Zuidema 2020) as engine/analysis/rollout.h: attention [layers, heads, N, N] ->
    [N, N] float64. Per layer: fuse heads (mean/max/min), discard (discard_ratio in [0, 1)), add the identity,
    renormalise rows; then multiply from the first layer up: R = A_L ... A_1. Rows sum to 1."""
    if not 0.0 <= discard_ratio < 1.0:
        raise ValueError("discard_ratio must be in [0, 1)")
    fused = fuse_heads(attention, fusion)
    n = fused.shape[-1]
    result = np.eye(n)
    for layer_map in fused:
        a = discard(layer_map, discard_ratio) + np.eye(n)
        a = a / a.sum(-1, keepdims=True)
        result = a @ result
    return result


def discard_margin(attention, fusion, discard_ratio):
    """The smallest gap, over layers and rows, between the largest discarded and the smallest kept off-diagonal
    weight: how far the golden rollout is from a tie that float noise could flip (inf when nothing is dropped)."""
    fused = fuse_heads(attention, fusion)
    n = fused.shape[-1]
    k = math.floor(discard_ratio * (n - 1))
    if k <= 0 or k >= n - 1:
        return math.inf
    margin = math.inf
    for layer_map in fused:
        for i in range(n):
            row = np.sort(np.delete(layer_map[i], i))
            margin = min(margin, row[k] - row[k - 1])
    return margin


def flow_graph(attention):
    """The layered graph of attention flow: capacities [layers, N, N] float64, A_l = normalise_rows(mean over
    heads of attention[l] + I), the same matrices as rollout(fusion="mean"). Node (l, i) is token i after layer l
    (l = 0: the input embeddings); an edge from (l + 1, i) down to (l, j) has capacity A_l[i, j]."""
    a = fuse_heads(attention, "mean")
    a = a + np.eye(a.shape[-1])
    return a / a.sum(-1, keepdims=True)


def max_flow(capacity, source, sink, eps=1e-12):
    """Edmonds-Karp on a dense capacity matrix [V, V] (float64): breadth-first augmenting paths in the residual
    graph; an edge is usable while its residual capacity exceeds eps. Returns the flow value."""
    v = capacity.shape[0]
    residual = capacity.copy()
    total = 0.0
    while True:
        parent = np.full(v, -1)
        parent[source] = source
        queue = [source]
        head = 0
        while head < len(queue) and parent[sink] < 0:
            u = queue[head]
            head += 1
            for w in np.nonzero(residual[u] > eps)[0]:
                if parent[w] < 0:
                    parent[w] = u
                    queue.append(w)
        if parent[sink] < 0:
            return total
        bottleneck, w = math.inf, sink
        while w != source:
            bottleneck = min(bottleneck, residual[parent[w], w])
            w = parent[w]
        w = sink
        while w != source:
            residual[parent[w], w] -= bottleneck
            residual[w, parent[w]] += bottleneck
            w = parent[w]
        total += bottleneck


def attention_flow(attention, rows=None):
    """Attention flow (Abnar & Zuidema 2020): attention [layers, heads, N, N] -> [len(rows), N] float64.

    For each output token i in `rows` (default: all N) and each input token j, the maximum flow from node
    (L, i) (token i after the last layer) to node (0, j) (input token j) in flow_graph's layered graph; each
    row is then divided by its sum (as their compute_flows does), so rows sum to 1. Unlike rollout, which
    multiplies (sums over all paths), flow is limited by each path's narrowest edge."""
    a = flow_graph(attention)
    layers, n, _ = a.shape
    size = (layers + 1) * n
    capacity = np.zeros((size, size))
    for l in range(layers):  # edges from layer l + 1 down to layer l
        capacity[(l + 1) * n:(l + 2) * n, l * n:(l + 1) * n] = a[l]
    rows = list(range(n)) if rows is None else list(rows)
    out = np.zeros((len(rows), n))
    for r, i in enumerate(rows):
        for j in range(n):
            out[r, j] = max_flow(capacity, layers * n + i, j)
        out[r] /= out[r].sum()
    return out
