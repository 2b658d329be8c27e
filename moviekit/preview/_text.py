"""Fonts, colours and text layout for drawtext.

drawtext needs a font *file*: a machine without system fonts makes it fail, so
DejaVu Sans (regular and bold, Bitstream Vera licence in ``fonts/``) ships
inside the package and is always passed explicitly. Other ``font-family``
values are drawn with DejaVu Sans and reported.

drawtext does not wrap lines; :func:`wrap` breaks text to a box width using
DejaVu Sans' average advance (an estimate: the draft's line breaks may differ
slightly from the browser-rendered text of the service).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
#: average advance of DejaVu Sans as a fraction of the font size (mixed-case Latin text)
_ADVANCE = {False: 0.56, True: 0.62}

_NAMED = {
    "white": "FFFFFF", "black": "000000", "red": "FF0000", "green": "008000", "blue": "0000FF",
    "yellow": "FFFF00", "orange": "FFA500", "purple": "800080", "gray": "808080",
    "grey": "808080", "pink": "FFC0CB", "cyan": "00FFFF", "magenta": "FF00FF",
    "lime": "00FF00", "navy": "000080", "teal": "008080", "silver": "C0C0C0",
    "maroon": "800000", "olive": "808000", "gold": "FFD700", "brown": "A52A2A",
}  # fmt: skip
_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"  # what float() reads: not "1.2.3" nor "."
_RGBA = re.compile(
    rf"rgba?\(\s*({_NUMBER})\s*,\s*({_NUMBER})\s*,\s*({_NUMBER})\s*(?:,\s*({_NUMBER}%?)\s*)?\)"
)


def color(value: object, default: str = "0xFFFFFF") -> str:
    """A CSS colour (``#rgb``, ``#rrggbb``, ``#rrggbbaa``, ``rgb()``, ``rgba()``, a basic
    name, ``transparent``) as an ffmpeg colour (``0xRRGGBB@alpha``)."""
    if not isinstance(value, str):
        return default
    text = value.strip().lower()
    if text == "transparent":
        return "0x000000@0"
    if text in _NAMED:
        return "0x" + _NAMED[text]
    if text.startswith("#"):
        digits = text[1:]
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        if re.fullmatch(r"[0-9a-f]{6}([0-9a-f]{2})?", digits):
            alpha = f"@{int(digits[6:], 16) / 255:.3f}" if len(digits) == 8 else ""
            return "0x" + digits[:6].upper() + alpha
        return default
    match = _RGBA.fullmatch(text)
    if match:
        r, g, b = (int(max(0.0, min(255.0, float(v)))) for v in match.groups()[:3])
        alpha_text = match.group(4)
        alpha = ""
        if alpha_text:
            a = float(alpha_text[:-1]) / 100 if alpha_text.endswith("%") else float(alpha_text)
            alpha = f"@{max(0.0, min(1.0, a)):.3f}"
        return f"0x{r:02X}{g:02X}{b:02X}{alpha}"
    return default


def font_size(value: object, width: int, height: int, default: float) -> float:
    """A CSS font size in pixels: ``"48px"``, ``48``, ``"5vw"``, ``"4vh"``, ``"2em"`` (16 px),
    ``"36pt"``; ``default`` when it cannot be read."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) if 0 < value < sys.float_info.max else default
    if not isinstance(value, str):
        return default
    match = re.fullmatch(rf"\s*({_NUMBER})\s*(px|vw|vh|vmin|vmax|em|rem|pt|%)?\s*", value.lower())
    if not match:
        return default
    number, unit = float(match.group(1)), match.group(2) or "px"
    scale = {
        "px": 1.0,
        "vw": width / 100,
        "vh": height / 100,
        "vmin": min(width, height) / 100,
        "vmax": max(width, height) / 100,
        "em": 16.0,
        "rem": 16.0,
        "pt": 4 / 3,
        "%": 16.0 / 100,
    }[unit]
    size = number * scale
    return size if 0 < size < sys.float_info.max else default


def is_bold(weight: object) -> bool:
    """CSS ``font-weight`` 600 and above (or ``bold``) uses the bold face."""
    if isinstance(weight, str):
        text = weight.strip().lower()
        if text in ("bold", "bolder"):
            return True
        try:
            return float(text) >= 600
        except ValueError:
            return False
    return isinstance(weight, (int, float)) and not isinstance(weight, bool) and weight >= 600


def text_width(text: str, size: float, bold: bool) -> float:
    """Estimated width of one line in pixels."""
    return len(text) * size * _ADVANCE[bold]


def wrap(text: str, size: float, bold: bool, max_width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width`` (explicit newlines kept)."""
    per_line = max(1, int(max_width / (size * _ADVANCE[bold])))
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        words = paragraph.split()
        line = ""
        for word in words:
            while len(word) > per_line:  # a word longer than the box: hard break
                if line:
                    lines.append(line)
                    line = ""
                lines.append(word[:per_line])
                word = word[per_line:]
            candidate = f"{line} {word}" if line else word
            if len(candidate) <= per_line:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines
