"""Every relative link of the README and the docs points at a file of the repository, and none
names a file outside it (../shared/, an issue tracker the user cannot see)."""

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = sorted(
    [REPO / "README.md", *(REPO / "docs").glob("*.md"), *(REPO / "workflow").rglob("README.md")]
    + [path for path in (REPO / "data").glob("README.md")]
)
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("document", DOCS, ids=lambda path: str(path.relative_to(REPO)))
def test_every_relative_link_resolves(document):
    text = document.read_text()
    targets = [
        target for target in LINK.findall(text) if not target.startswith(("http://", "https://", "mailto:"))
    ]
    assert [target for target in targets if not (document.parent / target).exists()] == []
    assert not re.search(r"\.\./shared/|CLAIMS\.md|\bissue \d+", text)


SCHEMA_VERSION_STATED = re.compile(r"\]\((workflow/schemas/[a-z_]+\.schema\.json)\) version (\d+)")


@pytest.mark.parametrize("document", DOCS, ids=lambda path: str(path.relative_to(REPO)))
def test_every_stated_schema_version_is_the_schemas(document):
    """'[schema](workflow/schemas/X.schema.json) version N' says the version the schema holds."""
    for schema, version in SCHEMA_VERSION_STATED.findall(document.read_text()):
        const = json.loads((REPO / schema).read_text())["properties"]["schema_version"]["const"]
        assert int(version) == const, f"{document.name}: {schema} is version {const}, not {version}"
