"""Build each addon's README.rst from its readme/*.md fragments, as OCA's oca-gen-addon-readme does.

    python scripts/addon_readme.py            # write addons/*/README.rst
    python scripts/addon_readme.py --check    # exit 1 naming every README.rst that differs from its fragments

The title is the manifest's name, then its summary, then one section per fragment present (DESCRIPTION, CONTEXT,
INSTALL, CONFIGURE, USAGE, ROADMAP, DEVELOP, HISTORY) and the credits (the manifest's authors, CONTRIBUTORS,
CREDITS). Only the little Markdown the fragments use is converted: headings (``#`` in a fragment is a subsection of
its section), paragraphs, ``-``/``1.`` lists with indented continuation lines, fenced code blocks, and inline
code, links, bold and italics. tests/test_addon_readmes.py checks that every README.rst is up to date and valid reST.
"""

import ast
import re
import sys
from pathlib import Path

ADDONS_DIR = Path(__file__).resolve().parent.parent / "addons"
FRAGMENT_SECTIONS = (
    ("DESCRIPTION", "Description"),
    ("CONTEXT", "Use Cases / Context"),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("DEVELOP", "Development"),
    ("HISTORY", "Changelog"),
)
# Adornments by level below the title: sections, their subsections, and so on.
ADORNMENTS = "=~^\"'"
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+")
FENCE = re.compile(r"^\s*```")
# Inline Markdown, tried left to right: code span, link, bold, italics.
INLINE = re.compile(
    r"(?P<code>`+)(?P<code_text>[^`]+?)(?P=code)"
    r"|\[(?P<link_text>[^\]]+)\]\((?P<link_url>[^)\s]+)\)"
    r"|\*\*(?P<bold>[^*]+?)\*\*"
    r"|(?<![*\w])\*(?P<em>[^*\s](?:[^*]*[^*\s])?)\*(?!\*)"
)
# reST recognises inline markup only between these (else a backslash-space separates it from the word it touches).
OPEN_BEFORE = " \t\n-:/'\"<([{"
CLOSE_AFTER = " \t\n-.,:;!?\\/'\")]}>"


def manifest(addon_dir: Path) -> dict:
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text(encoding="utf-8"))


def heading(text: str, level: int) -> list[str]:
    underline = ADORNMENTS[level - 1] * len(text)
    return [text, underline, ""]


def _inline_markup(match: re.Match) -> str:
    if match["code"]:
        return f"``{match['code_text'].strip()}``"
    if match["link_text"]:
        return f"`{match['link_text']} <{match['link_url']}>`__"
    if match["bold"]:
        return f"**{match['bold']}**"
    return f"*{match['em']}*"


def inline(text: str) -> str:
    """Markdown text as reST, each piece of markup kept apart from the letters it touches."""
    result, position = "", 0
    for match in INLINE.finditer(text):
        result += text[position : match.start()]
        if result and result[-1] not in OPEN_BEFORE:
            result += "\\ "
        result += _inline_markup(match)
        following = text[match.end() : match.end() + 1]
        if following and following not in CLOSE_AFTER:
            result += "\\ "
        position = match.end()
    return result + text[position:]


def markdown_to_rst(markdown: str, base_level: int) -> list[str]:
    """A fragment's Markdown as reST lines; its shallowest heading becomes level ``base_level``."""
    lines = markdown.strip("\n").splitlines()
    levels = [
        len(match[1])
        for line, code in zip(lines, _in_code(lines), strict=True)
        if not code and (match := HEADING.match(line))
    ]
    shift = base_level - min(levels, default=1)
    out, text, in_code = [], [], False
    for line in lines:
        if in_code or FENCE.match(line) or HEADING.match(line) or not line.strip():
            # Inline markup may run over several lines of a paragraph: convert it a paragraph at a time.
            out.extend(inline("\n".join(text)).splitlines())
            text = []
        if FENCE.match(line):
            in_code = not in_code
            out.extend(["", "::", ""] if in_code else [""])
        elif in_code:
            out.append("    " + line if line.strip() else "")
        elif match := HEADING.match(line):
            out.extend(["", *heading(inline(match[2]), len(match[1]) + shift)])
        elif not line.strip():
            out.append("")
        else:
            if LIST_ITEM.match(line) and text and not text[-1].startswith(" ") and not LIST_ITEM.match(text[-1]):
                text.append("")  # reST wants a blank line between a paragraph and the list after it; Markdown does not
            text.append(line.rstrip())
    out.extend(inline("\n".join(text)).splitlines())
    return _squeeze(out)


def _in_code(lines: list[str]) -> list[bool]:
    """For each line, whether it is inside (or fences) a code block."""
    flags, in_code = [], False
    for line in lines:
        fence = bool(FENCE.match(line))
        in_code ^= fence
        flags.append(in_code or fence)
    return flags


def _squeeze(lines: list[str]) -> list[str]:
    """No blank line at either end, never two in a row."""
    out = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def build(addon_dir: Path) -> str:
    values = manifest(addon_dir)
    readme = addon_dir / "readme"
    title = values["name"]
    out = [
        ".. Generated by scripts/addon_readme.py from readme/*.md and __manifest__.py: edit those, then run",
        "   python scripts/addon_readme.py",
        "",
        "=" * len(title),
        title,
        "=" * len(title),
        "",
    ]
    if values.get("summary"):
        out.extend([f"*{values['summary']}*", ""])
    out.extend(["**Table of contents**", "", ".. contents::", "   :local:", ""])
    for fragment, section in FRAGMENT_SECTIONS:
        path = readme / f"{fragment}.md"
        if path.exists():
            out.extend(heading(section, 1))
            out.extend(markdown_to_rst(path.read_text(encoding="utf-8"), 2))
            out.append("")
    out.extend(heading("Credits", 1))
    out.extend(heading("Authors", 2))
    out.extend(f"* {author.strip()}" for author in values.get("author", "").split(","))
    out.append("")
    for fragment, section in (("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits")):
        path = readme / f"{fragment}.md"
        if path.exists():
            out.extend(heading(section, 2))
            out.extend(markdown_to_rst(path.read_text(encoding="utf-8"), 3))
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def addon_dirs() -> list[Path]:
    return sorted(path.parent for path in ADDONS_DIR.glob("*/readme"))


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for addon_dir in addon_dirs():
        target = addon_dir / "README.rst"
        text = build(addon_dir)
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        stale.append(target)
        if not check:
            target.write_text(text, encoding="utf-8")
    for target in stale:
        print(f"{'out of date' if check else 'written'}: {target.relative_to(ADDONS_DIR.parent)}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
