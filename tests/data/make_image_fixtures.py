#!/usr/bin/env python3
"""Writes tests/data/images/: small image files for tests/loader/test_image_file.cpp, made byte by byte (zlib +
struct, no imaging library), so their pixels are known exactly.

- rgb-1x1.png: 8-bit RGB, one pixel (200, 100, 50)
- rgb-3x2.png: 8-bit RGB, pixels (row-major) red, green, blue / white, black, (10, 20, 30)
- grey-2x2.png: 8-bit greyscale 0, 85, 170, 255
- grey16-2x1.png: 16-bit greyscale 0, 65535
- rgba-2x1.png: RGBA (255, 0, 0, 0) and (0, 0, 255, 128): alpha is dropped, not composited
- palette-2x1.png: palette of 2 colours (0, 128, 255) and (255, 255, 0)
- rgb-2x2.bmp: 24-bit BMP, red, green / blue, white (bottom-up rows as BMP stores them)
- truncated.png: rgb-3x2.png cut in its image data
- not-an-image.png: text
- huge-header.png: a valid header claiming 30000 x 30000 pixels with almost no data (must be refused by size)

  /usr/bin/python3 tests/data/make_image_fixtures.py
"""
import os
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "images")


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, bit_depth, colour_type, rows, extra=b""):
    raw = b"".join(b"\x00" + row for row in rows)  # filter 0 on every row
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def bmp(width, height, pixels):  # pixels: rows top-down of (r, g, b)
    row_bytes = (width * 3 + 3) // 4 * 4
    body = b""
    for row in reversed(pixels):
        data = b"".join(bytes((b, g, r)) for r, g, b in row)
        body += data + b"\x00" * (row_bytes - len(data))
    header = struct.pack("<2sIHHI", b"BM", 54 + len(body), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(body), 2835, 2835, 0, 0)
    return header + info + body


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {
        "rgb-1x1.png": png(1, 1, 8, 2, [bytes([200, 100, 50])]),
        "rgb-3x2.png": png(3, 2, 8, 2, [bytes([255, 0, 0, 0, 255, 0, 0, 0, 255]), bytes([255, 255, 255, 0, 0, 0, 10, 20, 30])]),
        "grey-2x2.png": png(2, 2, 8, 0, [bytes([0, 85]), bytes([170, 255])]),
        "grey16-2x1.png": png(2, 1, 16, 0, [struct.pack(">HH", 0, 65535)]),
        "rgba-2x1.png": png(2, 1, 8, 6, [bytes([255, 0, 0, 0, 0, 0, 255, 128])]),
        "palette-2x1.png": png(2, 1, 8, 3, [bytes([0, 1])], chunk(b"PLTE", bytes([0, 128, 255, 255, 255, 0]))),
        "rgb-2x2.bmp": bmp(2, 2, [[(255, 0, 0), (0, 255, 0)], [(0, 0, 255), (255, 255, 255)]]),
        "not-an-image.png": b"this is not an image\n",
        "huge-header.png": png(30000, 30000, 8, 0, [b"\x00" * 4]),
    }
    good = files["rgb-3x2.png"]
    idat = good.index(b"IDAT")
    files["truncated.png"] = good[:idat + 10]
    for name, data in files.items():
        with open(os.path.join(OUT, name), "wb") as handle:
            handle.write(data)
    print(f"wrote {len(files)} files to {OUT}")


if __name__ == "__main__":
    main()
