#!/usr/bin/env python3
"""Makes the workshop notebooks in notebooks/ from the scripts in scripts/ (no dependencies).

    python3 notebooks/from_scripts.py          # rewrites the .ipynb files listed in NOTEBOOKS

A script's header comment becomes the notebook's first Markdown cell (its Run/ci-args/expect lines
are left out: those are for ./dln and the golden checker); every top-level comment block that
follows an empty line becomes a Markdown cell and the code after it a code cell, so each step of the
script is one cell. The scripts stay the single source: edit them, then rerun this.
"""
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.join(HERE, "..", "scripts")

# notebook file -> (script, extra Markdown put after the header)
NOTEBOOKS = {
    "playground.ipynb": ("playground.dln", "Each `boundary` and `plot` call draws inline."),
    "mnist_mlp.ipynb": ("mnist_mlp.dln",
                        "`fit` shows a progress bar and a live loss/accuracy chart that update in place."),
    "mnist_cnn.ipynb": ("mnist_cnn.dln",
                        "Training the full CNN takes long on a small CPU: `arg('limit', ...)` and `arg('epochs', ...)` "
                        "read the kernel's `DLN_ARGS` (e.g. `DLN_ARGS='epochs=1 limit=6000' jupyter notebook`), "
                        "or edit the numbers in the cell."),
    "transfer.ipynb": ("transfer.dln", ""),
}

DROP = re.compile(r"^(Run:|ci-args:|expect:|\s{3,}\./dln)")


def comment_text(line):
    return line[2:] if line.startswith("# ") else line[1:]


def cells_of(script_text):
    lines = script_text.rstrip("\n").split("\n")
    cells = []
    i = 0
    header = []
    while i < len(lines) and lines[i].startswith("#"):
        header.append(comment_text(lines[i]))
        i += 1
    title = header[0] if header else ""
    m = re.match(r"(\S+\.dln)\s+[—-]\s+(.*)", title)
    name = m.group(2) if m else title
    md = ["# " + name[:1].upper() + name[1:].rstrip("."), ""]
    if m:
        md.append("The workshop script `scripts/%s` as a notebook: run the cells from the top." % m.group(1))
        md.append("")
    for h in header[1:]:
        if not DROP.match(h) and (h.strip() or (md and md[-1].strip())):
            md.append(h)
    cells.append(("markdown", md))
    code, prose = [], []
    blank_before = True
    for line in lines[i:]:
        top_comment = line.startswith("#")
        if top_comment and (blank_before or prose):
            if code and any(c.strip() for c in code):
                cells.append(("code", code))
            code = []
            prose.append(comment_text(line))
        else:
            if prose:
                cells.append(("markdown", prose))
                prose = []
            code.append(line)
        blank_before = not line.strip()
    if prose:
        cells.append(("markdown", prose))
    if code and any(c.strip() for c in code):
        cells.append(("code", code))
    return cells


def strip_blank_edges(lines):
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def notebook(cells, extra):
    out = []
    for n, (kind, lines) in enumerate(cells):
        lines = strip_blank_edges(list(lines))
        if n == 0 and extra:
            lines += ["", extra]
        source = [l + "\n" for l in lines[:-1]] + lines[-1:]
        cell = {"cell_type": kind, "metadata": {}, "source": source}
        if kind == "code":
            cell["execution_count"] = None
            cell["outputs"] = []
        out.append(cell)
    return {
        "cells": out,
        "metadata": {
            "kernelspec": {"display_name": "DLN", "language": "dln", "name": "dln"},
            "language_info": {"name": "dln", "file_extension": ".dln", "mimetype": "text/x-dln",
                              "codemirror_mode": "python", "pygments_lexer": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def main():
    for name, (script, extra) in NOTEBOOKS.items():
        with open(os.path.join(SCRIPTS, script), encoding="utf-8") as f:
            nb = notebook(cells_of(f.read()), extra)
        for k, cell in enumerate(nb["cells"]):
            cell["id"] = "%s-%d" % (name.split(".")[0].replace("_", "-"), k)
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
            json.dump(nb, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print("wrote notebooks/%s (%d cells) from scripts/%s" % (name, len(nb["cells"]), script))


if __name__ == "__main__":
    main()
