"""The GIF encoder against an independent decoder written here (blocks, LZW, transparency)."""

from __future__ import annotations

import numpy as np
import pytest

from calcgui.core import gif


def lzw_decode(data: bytes, min_code_size: int) -> list[int]:
    """A textbook GIF LZW decoder, written from the GIF89a specification."""
    clear, end = 1 << min_code_size, (1 << min_code_size) + 1
    position = 0
    size = min_code_size + 1
    table: list[list[int]] = []
    previous: list[int] | None = None
    out: list[int] = []

    def reset() -> None:
        nonlocal size, previous
        table[:] = [[i] for i in range(clear)] + [[], []]
        size, previous = min_code_size + 1, None

    reset()
    while position + size <= len(data) * 8:
        code = 0
        for bit in range(size):
            byte = data[(position + bit) // 8]
            code |= ((byte >> ((position + bit) % 8)) & 1) << bit
        position += size
        if code == clear:
            reset()
            continue
        if code == end:
            return out
        if previous is None:
            entry = table[code]
        elif code < len(table):
            entry = table[code]
            if len(table) < 4096:
                table.append(previous + entry[:1])
        else:
            assert code == len(table), f"code {code} beyond the table ({len(table)})"
            entry = previous + previous[:1]
            table.append(entry)
        out.extend(entry)
        previous = entry
        if len(table) == (1 << size) and size < 12:
            size += 1
    raise AssertionError("no end code")


def decode(blob: bytes) -> tuple[list[np.ndarray], list[int], int]:
    """Every frame composited as a viewer shows it, each frame's delay, and the loop count."""
    assert blob[:6] == b"GIF89a" and blob[-1:] == b"\x3b"
    width, height = int.from_bytes(blob[6:8], "little"), int.from_bytes(blob[8:10], "little")
    assert blob[10] & 0x80 == 0  # no global table: every frame brings its own
    canvas = np.zeros((height, width, 3), dtype=np.uint8)
    frames, delays, loop = [], [], None
    i = 13
    transparent, delay = None, 0
    while blob[i] != 0x3B:
        if blob[i] == 0x21:
            label = blob[i + 1]
            if label == 0xFF:
                assert blob[i + 3:i + 14] == b"NETSCAPE2.0"
                loop = int.from_bytes(blob[i + 16:i + 18], "little")
            elif label == 0xF9:
                flags = blob[i + 3]
                assert (flags >> 2) & 7 == 1  # do not dispose
                delay = int.from_bytes(blob[i + 4:i + 6], "little")
                transparent = blob[i + 6] if flags & 1 else None
            i += 2
            while blob[i]:
                i += blob[i] + 1
            i += 1
        else:
            assert blob[i] == 0x2C
            left, top, w, h = (int.from_bytes(blob[i + k:i + k + 2], "little") for k in (1, 3, 5, 7))
            packed = blob[i + 9]
            assert packed & 0x80 and not packed & 0x40  # local table, not interlaced
            entries = 2 ** ((packed & 7) + 1)
            i += 10
            palette = np.frombuffer(blob[i:i + 3 * entries], dtype=np.uint8).reshape(-1, 3)
            i += 3 * entries
            min_code_size = blob[i]
            i += 1
            data = bytearray()
            while blob[i]:
                data += blob[i + 1:i + 1 + blob[i]]
                i += blob[i] + 1
            i += 1
            indices = np.array(lzw_decode(bytes(data), min_code_size), dtype=np.int64).reshape(h, w)
            region = canvas[top:top + h, left:left + w]
            shown = np.ones((h, w), dtype=bool) if transparent is None else indices != transparent
            region[shown] = palette[indices[shown]]
            frames.append(canvas.copy())
            delays.append(delay)
    return frames, delays, loop


def squares(n: int, width: int = 48, height: int = 32) -> list[np.ndarray]:
    """A white frame with a red square moving right and a blue bar growing."""
    out = []
    for k in range(n):
        frame = np.full((height, width, 3), 255, dtype=np.uint8)
        frame[4:12, 2 + 3 * k:10 + 3 * k] = (213, 94, 0)
        frame[20:24, :4 + 2 * k] = (0, 114, 178)
        out.append(frame)
    return out


def test_lzw_round_trip_through_table_resets() -> None:
    rng = np.random.default_rng(7)
    # long enough and varied enough to fill the 4,096-entry table several times
    data = bytes(rng.integers(0, 16, size=60_000, dtype=np.uint8))
    assert lzw_decode(gif.lzw_encode(data, 4), 4) == list(data)
    runs = bytes([3] * 5000 + [1, 2] * 3000)
    assert lzw_decode(gif.lzw_encode(runs, 2), 2) == list(runs)


def test_lzw_of_nothing_is_clear_then_end() -> None:
    assert lzw_decode(gif.lzw_encode(b"", 2), 2) == []


def test_frames_decode_to_their_exact_pixels_with_delays_and_loop() -> None:
    frames = squares(8)
    blob = gif.encode(frames, fps=10)
    decoded, delays, loop = decode(blob)
    assert len(decoded) == 8
    for original, shown in zip(frames, decoded):
        np.testing.assert_array_equal(shown, original)
    assert delays == [10] * 8 and loop == 0


def test_delays_follow_the_exact_clock_at_rates_gif_cannot_hold() -> None:
    _frames, delays, _loop = decode(gif.encode(squares(6), fps=15))
    assert delays == [7, 6, 7, 7, 6, 7]
    assert sum(delays) == 40  # 6 frames at 15 fps: 0.4 s exactly


def test_only_the_changed_box_is_written() -> None:
    frames = squares(2, width=400, height=300)
    whole = len(gif.encode(frames[:1], fps=10))
    both = len(gif.encode(frames, fps=10))
    assert both - whole < 200  # the second frame is a small box, not 120,000 pixels again


def test_an_unchanged_frame_still_takes_its_time() -> None:
    frame = squares(1)[0]
    decoded, delays, _loop = decode(gif.encode([frame, frame, frame], fps=5))
    assert len(decoded) == 3 and delays == [20, 20, 20]
    np.testing.assert_array_equal(decoded[2], frame)


def test_many_colours_go_to_the_nearest_of_the_most_frequent() -> None:
    rng = np.random.default_rng(3)
    frame = np.full((64, 64, 3), 240, dtype=np.uint8)
    frame[:32] = (20, 40, 200)
    noise = rng.integers(0, 256, size=(16, 64, 3), dtype=np.uint8)  # ~1,000 rare colours
    frame[48:] = noise
    indices, palette = gif.quantize(frame.reshape(-1, 3))
    assert len(palette) == gif.MAX_COLORS
    shown = palette[indices].reshape(frame.shape).astype(int)
    # the frequent colours are exact
    np.testing.assert_array_equal(shown[:48], frame[:48])
    # a rare colour goes to the palette colour nearest its cube cell's centre: by the triangle
    # inequality at most twice the distance to that centre (half a cell's diagonal) worse
    # than the truly nearest palette colour
    rare = noise.reshape(-1, 3).astype(float)
    chosen = np.linalg.norm(rare - shown[48:].reshape(-1, 3), axis=1)
    best = np.linalg.norm(rare[:, None, :] - palette[None, :, :].astype(float), axis=2).min(axis=1)
    cell = 256 / gif.CUBE_SIDE
    assert (chosen <= best + 2 * (cell / 2) * np.sqrt(3) + 1e-9).all()
    assert (chosen > best).any()  # the cube is an approximation, and the bound is not idle


@pytest.mark.parametrize("size", [(0, 10), (10, 70000)])
def test_impossible_sizes_are_refused(size: tuple[int, int]) -> None:
    import io

    with pytest.raises(ValueError, match="pixels a side"):
        gif.GifWriter(io.BytesIO(), *size, fps=10)


def test_a_frame_of_the_wrong_shape_is_refused() -> None:
    import io

    writer = gif.GifWriter(io.BytesIO(), 10, 10, fps=10)
    with pytest.raises(ValueError, match=r"\(10, 10, 3\) uint8"):
        writer.add_frame(np.zeros((10, 11, 3), dtype=np.uint8))
