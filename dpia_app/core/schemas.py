"""JSON Schemas of the form-pack and draft formats, generated from the models so they never drift."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .assessment import Assessment
from .catalog import Catalog
from .drafts import CURRENT_FORMAT_VERSION, FORMAT_NAME
from .formpack import FormPack



def form_pack_schema() -> dict[str, Any]:
    schema = FormPack.model_json_schema(by_alias=True)
    schema["title"] = "DPIA form pack"
    return schema


def catalog_schema() -> dict[str, Any]:
    schema = Catalog.model_json_schema(by_alias=True)
    schema["title"] = "DPIA requirements catalog"
    return schema


def draft_schema() -> dict[str, Any]:
    schema = Assessment.model_json_schema(by_alias=True)
    if "$ref" in schema:
        # Approved versions hold assessments, so the model is recursive and its schema refers to its
        # own definition: the file's top level is that definition, plus the envelope below.
        name = schema.pop("$ref").rsplit("/", 1)[-1]
        schema = {**schema["$defs"][name], "$defs": schema["$defs"]}
    # A saved draft is the assessment plus the envelope written by drafts.to_document.
    schema["title"] = "DPIA draft (*.dpia)"
    schema["properties"] = {
        "format": {"const": FORMAT_NAME},
        "format_version": {"type": "integer", "minimum": 1, "maximum": CURRENT_FORMAT_VERSION},
        "kind": {"enum": ["assessment", "template"]},
        "app_version": {"type": "string"},
        **schema["properties"],
    }
    schema["required"] = ["format", "format_version", *schema.get("required", [])]
    return schema


def schemas() -> dict[str, dict[str, Any]]:
    return {
        "form-pack.schema.json": form_pack_schema(),
        "catalog.schema.json": catalog_schema(),
        "draft.schema.json": draft_schema(),
    }


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = folder / name
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
