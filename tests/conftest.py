"""Shared test set-up: headless Qt, the mini test pack and the built-in China pack."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest

# GUI tests must never need a display; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Settings and the parsed-pack cache of a test run go to a folder of its own, never the user's.
os.environ.setdefault("DPIA_APP_CONFIG_DIR", tempfile.mkdtemp(prefix="dpia-tests-"))

from dpia_app.core.assessment import Assessment  # noqa: E402
from dpia_app.core.drafts import new_assessment, read_draft  # noqa: E402
from dpia_app.core.evaluation import Evaluation, evaluate  # noqa: E402
from dpia_app.core.packs import LoadedPack, load_builtin_pack, load_pack  # noqa: E402

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parent.parent / "examples"


def require_report_libraries() -> None:
    """Skip a PDF test where Pango is missing (a developer's Mac or PC), saying what to install.

    CI sets DPIA_REQUIRE_REPORT_LIBRARIES (.ci/run installs the libraries), so there a missing
    library fails the run instead of skipping the report's tests.
    """
    from dpia_app.report import report_libraries

    status = report_libraries()
    if not status.available:
        if os.environ.get("DPIA_REQUIRE_REPORT_LIBRARIES"):
            raise RuntimeError(status.problem)
        pytest.skip(status.problem)


@pytest.fixture
def report_libraries_present() -> None:
    require_report_libraries()
MINI_PACK = DATA / "mini" / "mini-pack.yaml"
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="session")
def mini() -> LoadedPack:
    return load_pack(MINI_PACK)


@pytest.fixture(scope="session")
def cn_pack() -> LoadedPack:
    return load_builtin_pack("cn-frt-2025")


def assess(loaded: LoadedPack, answers: dict, **changes) -> tuple[Assessment, Evaluation]:
    assessment = new_assessment(loaded).model_copy(update={"answers": answers, **changes})
    return assessment, evaluate(loaded, assessment, TODAY)


def example_answers(loaded: LoadedPack, name: str) -> dict:
    """The answers of one of examples/*.dpia, as a starting point for a test that changes a few facts."""
    return dict(read_draft(EXAMPLES / name, loaded).assessment.answers)
