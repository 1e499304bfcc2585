"""Animated GIF (GIF89a) encoding in numpy and plain Python, with no imaging library.

Why not Pillow: the standalone bundle has a size budget and Pillow alone would push it over,
while a GIF of a plot needs little: a palette, LZW and a few fixed-format blocks.

How a frame becomes small:

* **Differencing.** Only the bounding box of the pixels that changed since the previous frame
  is written, and inside it the unchanged pixels are transparent (disposal "do not dispose"
  keeps the previous frame under them). A descent race changes a few paths per frame, so
  after the first frame most frames are a few kilobytes.
* **Palette.** Each written region gets its own local colour table: its colours exactly when
  there are at most 255 of them (a plot's flat colours come out unchanged), otherwise its 255
  most frequent colours, and every other colour goes to the nearest of those, looked up per
  cell of a 32×32×32 colour cube (antialiased edges blend two palette colours, so the
  nearest is close). One index more is the transparent one.
* **LZW** with a dict keyed by ``prefix_code << 8 | byte``, codes of 3 to 12 bits, the table
  reset with a clear code when it reaches 4,096 entries (GIF has no "early change").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

import numpy as np

#: Colours of a local colour table; one index more is left for transparency.
MAX_COLORS = 255
#: The largest LZW code (12 bits).
MAX_CODE = 4096
#: Colours are looked up in a cube of this many cells per channel (5 bits).
CUBE_SIDE = 32
#: Nearest-colour distances are computed for this many cube cells at a time (memory bound).
_CHUNK = 4096


def _packed(rgb: np.ndarray) -> np.ndarray:
    """(..., 3) uint8 → (...) uint32 0xRRGGBB."""
    rgb = rgb.astype(np.uint32)
    return (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]


def _unpacked(packed: np.ndarray) -> np.ndarray:
    return np.stack([(packed >> 16) & 255, (packed >> 8) & 255, packed & 255], axis=-1).astype(np.uint8)


def quantize(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Palette indices for (n, 3) uint8 ``pixels`` and the palette ((k, 3) uint8, k ≤ 255).

    Exact when there are at most :data:`MAX_COLORS` colours; otherwise the most frequent
    colours, the others mapped to the nearest of them through the colour cube."""
    packed = _packed(pixels)
    colors, inverse, counts = np.unique(packed, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    if len(colors) <= MAX_COLORS:
        return inverse.astype(np.uint8), _unpacked(colors)
    keep = np.sort(np.argsort(counts, kind="stable")[::-1][:MAX_COLORS])
    palette = _unpacked(colors[keep])
    index_of_color = np.full(len(colors), -1, dtype=np.int64)
    index_of_color[keep] = np.arange(len(keep))
    missing = np.flatnonzero(index_of_color < 0)
    index_of_color[missing] = _nearest_by_cube(_unpacked(colors[missing]), palette)
    return index_of_color[inverse].astype(np.uint8), palette


def _nearest_by_cube(colors: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """For each colour, the index of the palette colour nearest its cube cell's centre."""
    shift = 8 - int(np.log2(CUBE_SIDE))
    cells = colors.astype(np.int64) >> shift
    keys = (cells[:, 0] * CUBE_SIDE + cells[:, 1]) * CUBE_SIDE + cells[:, 2]
    unique_keys, inverse = np.unique(keys, return_inverse=True)
    side = CUBE_SIDE
    centres = np.stack([unique_keys // (side * side), (unique_keys // side) % side, unique_keys % side], axis=-1)
    centres = (centres.astype(np.float32) + 0.5) * (256 / side)
    targets = palette.astype(np.float32)
    nearest = np.empty(len(centres), dtype=np.int64)
    for start in range(0, len(centres), _CHUNK):
        block = centres[start:start + _CHUNK]
        distances = ((block[:, None, :] - targets[None, :, :]) ** 2).sum(axis=-1)
        nearest[start:start + _CHUNK] = np.argmin(distances, axis=1)
    return nearest[inverse.reshape(-1)]


def lzw_encode(indices: bytes, min_code_size: int) -> bytes:
    """The GIF variant of LZW: variable-width codes packed least significant bit first."""
    clear, end = 1 << min_code_size, (1 << min_code_size) + 1
    out = bytearray()
    buffer = bits = 0
    code_size = min_code_size + 1
    next_code = end + 1
    table: dict[int, int] = {}

    def emit(code: int, size: int) -> None:
        nonlocal buffer, bits
        buffer |= code << bits
        bits += size
        while bits >= 8:
            out.append(buffer & 0xFF)
            buffer >>= 8
            bits -= 8

    emit(clear, code_size)
    if not indices:
        emit(end, code_size)
        return bytes(out) + (bytes([buffer]) if bits else b"")
    prefix = indices[0]
    get = table.get
    for byte in indices[1:]:
        key = prefix << 8 | byte
        code = get(key)
        if code is not None:
            prefix = code
            continue
        emit(prefix, code_size)
        if next_code < MAX_CODE:
            table[key] = next_code
            next_code += 1
            # the decoder adds each entry one code later: it widens when its table is full
            if next_code > (1 << code_size) and code_size < 12:
                code_size += 1
        else:
            emit(clear, code_size)
            table.clear()
            code_size, next_code = min_code_size + 1, end + 1
        prefix = byte
    emit(prefix, code_size)
    emit(end, code_size)
    if bits:
        out.append(buffer & 0xFF)
    return bytes(out)


def _sub_blocks(data: bytes) -> bytes:
    """``data`` as GIF data sub-blocks (at most 255 bytes each) and the block terminator."""
    parts = bytearray()
    for start in range(0, len(data), 255):
        chunk = data[start:start + 255]
        parts.append(len(chunk))
        parts += chunk
    parts.append(0)
    return bytes(parts)


def _u16(value: int) -> bytes:
    return int(value).to_bytes(2, "little")


class GifWriter:
    """Writes frames to a binary stream as they come; :meth:`close` ends the file.

    ``fps`` sets each frame's delay; GIF counts in hundredths of a second, so the delays are
    rounded from the frames' exact times (at 15 fps: 7, 7, 6, 7, 7, 6 … centiseconds)."""

    def __init__(self, stream: BinaryIO, width: int, height: int, fps: float, *, loop: int = 0) -> None:
        if not (1 <= width <= 65535 and 1 <= height <= 65535):
            raise ValueError(f"a GIF is 1 to 65535 pixels a side, not {width}×{height}")
        if not 0 < fps <= 100:
            raise ValueError(f"the frame rate must be above 0 and at most 100 per second, not {fps}")
        self.stream, self.width, self.height, self.fps = stream, width, height, fps
        self.frames = 0
        self._previous: np.ndarray | None = None
        header = b"GIF89a" + _u16(width) + _u16(height) + bytes([0x00, 0, 0])  # no global colour table
        loop_block = b"\x21\xff\x0bNETSCAPE2.0\x03\x01" + _u16(loop) + b"\x00"
        stream.write(header + loop_block)

    def add_frame(self, rgb: np.ndarray) -> None:
        """Append an (height, width, 3) uint8 frame."""
        if rgb.shape != (self.height, self.width, 3) or rgb.dtype != np.uint8:
            raise ValueError(f"a frame must be ({self.height}, {self.width}, 3) uint8, not {rgb.shape} {rgb.dtype}")
        delay = round((self.frames + 1) * 100 / self.fps) - round(self.frames * 100 / self.fps)
        previous, self._previous = self._previous, rgb.copy()
        self.frames += 1
        if previous is None:
            self._write_region(rgb, 0, 0, None, delay)
            return
        changed = np.any(rgb != previous, axis=2)
        rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
        if not len(rows):  # nothing moved: one transparent pixel holds the time
            self._write_region(rgb[:1, :1], 0, 0, np.zeros((1, 1), dtype=bool), delay)
            return
        top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        self._write_region(rgb[top:bottom, left:right], int(left), int(top), changed[top:bottom, left:right], delay)

    def _write_region(self, rgb: np.ndarray, left: int, top: int, changed: np.ndarray | None, delay: int) -> None:
        """One frame's image: ``rgb`` at (left, top); where ``changed`` is False, transparent."""
        height, width = rgb.shape[:2]
        pixels = rgb.reshape(-1, 3)
        mask = None if changed is None else changed.reshape(-1)
        indices = np.empty(len(pixels), dtype=np.uint8)
        if mask is None:
            indices[:], palette = quantize(pixels)
        else:
            shown, palette = quantize(pixels[mask]) if mask.any() else (np.empty(0, np.uint8), np.zeros((1, 3), np.uint8))
            indices[mask] = shown
        transparent = len(palette)
        if mask is not None:
            indices[~mask] = transparent
        size_bits = max(1, int(np.ceil(np.log2(transparent + 1))))  # table of 2^size_bits colours
        table = np.zeros((1 << size_bits, 3), dtype=np.uint8)
        table[: len(palette)] = palette
        flags = (1 << 2) | (1 if mask is not None else 0)  # disposal 1: keep the frame under the next
        control = b"\x21\xf9\x04" + bytes([flags]) + _u16(delay) + bytes([transparent if mask is not None else 0, 0])
        descriptor = b"\x2c" + _u16(left) + _u16(top) + _u16(width) + _u16(height) + bytes([0x80 | (size_bits - 1)])
        min_code_size = max(2, size_bits)
        data = lzw_encode(indices.tobytes(), min_code_size)
        self.stream.write(control + descriptor + table.tobytes() + bytes([min_code_size]) + _sub_blocks(data))

    def close(self) -> None:
        """Write the trailer; the stream stays open (it is the caller's)."""
        self.stream.write(b"\x3b")


def encode(frames: Iterable[np.ndarray], fps: float, *, loop: int = 0) -> bytes:
    """The GIF of ``frames`` (all (height, width, 3) uint8), as bytes."""
    import io

    frames = iter(frames)
    first = next(frames)
    stream = io.BytesIO()
    writer = GifWriter(stream, first.shape[1], first.shape[0], fps, loop=loop)
    writer.add_frame(first)
    for frame in frames:
        writer.add_frame(frame)
    writer.close()
    return stream.getvalue()
