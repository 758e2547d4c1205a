"""A minimal PNG writer (zlib + struct, no PIL) for the ViT fixtures and samples.

    write_png("x.png", grey_uint8_HxW)             # colour type 0, 8-bit
    write_png("x.png", grey_uint16_HxW)            # colour type 0, 16-bit (big-endian samples)
    write_png("x.png", rgb_uint8_HxWx3)            # colour type 2
    write_png("x.png", rgba_uint8_HxWx4)           # colour type 6 (grey + alpha [H, W, 2]: type 4)
    write_png("x.png", indices_HxW, palette=rgb_uint8_Kx3)   # colour type 3, 8-bit indices

Every scanline uses filter 0 (None); no gamma, colour-profile or transparency chunks.
"""
import struct
import zlib

import numpy as np


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes(image, palette=None):
    image = np.asarray(image)
    if image.ndim == 2:
        image = image[:, :, None]
    h, w, channels = image.shape
    if palette is not None:
        if image.dtype != np.uint8 or channels != 1:
            raise ValueError("a palette image is [H, W] uint8 indices")
        colour_type, depth = 3, 8
    else:
        colour_type = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
        depth = {np.dtype(np.uint8): 8, np.dtype(np.uint16): 16}[image.dtype]
    samples = image.astype(">u2") if depth == 16 else image
    raw = b"".join(b"\x00" + samples[y].tobytes() for y in range(h))
    out = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour_type, 0, 0, 0))
    if palette is not None:
        out += _chunk(b"PLTE", np.asarray(palette, dtype=np.uint8).tobytes())
    return out + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b"")


def write_png(path, image, palette=None):
    with open(path, "wb") as f:
        f.write(png_bytes(image, palette))
