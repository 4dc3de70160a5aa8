"""Colours a reader can tell apart: tag colours nudged away from each other and from grey.

SmartLead lets every tag have a colour, and agencies pick them freely: three oranges, two
near-greys, a tag the colour of our "(untagged)" bars. In a chart that colours bars by tag,
such colours read as one. :func:`distinguishable` keeps every colour that is already easy to
tell from the ones before it and from the colours to avoid, and moves the others just far
enough (a turn of hue, then a step of lightness), in order: the first tags keep theirs.

Distances are measured in OKLab (Björn Ottosson, 2020), where equal distances look about
equally different; greys are colours with almost no chroma. Pure functions, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from smartlead.vocab import css_color

MIN_DISTANCE = 0.09
"""The least OKLab distance between two colours of one chart: well past the just noticeable
difference (about 0.02), so bars side by side read as different tags at a glance."""

MIN_CHROMA = 0.05
"""Below this OKLab chroma a colour reads as grey, the colour of "no tag"."""

_HUE_STEPS = tuple(step * sign for step in range(1, 13) for sign in (1, -1))
"""Turns of hue tried, nearest first: 15° steps up to half the circle each way."""

_LIGHTNESS_STEPS = (0.0, 0.12, -0.12, 0.22, -0.22)

Lab = tuple[float, float, float]


def parse_hex(color: str) -> tuple[int, int, int]:
    """``#rgb`` or ``#rrggbb`` as three 0–255 integers (ValueError for anything else)."""
    safe = css_color(color)
    if safe is None:
        raise ValueError(f"not a #rgb or #rrggbb colour: {color!r}")
    digits = safe[1:]
    if len(digits) == 3:
        digits = "".join(2 * digit for digit in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def to_hex(rgb: Sequence[float]) -> str:
    """Three 0–255 channels (clamped, rounded) as ``#rrggbb``."""
    return "#" + "".join(f"{round(min(255.0, max(0.0, channel))):02x}" for channel in rgb)


def _linear(channel: float) -> float:
    value = channel / 255.0
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def _gamma(value: float) -> float:
    value = min(1.0, max(0.0, value))
    encoded = 12.92 * value if value <= 0.0031308 else 1.055 * value ** (1 / 2.4) - 0.055
    return encoded * 255.0


def oklab(color: str) -> Lab:
    """A hex colour in OKLab (lightness 0–1 and two opponent axes)."""
    r, g, b = (_linear(channel) for channel in parse_hex(color))
    long = 0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b
    medium = 0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b
    short = 0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b
    long, medium, short = (math.copysign(abs(v) ** (1 / 3), v) for v in (long, medium, short))
    return (
        0.2104542553 * long + 0.7936177850 * medium - 0.0040720468 * short,
        1.9779984951 * long - 2.4285922050 * medium + 0.4505937099 * short,
        0.0259040371 * long + 0.7827717662 * medium - 0.8086757660 * short,
    )


def from_oklab(lab: Lab) -> str:
    """An OKLab colour as the nearest ``#rrggbb`` (clipped into sRGB)."""
    lightness, a, b = lab
    long = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3
    medium = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3
    short = (lightness - 0.0894841775 * a - 1.2914855480 * b) ** 3
    rgb = (
        4.0767416621 * long - 3.3077115913 * medium + 0.2309699292 * short,
        -1.2684380046 * long + 2.6097574011 * medium - 0.3413193965 * short,
        -0.0041960863 * long - 0.7034186147 * medium + 1.7076147010 * short,
    )
    return to_hex([_gamma(channel) for channel in rgb])


def distance(first: str, second: str) -> float:
    """How different two colours look (OKLab distance; 0 = the same)."""
    return _distance(oklab(first), oklab(second))


def _distance(first: Lab, second: Lab) -> float:
    return math.dist(first, second)


def chroma(color: str) -> float:
    """How far a colour is from grey (OKLab chroma; greys are below :data:`MIN_CHROMA`)."""
    return _chroma(oklab(color))


def _chroma(lab: Lab) -> float:
    return math.hypot(lab[1], lab[2])


def _clear_of(lab: Lab, taken: list[Lab]) -> float:
    """The distance from ``lab`` to the nearest of ``taken`` (infinite when none)."""
    return min((_distance(lab, other) for other in taken), default=math.inf)


def _candidates(lab: Lab) -> Iterable[Lab]:
    """Nearby colours with a real hue: hue turned step by step, then lighter or darker."""
    lightness, a, b = lab
    hue = math.atan2(b, a)
    radius = max(math.hypot(a, b), MIN_CHROMA * 2.5)
    for step in _LIGHTNESS_STEPS:
        level = min(0.9, max(0.3, lightness + step))
        for turn in (0, *_HUE_STEPS):
            angle = hue + math.radians(15 * turn)
            # through hex and back: the candidate is a colour sRGB can show
            yield oklab(from_oklab((level, radius * math.cos(angle), radius * math.sin(angle))))


def distinguishable(
    colors: Sequence[str],
    *,
    avoid: Sequence[str] = (),
    min_distance: float = MIN_DISTANCE,
) -> list[str]:
    """The colours, in order, each at least ``min_distance`` from those before it and from
    ``avoid`` (e.g. the "(untagged)" grey) and none of them grey, changed as little as that
    allows. A colour that already qualifies is returned exactly as given; one that cannot be
    placed (far more colours than a chart can show) gets the candidate farthest from the rest.
    Every colour must be ``#rgb`` or ``#rrggbb`` (see :func:`smartlead.vocab.css_color`).
    """
    taken = [oklab(color) for color in avoid]
    result: list[str] = []
    for color in colors:
        lab = oklab(color)
        if _clear_of(lab, taken) >= min_distance and _chroma(lab) >= MIN_CHROMA:
            taken.append(lab)
            result.append(color)
            continue
        best, best_gap = lab, -1.0
        for candidate in _candidates(lab):
            if _chroma(candidate) < MIN_CHROMA:
                continue
            gap = _clear_of(candidate, taken)
            if gap >= min_distance:
                best, best_gap = candidate, gap
                break
            if gap > best_gap:
                best, best_gap = candidate, gap
        taken.append(best)
        result.append(from_oklab(best))
    return result


BLACK_TEXT = "#000000"
WHITE_TEXT = "#ffffff"


def relative_luminance(color: str) -> float:
    """How light a colour is to the eye, 0 (black) to 1 (white), as WCAG 2 defines it."""
    red, green, blue = (_linear(channel) for channel in parse_hex(color))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two colours: 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_color_on(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (the higher WCAG contrast):
    a tag's name on a chip of the tag's own colour, whatever colour the agency picked."""
    on_black = contrast_ratio(background, BLACK_TEXT)
    on_white = contrast_ratio(background, WHITE_TEXT)
    return BLACK_TEXT if on_black >= on_white else WHITE_TEXT
