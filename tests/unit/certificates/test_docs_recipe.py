"""The offline recipe in docs/certificates.md works as written, with only the files a verifier would have."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.certificates.jsonld import CONTEXTS_DIR
from app.certificates.signing import issuer_profile_document
from app.certificates.status_list import signed_status_list_credential

from .builders import (
    ISSUED_AT,
    ISSUER,
    KAZAKH_NAME,
    STATUS_LIST_URL,
    TEST_KEY,
    TEST_VERIFICATION_METHOD,
    make_signed_credential,
)

DOC = Path(__file__).parents[3] / "docs" / "certificates.md"
CONTEXT_FILES = ("credentials-v2.jsonld", "ob-v3p0-context-3.0.3.json", "ob-v3p0-extensions.json")


def recipe_script() -> str:
    [script] = re.findall(r"```python\n(# verify_sanaly\.py.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    return script


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A folder holding what the documentation tells a verifier to save, and nothing from the app."""
    (tmp_path / "verify_sanaly.py").write_text(recipe_script(), encoding="utf-8")
    for name in CONTEXT_FILES:
        shutil.copy(CONTEXTS_DIR / name, tmp_path / name)
    write(tmp_path / "issuer.json", issuer_profile_document(ISSUER, [TEST_KEY.public_key()]))
    return tmp_path


def write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def run_recipe(workdir: Path, *files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "verify_sanaly.py", *files],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_recipe_confirms_a_genuine_certificate(workdir: Path) -> None:
    write(workdir / "credential.json", make_signed_credential())
    result = run_recipe(workdir, "credential.json", "issuer.json")
    assert result.returncode == 0, result.stderr
    assert f"Sanaly certifies that {KAZAKH_NAME} completed" in result.stdout


def test_the_recipe_rejects_a_certificate_with_one_changed_letter(workdir: Path) -> None:
    forged = copy.deepcopy(make_signed_credential())
    forged["credentialSubject"]["identifier"][0]["identityHash"] = KAZAKH_NAME.replace("Құ", "Ку")
    write(workdir / "credential.json", forged)
    result = run_recipe(workdir, "credential.json", "issuer.json")
    assert result.returncode != 0
    assert "InvalidSignature" in result.stderr


def test_the_recipe_rejects_an_unsigned_addition(workdir: Path) -> None:
    write(workdir / "credential.json", {**make_signed_credential(), "grade": "A+"})
    result = run_recipe(workdir, "credential.json", "issuer.json")
    assert result.returncode != 0
    assert "unsigned properties" in result.stderr


def test_the_recipe_reads_revocation_from_the_status_list(workdir: Path) -> None:
    credential = make_signed_credential()
    index = int(credential["credentialStatus"]["statusListIndex"])
    write(workdir / "credential.json", credential)
    for revoked, verdict in (([index], "REVOKED"), ([index + 1], "Not revoked")):
        status_list = signed_status_list_credential(
            STATUS_LIST_URL, ISSUER.id, revoked, ISSUED_AT, TEST_KEY, TEST_VERIFICATION_METHOD
        )
        write(workdir / "status.json", status_list)
        result = run_recipe(workdir, "credential.json", "issuer.json", "status.json")
        assert result.returncode == 0, result.stderr
        assert verdict in result.stdout
