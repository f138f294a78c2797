# Draws images/icon.png (the Marketplace icon, 128x128): a blue shield with a white check mark.
# Pure Python (zlib + struct), so anyone can regenerate it without an image editor:
#   python3 scripts/make-icon.py
import math
import struct
import zlib
from pathlib import Path

SIZE = 128
SAMPLES = 4  # per axis, for smooth edges
BLUE = (31, 111, 235)
WHITE = (255, 255, 255)


def in_shield(x: float, y: float) -> bool:
    """A shield: straight shoulders, sides down to y=62, then two arcs meeting at the bottom point."""
    if y < 6 or y > 124:
        return False
    top = 6 + (18 * abs(x - 64) / 50)  # the shoulders slope from the top centre
    if y < top or x < 14 or x > 114:
        return False
    if y <= 62:
        return True
    # Below the sides: inside an ellipse-like curve narrowing to the point at (64, 124).
    t = (y - 62) / 62
    half = 50 * math.sqrt(max(0.0, 1 - t * t))
    return abs(x - 64) <= half


def near_check(x: float, y: float) -> bool:
    """A check mark: two strokes (38,64)-(56,82) and (56,82)-(92,44), 11 px wide."""
    def distance(ax, ay, bx, by):
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
        return math.hypot(x - (ax + t * dx), y - (ay + t * dy))
    return min(distance(38, 64, 56, 82), distance(56, 82, 92, 44)) <= 5.5


def pixel(px: int, py: int) -> bytes:
    shield = check = 0
    for i in range(SAMPLES):
        for j in range(SAMPLES):
            x, y = px + (i + 0.5) / SAMPLES, py + (j + 0.5) / SAMPLES
            if in_shield(x, y):
                shield += 1
                if near_check(x, y):
                    check += 1
    n = SAMPLES * SAMPLES
    if shield == 0:
        return bytes((0, 0, 0, 0))
    colour = [round((BLUE[k] * (shield - check) + WHITE[k] * check) / shield) for k in range(3)]
    return bytes((*colour, round(255 * shield / n)))


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF)


rows = b''.join(b'\x00' + b''.join(pixel(x, y) for x in range(SIZE)) for y in range(SIZE))
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', SIZE, SIZE, 8, 6, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(rows, 9)) + chunk(b'IEND', b'')
out = Path(__file__).resolve().parent.parent / 'images' / 'icon.png'
out.parent.mkdir(exist_ok=True)
out.write_bytes(png)
print(f'wrote {out} ({len(png)} bytes)')
