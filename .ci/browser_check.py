"""Checks what headless Chromium made of report.html (Python standard library only).

Usage: browser_check.py SCREENSHOT.png DOM.html CONSOLE.log PLOTS_DIR
- the screenshot is a real picture: many non-white pixels, several colours, and the charts'
  orange (not a blank or error page);
- the rendered DOM holds one <svg> per chart file in PLOTS_DIR, inside its <figure>;
- Chromium's log has no console message and no failed load (the page has no script and
  fetches nothing, so any such line is a fault).
"""

import pathlib
import re
import struct
import sys
import zlib


def read_png(path):
    """Decodes an 8-bit RGB or RGBA PNG into (width, height, rows of pixel tuples)."""
    data = pathlib.Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                sys.exit(f"{path}: unexpected PNG format (depth {depth}, colour {colour})")
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1 : i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 255
        rows.append([tuple(line[x : x + 3]) for x in range(0, stride, channels)])
        prev = line
    return width, height, rows


def main():
    screenshot, dom_path, console_path, plots = sys.argv[1:5]
    failures = []

    width, height, rows = read_png(screenshot)
    pixels = [p for row in rows for p in row]
    non_white = sum(1 for p in pixels if p != (255, 255, 255))
    colours = len(set(pixels))
    # The palette's orange is drawn by the charts only (the page's own accents are blue).
    orange = sum(1 for p in pixels if abs(p[0] - 230) < 12 and abs(p[1] - 159) < 12 and p[2] < 12)
    print(
        f"screenshot {width}x{height}: {non_white} non-white pixels, {colours} colours, "
        f"{orange} palette-orange"
    )
    if non_white < 0.02 * len(pixels) or colours < 20:
        failures.append("the screenshot is blank or nearly so")
    if orange < 500:
        failures.append("the screenshot shows no chart (no pixel of the palette's orange)")

    dom = pathlib.Path(dom_path).read_text(encoding="utf-8", errors="replace")
    charts = sorted(p.stem for p in pathlib.Path(plots).glob("*.svg"))
    svgs = len(re.findall(r"<svg\b", dom))
    print(f"DOM: {len(dom)} characters, {svgs} <svg> elements, {len(charts)} chart files")
    if not charts:
        failures.append(f"no chart in {plots}")
    if svgs != len(charts):
        failures.append(f"the DOM has {svgs} <svg> elements for {len(charts)} charts")
    for stem in charts:
        if not re.search(rf'<figure id="fig-{re.escape(stem)}">\s*<svg\b', dom):
            failures.append(f"chart {stem} is not in the rendered DOM")

    log = pathlib.Path(console_path).read_text(encoding="utf-8", errors="replace")
    bad = [
        line
        for line in log.splitlines()
        if re.search(r"CONSOLE|Uncaught|Failed to load resource|net::ERR_", line)
    ]
    print(f"console log: {len(log.splitlines())} lines, {len(bad)} page errors")
    failures += [f"console: {line}" for line in bad]

    if failures:
        print("browser check FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("browser check passed")


if __name__ == "__main__":
    main()
