"""Re-save examples/*.dpia against the current built-in pack after a reviewed pack change.

    .venv/bin/python tools/refresh_examples.py

Answers of renamed questions move to their new ids; everything else is kept as it is. Run
`python3 dev.py test` afterwards: the example tests say whether each example still reaches the
conclusion its scenario expects, and whether any answer no longer fits the pack.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dpia_app.core.drafts import adopt_pack, attach_pack, read_draft, save_draft  # noqa: E402
from dpia_app.core.packs import load_builtin_pack  # noqa: E402


def main() -> int:
    for path in sorted((ROOT / "examples").glob("*.dpia")):
        first = read_draft(path)
        loaded = load_builtin_pack(first.assessment.pack.id)
        opened = attach_pack(first, loaded, path)
        assessment = adopt_pack(opened.assessment, loaded)
        if assessment == first.assessment:
            print(f"{path.name}: current")
            continue
        save_draft(assessment, path, now=assessment.metadata.modified_at)
        path.with_name(path.name + ".bak").unlink(missing_ok=True)
        print(f"{path.name}: now answered against {loaded.id} {loaded.version} ({loaded.sha256[:12]}); renamed: {opened.renamed or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
