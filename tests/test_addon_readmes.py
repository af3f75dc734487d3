"""Each addon's README.rst is the one scripts/addon_readme.py builds from its readme/*.md fragments, and valid reST.

Plain pytest: no Odoo database is needed (pytest-odoo collects these as ordinary test functions).
"""

import importlib.util
import io
from pathlib import Path

import pytest
from docutils.core import publish_doctree
from docutils.utils import SystemMessage

PROJECT_DIR = Path(__file__).resolve().parent.parent
ADDONS = ("oms_intelligent", "oms_channels", "oms_fulfillment")


def _addon_readme_script():
    spec = importlib.util.spec_from_file_location("addon_readme", PROJECT_DIR / "scripts" / "addon_readme.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


addon_readme = _addon_readme_script()


@pytest.mark.parametrize("addon", ADDONS)
def test_every_addon_has_its_readme_fragments(addon):
    readme = PROJECT_DIR / "addons" / addon / "readme"
    for fragment in ("DESCRIPTION.md", "USAGE.md", "CONFIGURE.md"):
        assert (readme / fragment).read_text(encoding="utf-8").strip(), f"{addon}/readme/{fragment} is empty"


@pytest.mark.parametrize("addon", ADDONS)
def test_readme_rst_is_up_to_date_with_its_fragments(addon):
    addon_dir = PROJECT_DIR / "addons" / addon
    expected = addon_readme.build(addon_dir)
    assert (addon_dir / "README.rst").read_text(
        encoding="utf-8"
    ) == expected, f"addons/{addon}/README.rst is out of date with its readme/*.md: run python scripts/addon_readme.py"


@pytest.mark.parametrize("addon", ADDONS)
def test_readme_rst_is_valid_restructured_text(addon):
    text = (PROJECT_DIR / "addons" / addon / "README.rst").read_text(encoding="utf-8")
    warnings = io.StringIO()
    try:
        publish_doctree(
            text,
            source_path=f"addons/{addon}/README.rst",
            settings_overrides={"halt_level": 2, "report_level": 2, "warning_stream": warnings},
        )
    except SystemMessage as error:
        pytest.fail(f"addons/{addon}/README.rst is not valid reST: {error}")
    assert not warnings.getvalue(), warnings.getvalue()


def test_markdown_of_the_fragments_becomes_restructured_text():
    markdown = (
        "Intro with `code`s, a [link](https://example.com) and **bold**, *italics*.\n"
        "- an item\n"
        "  continued\n"
        "\n"
        "# Heading\n"
        "\n"
        "```sh\n"
        "make test   # a comment, not a heading\n"
        "```\n"
    )
    assert addon_readme.markdown_to_rst(markdown, 2) == [
        "Intro with ``code``\\ s, a `link <https://example.com>`__ and **bold**, *italics*.",
        "",
        "- an item",
        "  continued",
        "",
        "Heading",
        "~~~~~~~",
        "",
        "::",
        "",
        "    make test   # a comment, not a heading",
    ]


def test_the_manifest_summary_and_authors_are_in_the_readme():
    addon_dir = PROJECT_DIR / "addons" / "oms_channels"
    manifest = addon_readme.manifest(addon_dir)
    text = addon_readme.build(addon_dir)
    assert text.count(manifest["name"]) >= 1 and f"*{manifest['summary']}*" in text
    assert f"* {manifest['author']}" in text
