"""Draws the PWA icons into public/icons/. Run once by hand; the PNGs are committed.

    python3 -m pip install pillow   # in a venv
    python3 scripts/make-icons.py [path/to/NotoSansCJK-Bold.ttc]

The build never runs this script.
"""

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ORANGE = (232, 89, 12, 255)  # #e8590c, the manifest theme colour
WHITE = (255, 255, 255, 255)
FONT = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
OUT = Path(__file__).resolve().parent.parent / "public" / "icons"
SS = 4  # supersampling factor


def glyph(draw: ImageDraw.ImageDraw, cx: float, cy: float, size: float) -> None:
    """A white house (the station) with 暖 in its body, centred on (cx, cy), `size` wide."""
    half = size / 2
    roof_top = cy - half
    eave = cy - half * 0.25
    body_left, body_right = cx - half * 0.78, cx + half * 0.78
    bottom = cy + half
    draw.polygon([(cx, roof_top), (cx + half, eave), (cx - half, eave)], fill=WHITE)
    draw.rounded_rectangle(
        [body_left, eave - 1, body_right, bottom], radius=size * 0.06, fill=WHITE
    )
    font = ImageFont.truetype(FONT, int(size * 0.62))
    text_cy = (eave + bottom) / 2
    draw.text((cx, text_cy), "暖", font=font, fill=ORANGE, anchor="mm")


def icon(px: int, maskable: bool) -> Image.Image:
    big = px * SS
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    if maskable:
        # Full bleed; content inside the 80% safe circle.
        draw.rectangle([0, 0, big, big], fill=ORANGE)
        glyph(draw, big / 2, big / 2, big * 0.52)
    else:
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 0.2, fill=ORANGE)
        glyph(draw, big / 2, big / 2, big * 0.66)
    return img.resize((px, px), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    icon(192, False).save(OUT / "icon-192.png", optimize=True)
    icon(512, False).save(OUT / "icon-512.png", optimize=True)
    icon(512, True).save(OUT / "maskable-512.png", optimize=True)
    icon(180, True).convert("RGB").save(OUT / "apple-touch-icon-180.png", optimize=True)
    icon(64, False).save(OUT / "favicon-64.png", optimize=True)


if __name__ == "__main__":
    main()
