"""A substantive change to what was filed (FRT-15c): the filed facts, compared with the last approved
version that had been filed.

The facts a filing records (FRT-15b: purposes and methods, quantity stored, vendor, storage, …) are
named by the pack (`substantial_change`). When one of them differs between the working draft and the
last approved version whose filing was done, the change must be filed within 30 working days and the
assessment redone now, whatever the "changed since filing?" question says. A number counts by band
(the stored headcount crossing 1,000,000), not by every change of the number.
"""

from __future__ import annotations

from typing import Any

from .assessment import ApprovedVersion, Assessment
from .formpack import FormPack, SubstantialChange


def last_filed_version(assessment: Assessment, change: SubstantialChange) -> ApprovedVersion | None:
    for version in reversed(assessment.approved_versions):
        if version.summary.filing.get(change.filed_duty) == "done":
            return version
    return None


def substantial_changes(pack: FormPack, assessment: Assessment) -> tuple[str, ...]:
    """The ids of the filed facts that changed since the last filed approved version, in the pack's
    order; empty without a pack declaration or a filed approved version. A fact not answered on
    either side is not a change anyone can see yet."""
    change = pack.substantial_change
    if change is None:
        return ()
    filed = last_filed_version(assessment, change)
    if filed is None:
        return ()
    before, after = filed.assessment.answers, assessment.answers
    changed = {
        q for q in change.facts
        if before.get(q) is not None and after.get(q) is not None and _comparable(before[q]) != _comparable(after[q])
    }
    for count in change.counts:
        old, new = before.get(count.q), after.get(count.q)
        if _whole(old) and _whole(new) and count.band(old) != count.band(new):
            changed.add(count.q)
    return tuple(q for q in pack.questions if q in changed)


def _comparable(value: Any) -> Any:
    """The same fact written differently is not a change: choices in another order, text with other
    spacing or capitals ("VisionCloud  " and "visioncloud")."""
    if isinstance(value, list):
        return frozenset(_comparable(v) for v in value if not isinstance(v, (dict, list)))
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    return value


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
