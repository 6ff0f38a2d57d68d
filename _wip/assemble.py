"""Scaffolding (not shipped): assemble forms/cn-frt-2025.yaml from the skeleton and part fragments.

Usage: .venv/bin/python _wip/assemble.py [--write]   (from /work/main)
Fragments: _wip/part-a.sections.yaml, _wip/part-a.rules.yaml, _wip/part-b.sections.yaml,
_wip/part-b.rules.yaml, _wip/risks.yaml. Each holds YAML list items indented by 2 spaces, exactly as
they would appear under `sections:` / `rules:` / `risks:`. A missing part is replaced by stub
questions from _wip/contract.yaml so the other part validates. Without --write it validates the
assembled pack in a temp dir and prints every problem; with --write it replaces the skeleton markers
in forms/cn-frt-2025.yaml for good (only when all fragments exist).
"""
import shutil, sys, tempfile
from pathlib import Path
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
WIP = ROOT / "_wip"
sys.path.insert(0, str(ROOT))
from dpia_app.core.packs import load_pack  # noqa: E402
from dpia_app.core.yaml_source import DataFileError  # noqa: E402

contract = YAML(typ="safe").load((WIP / "contract.yaml").read_text(encoding="utf-8"))


def stub(part):
    lines = [f"  - id: stub_{part.replace('-', '_')}", "    title: {en: stub, zh-Hans: stub}", "    questions:"]
    for qid, spec in contract[part].items():
        lines += [f"      - id: {qid}", f"        type: {spec['type']}", "        text: {en: s, zh-Hans: s}", "        help: {en: s, zh-Hans: s}"]
        if "options" in spec:
            lines.append("        options:")
            lines += [f"          - {{id: {o}, label: {{en: {o}, zh-Hans: {o}}}}}" for o in spec["options"]]
        if spec["type"] == "group":
            lines.append("        fields: [{id: f, type: short_text, label: {en: f, zh-Hans: f}}]")
    return "\n".join(lines)


def fragment(name, fallback=""):
    path = WIP / name
    return path.read_text(encoding="utf-8").rstrip() if path.exists() else fallback


text = (ROOT / "forms" / "cn-frt-2025.yaml").read_text(encoding="utf-8")
parts = {
    "# @@PART-A-SECTIONS@@": fragment("part-a.sections.yaml", stub("part-a")),
    "# @@PART-B-SECTIONS@@": fragment("part-b.sections.yaml", stub("part-b")),
    "# @@PART-A-RULES@@": fragment("part-a.rules.yaml"),
    "# @@PART-B-RULES@@": fragment("part-b.rules.yaml"),
}
for marker, body in parts.items():
    text = text.replace(marker, body)
risks = fragment("risks.yaml")
if risks:
    text = text.replace("# @@RISKS@@\nrisks: []", "risks:\n" + risks)

# Check that each written part defines its contract ids with the agreed type and options.
data = YAML(typ="safe").load(text)
defined = {q["id"]: q for s in data["sections"] for q in s.get("questions", []) if isinstance(q, dict)}
for part, ids in contract.items():
    for qid, spec in ids.items():
        q = defined.get(qid)
        if q is None:
            print(f"CONTRACT: {part} must define {qid}")
            continue
        if q.get("type") != spec["type"]:
            print(f"CONTRACT: {qid} must be {spec['type']}, is {q.get('type')}")
        if "options" in spec:
            have = [o["id"] for o in q.get("options", [])]
            missing = [o for o in spec["options"] if o not in have]
            if missing:
                print(f"CONTRACT: {qid} lacks options {missing}")

if "--write" in sys.argv:
    (ROOT / "forms" / "cn-frt-2025.yaml").write_text(text, encoding="utf-8")
    target = ROOT / "forms" / "cn-frt-2025.yaml"
else:
    tmp = Path(tempfile.mkdtemp())
    target = tmp / "cn-frt-2025.yaml"
    target.write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "forms" / "catalog-cn.yaml", tmp / "catalog-cn.yaml")
try:
    pack = load_pack(target).pack
    print(f"OK: {len(pack.sections)} sections, {len(pack.questions)} questions, {len(pack.rules)} rules, {len(pack.risks)} risks")
except DataFileError as error:
    print(f"{len(error.problems)} problem(s):")
    print(error)
    sys.exit(1)
