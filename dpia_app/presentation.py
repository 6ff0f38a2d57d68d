"""Words for the evaluation's codes (verdicts, reasons, answer problems, filing), in either language.

Shared by the command line and the report so that both say the same thing; Qt-free.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .core.answers import AnswerProblem
from .core.assessment import Assessment
from .core.catalog import Catalog
from .core.drafts import DraftError
from .core.evaluation import Evaluation, Outcome, Reason
from .core.filing import FilingStatus, calendar_version
from .core.formpack import FormPack, Question, RiskLabels, TableField
from .core.levels import DIMENSIONS
from .core.review import ReassessmentReason
from .core.risk import AppliedAdjustment, OverallRisk
from .core.text import Language
from .core.times import later_by
from .i18n import gettext_for, ngettext_for


def outcome_label(outcome: Outcome, language: Language) -> str:
    _ = gettext_for(language)
    return {
        "incomplete": _("Incomplete: no conclusion yet"),
        "may_proceed": _("May proceed"),
        "proceed_with_conditions": _("Proceed with conditions"),
        "must_not_proceed": _("Must not proceed"),
    }[outcome]


def unanswered_text(outcome: Outcome, n: int, language: Language) -> str:
    """What open required questions mean for the verdict: no conclusion yet, or one that can change."""
    n_ = ngettext_for(language)
    if outcome == "incomplete":
        message = n_("Incomplete: %(n)d required question is unanswered or has an unusable answer; there is no conclusion until it is answered.",
                     "Incomplete: %(n)d required questions are unanswered or have unusable answers; there is no conclusion until they are answered.", n)
    else:
        message = n_("Provisional: %(n)d required question is unanswered or has an unusable answer; the verdict can change.",
                     "Provisional: %(n)d required questions are unanswered or have unusable answers; the verdict can change.", n)
    return message % {"n": n}


def first_step_texts(evaluation: Evaluation, pack: FormPack, language: Language) -> list[str]:
    """Under "must not proceed": what to do first (stop, delete, notify), from the pack, in order."""
    steps = {step.id: step for step in pack.first_steps}
    return [steps[i].text.get(language) for i in evaluation.verdict.first_steps if i in steps]


def verdict_headings(outcome: Outcome, language: Language) -> dict[str, str]:
    """Headings of the verdict's lists: a deployment that must stop has no "conditions to proceed"."""
    _ = gettext_for(language)
    stopping = outcome == "must_not_proceed"
    return {
        "first_steps": _("What to do first"),
        "reasons": _("Why it must not proceed"),
        "conditions": _("Also outstanding") if stopping else _("Conditions"),
    }


def overall_risk_text(overall: OverallRisk, labels: RiskLabels, language: Language) -> str:
    """One overall level first ("Overall risk: High."), then why; the same words on screen, in the CLI and in the report."""
    _ = gettext_for(language)
    if overall.level is None:
        return _("No risk scenario applies to the answers so far.")

    def level(value: str) -> str:
        return labels.risk_levels[value].get(language)  # type: ignore[index]

    sentences = [_("Overall risk: %(level)s.") % {"level": level(overall.level)}]
    if overall.raised_by_findings and overall.residual is None:
        sentences.append(_("No risk scenario applies yet; open high or blocking findings set it at %(level)s.") % {"level": level(overall.level)})
    elif overall.raised_by_findings:
        sentences.append(_("The scenarios' highest residual risk is %(residual)s (inherent %(inherent)s); open high or blocking findings raise it to %(level)s.") % {
            "residual": level(overall.residual), "inherent": level(overall.inherent), "level": level(overall.level)})  # type: ignore[arg-type]
    else:
        sentences.append(_("It is the scenarios' highest residual risk (inherent %(inherent)s).") % {"inherent": level(overall.inherent)})  # type: ignore[arg-type]
    if overall.unlawful:
        sentences.append(_("Open blocking findings make the processing unlawful whatever the matrix says."))
    if overall.treatment is not None:
        sentences.append(_("Treatment: %(treatment)s") % {"treatment": labels.treatments[overall.treatment].get(language)})
    # Chinese sentences follow each other without a space.
    return ("" if language == "zh-Hans" else " ").join(sentences)


def instrument_kind_label(kind: str, language: Language) -> str:
    """What kind of instrument a source is, as a Chinese legal reader classifies it (catalog 2026.2)."""
    _ = gettext_for(language)
    return {
        "law": _("law"),
        "administrative_regulation": _("administrative regulation"),
        "departmental_rule": _("departmental rule"),
        "judicial_interpretation": _("judicial interpretation"),
        "recommended_standard": _("recommended national standard"),
        "regulator_announcement": _("normative document"),
        "draft_for_comment": _("draft for comment"),
    }[kind]


def severity_label(severity: str, language: Language) -> str:
    _ = gettext_for(language)
    return {"blocking": _("Blocking"), "high": _("High"), "advisory": _("Advisory")}[severity]


def severity_heading(severity: str, language: Language) -> str:
    """A severity with what it means for the processor, for the report's headings (the catalog's convention)."""
    _ = gettext_for(language)
    return {"blocking": _("Blocking (must be fixed before processing)"),
            "high": _("High (must be fixed by a set date)"),
            "advisory": _("Advisory (recommended improvement)")}[severity]


def yes_no_labels(language: Language) -> dict[str, str]:
    _ = gettext_for(language)
    return {"yes": _("Yes"), "no": _("No"), "unknown": _("Don't know")}


def answer_value_text(spec: Question | TableField, value: Any, language: Language) -> str:
    """A typed answer in words (option labels, "Yes", "1,000 people"): the wizard and the report alike."""
    kind = spec.type
    if kind == "yes_no":
        return yes_no_labels(language)[value]
    if kind == "single_choice":
        option = spec.option(value)
        return option.label.get(language) if option else str(value)
    if kind == "multi_choice":
        if not value:
            return "—"
        # In the pack's order: a set has none of its own (it changes from run to run), and the
        # same answer must read the same on screen and in every report made of it.
        labels = [option.label.get(language) for option in spec.options or [] if option.id in value]
        labels += sorted(str(v) for v in value if spec.option(v) is None)
        return item_separator(language).join(labels)
    if kind == "integer":
        return f"{value:,}" if spec.unit is None else f"{value:,} {spec.unit.get(language)}"
    if kind == "date":
        return value.isoformat()
    return str(value)


_TYPED_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_typed_date(text: str) -> dt.date | None:
    """A date as people type it: 2026-12-02, 2026/12/2, 2026.12.2 or 2026年12月2日; None if it is not one.

    Only year-first forms are read: "12/2/2026" means 12 February in China and 2 December in the US,
    so a guess would silently record the wrong day.
    """
    match = _TYPED_DATE.match(text)
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def action_status_labels(language: Language) -> dict[str, str]:
    _ = gettext_for(language)
    return {"planned": _("Planned"), "in_progress": _("In progress"), "done": _("Done"), "cancelled": _("Cancelled")}


def action_effect_labels(language: Language) -> dict[str, str]:
    _ = gettext_for(language)
    return {"none": _("None"), "lowers_likelihood": _("Lowers likelihood"), "lowers_impact": _("Lowers impact")}


def signoff_role_labels(language: Language) -> dict[str, str]:
    _ = gettext_for(language)
    return {"assessor": _("Assessor"), "dpo": _("DPO"), "approver": _("Approver")}


def decision_labels(language: Language) -> dict[str, str]:
    _ = gettext_for(language)
    return {"proceed": _("Proceed"), "proceed_with_conditions": _("Proceed with conditions"), "do_not_proceed": _("Do not proceed")}


def question_label(pack: FormPack, question_id: str, language: Language) -> str:
    """'Section › question text' for a question id, or the id itself if the pack lacks it."""
    if question_id not in pack.questions:
        return question_id
    question = pack.question(question_id)
    return f"{pack.section_of(question_id).title.get(language)} › {question.text.get(language)}"


def findings_source_notes(evaluation: Evaluation, catalog: Catalog, language: Language) -> list[str]:
    """What the small signs after the findings' citations mean (†, ‡), each once."""
    return [caveat.note(language) for caveat in catalog.caveat_notes(c.ref for f in evaluation.findings for c in f.citations)]


def table_disagreement_text(pack: FormPack, question: Question, value: Any, language: Language) -> str:
    """The question's answer differs from what its table says: say what the table says, and where."""
    _ = gettext_for(language)
    assert question.from_table is not None
    typed = frozenset(value) if isinstance(value, list) else value
    return _("%(place)s gives: %(value)s. Use that, or keep your answer if the table is incomplete.") % {
        "place": question_label(pack, question.from_table.question, language),
        "value": answer_value_text(question, typed, language),
    }


# Reasons about findings and risks name them by title, never by id; the ids stay available (as
# reason_items) for links and for the small secondary text of those who cite them.
_ITEMISED = {
    "blocking_findings": "finding",
    "high_findings_planned": "finding",
    "legal_questions": "finding",
    "high_findings_without_dated_action": "finding",
    "unacceptable_residual_risks": "risk",
    "risks_to_fix_within_deadline": "risk",
}


@dataclass(frozen=True, slots=True)
class ReasonItem:
    kind: str  # "finding" or "risk"
    id: str
    title: str


def reason_items(reason: Reason, evaluation: Evaluation, language: Language) -> list[ReasonItem]:
    """The findings or risks a reason is about, by title, in the verdict's order."""
    kind = _ITEMISED.get(reason.code)
    if kind is None:
        return []
    source = evaluation.findings if kind == "finding" else evaluation.risks
    titles = {(item.rule_id if kind == "finding" else item.risk_id): item.title.get(language) for item in source}  # type: ignore[union-attr]
    return [ReasonItem(kind, i, titles.get(i, i)) for i in reason.ids]


def reason_headline(reason: Reason, evaluation: Evaluation, pack: FormPack, language: Language) -> str:
    """The reason without the list of what it is about (which reason_items gives)."""
    if reason.code not in _ITEMISED:
        return reason_text(reason, evaluation, pack, language)
    n_ = ngettext_for(language)
    count = len(reason.ids)
    texts = {
        "blocking_findings": n_("%(n)d blocking finding is open: the processing would be unlawful until it is fixed",
                                "%(n)d blocking findings are open: the processing would be unlawful until they are fixed", count),
        "unacceptable_residual_risks": n_("%(n)d risk stays unacceptable after the planned actions",
                                          "%(n)d risks stay unacceptable after the planned actions", count),
        "high_findings_planned": n_("%(n)d high item must be remedied by its planned, dated actions",
                                    "%(n)d high items must be remedied by their planned, dated actions", count),
        "legal_questions": n_("%(n)d legal-interpretation question must be settled by counsel",
                              "%(n)d legal-interpretation questions must be settled by counsel", count),
        "high_findings_without_dated_action": n_("%(n)d high item needs a remediation action with a due date",
                                                 "%(n)d high items need a remediation action with a due date", count),
        "risks_to_fix_within_deadline": n_("%(n)d risk must be reduced within a deadline",
                                           "%(n)d risks must be reduced within a deadline", count),
    }
    return texts[reason.code] % {"n": count}


def reason_text(reason: Reason, evaluation: Evaluation, pack: FormPack, language: Language) -> str:
    """One sentence per reason, naming what it is about in words (titles), for the CLI, JSON and report."""
    if reason.code in _ITEMISED:
        titles = list_separator(language).join(item.title for item in reason_items(reason, evaluation, language))
        return f"{reason_headline(reason, evaluation, pack, language)}{colon(language)}{titles}"
    _ = gettext_for(language)
    n_ = ngettext_for(language)
    count = len(reason.ids)
    ids = ", ".join(_readable_ids(reason, evaluation, language))
    texts = {
        "filing_overdue": _("%(ids)s: overdue"),
        "filing_required": _("%(ids)s: required"),
        "reassessment_required": _("the assessment must be redone now (%(ids)s)"),
        "approval_departs_from_dpo_without_reason": _("an approver decided more permissively than the DPO advised without recording why (%(ids)s)"),
        "approval_more_permissive_than_verdict": _("an approval is more permissive than the assessment's verdict (%(ids)s)"),
        "final_without_approval": _("the assessment is marked final but has no approver sign-off"),
        "final_while_incomplete": n_("the assessment is marked final but %(n)d required question is unanswered",
                                     "the assessment is marked final but %(n)d required questions are unanswered", count),
    }
    if reason.code == "filing_overdue" and evaluation.verdict.outcome == "must_not_proceed":
        # Not a condition to fulfil before going on: a duty owed for what is already stored.
        texts["filing_overdue"] = _("%(ids)s: overdue; the duty stands for as long as the facial information is kept")
    template = texts.get(reason.code)
    if template is None:
        return f"{reason.code} ({ids})"
    return template % {"n": count, "ids": ids}


def _readable_ids(reason: Reason, evaluation: Evaluation, language: Language) -> list[str]:
    """Duties and reassessment triggers are named; sign-off problems name the sign-offs."""
    if reason.code in ("filing_required", "filing_overdue"):
        titles = {f.duty_id: f.title.get(language) for f in evaluation.filing}
        return [titles.get(i, i) for i in reason.ids]
    if reason.code == "reassessment_required":
        reasons = {t.trigger_id: reassessment_text(t, None, language) for t in evaluation.review.reassess_now}
        return [reasons.get(i, i) for i in reason.ids]
    return list(reason.ids)


def draft_error_text(error: DraftError, language: Language) -> str:
    """A draft that cannot be opened or saved, said in the user's language: the file, then what is wrong."""
    return f"{error.path}{colon(language)}{draft_error_message(error, language)}"


def draft_error_message(error: DraftError, language: Language) -> str:
    """What is wrong with a draft, in the user's language, without naming the file (a list of files
    shows the name already)."""
    message = gettext_for(language)(error.message)
    return message % error.params if error.params else message


def colon(language: Language) -> str:
    return "：" if language == "zh-Hans" else ": "


def item_separator(language: Language) -> str:
    """Between short items of one list (the Chinese enumeration comma 、)."""
    return "、" if language == "zh-Hans" else ", "


def list_separator(language: Language) -> str:
    return "；" if language == "zh-Hans" else "; "


def answer_problem_text(problem: AnswerProblem, pack: FormPack, language: Language) -> str:
    """What is wrong with an answer, and where (question, row and column)."""
    _ = gettext_for(language)
    message = answer_problem_message(problem, language)
    place = question_label(pack, problem.question_id, language)
    if problem.row is not None:
        column = problem.field_id or ""
        question = pack.questions.get(problem.question_id)
        table_field = question.field(column) if question is not None and problem.field_id else None
        if table_field is not None:
            column = table_field.label.get(language)
        place += " › " + (_("row %(row)d, %(column)s") % {"row": problem.row, "column": column})
    return f"{place}{colon(language)}{message}"


def answer_problem_message(problem: AnswerProblem, language: Language) -> str:
    """What is wrong with an answer, said next to the field itself (the row form)."""
    _ = gettext_for(language)
    texts = {
        "not_yes_no": _("the saved answer %(detail)s is not yes, no or unknown"),
        "not_an_option": _("the saved choice %(detail)s is not an option of this question (any more)"),
        "not_a_list_of_options": _("the saved answer %(detail)s is not a list of choices"),
        "not_text": _("the saved answer %(detail)s is not text"),
        "too_long": _("the text is too long (%(detail)s characters)"),
        "not_a_whole_number": _("the saved answer %(detail)s is not a whole number"),
        "out_of_range": _("the number %(detail)s is outside the allowed range"),
        "not_a_date": _("the saved answer %(detail)s is not a date (YYYY-MM-DD)"),
        "implausible_date": _("the date %(detail)s is not plausible"),
        "not_a_table": _("the saved answer %(detail)s is not a table"),
        "row_field_required": _("this column must be filled in"),
    }
    return texts.get(problem.code, problem.code) % {"detail": problem.detail}


def _question_text(pack: FormPack | None, question_id: str, language: Language) -> str:
    if pack is None or question_id not in pack.questions:
        return question_id
    return pack.question(question_id).text.get(language)


def filing_text(status: FilingStatus, language: Language, today: dt.date, pack: FormPack | None = None) -> str:
    """One sentence on a filing duty: whether it applies and by when, or why no date can be given."""
    _ = gettext_for(language)
    title = status.title.get(language)
    authority = status.authority.get(language)
    if status.state == "not_required":
        return _("%(title)s: not required") % {"title": title}
    if status.state == "undetermined":
        return _("%(title)s: cannot be determined until these are answered: %(questions)s") % {
            "title": title, "questions": list_separator(language).join(_question_text(pack, q, language) for q in status.pending_questions)}
    if status.state == "done":
        return _("%(title)s: filed") % {"title": title}
    if status.deadline is None:
        if status.deadline_problem == "start_date_missing":
            detail = _("enter the date: %(label)s") % {"label": status.start_label.get(language)}
        elif status.deadline_problem and status.deadline_problem.startswith("calendar_unknown:"):
            year = status.deadline_problem.split(":", 1)[1]
            detail = _("the official working-day calendar for %(year)s is not yet known to this app (chinesecalendar %(version)s); count %(days)d working days by hand from %(start)s using the State Council's holiday notice") % {
                "year": year, "version": calendar_version(), "days": status.working_days, "start": status.start_date}
        else:
            detail = _("no deadline could be computed")
        prefix = _("%(title)s: expected") if status.state == "expected" else _("%(title)s: required")
        return (prefix % {"title": title}) + " — " + _("with %(authority)s") % {"authority": authority} + "; " + detail
    if status.deadline_basis == "transition":
        basis = status.transition_note.get(language) if status.transition_note else ""
    else:
        basis = _("%(days)d PRC working days from %(start)s") % {"days": status.working_days, "start": status.start_date}
    prefix = _("%(title)s: expected") if status.state == "expected" else _("%(title)s: required")
    text = (prefix % {"title": title}) + " — " + _("file with %(authority)s by %(deadline)s (%(basis)s)") % {
        "authority": authority, "deadline": status.deadline, "basis": basis}
    if status.overdue:
        text += " — " + _("OVERDUE by %(days)d days") % {"days": (today - status.deadline).days}
    return text


def adjustment_text(step: AppliedAdjustment, labels: RiskLabels, language: Language) -> str:
    """'Likelihood (processing procedures): high → very high: reason [MINORS-NO-GUARDIAN]'."""
    _ = gettext_for(language)
    kind, _sep, detail = step.target.partition(":")
    if kind == "impact":
        dimensions = detail.split(",")
        if len(dimensions) == len(DIMENSIONS):
            named = _("all dimensions")
        else:
            named = item_separator(language).join(labels.dimensions[d].get(language) for d in dimensions)  # type: ignore[index]
        subject = _("Impact (%(dimensions)s)") % {"dimensions": named}
        scale = labels.impact_levels
    else:
        subject = _("Likelihood (%(area)s)") % {"area": labels.areas[detail].get(language)} if detail else _("Likelihood")  # type: ignore[index]
        scale = labels.likelihood_levels
    if step.before and step.after:
        movement = f"{scale[step.before].get(language)} → {scale[step.after].get(language)}"  # type: ignore[index]
    else:
        movement = _("raised one level") if step.change == "+1" else _("lowered one level")
    if step.kind == "override":
        source = f" ({_('reviewer override')})"
    elif step.kind == "action":
        source = f" ({_('planned action %(id)s') % {'id': step.id}})"
    else:
        source = ""
    text = f"{subject}{colon(language)}{movement}{source}{colon(language)}{step.reason.get(language)}"
    # The pack's adjustment id is for those who cite it: after the reason, never instead of it.
    return text if step.kind in ("override", "action") else f"{text} [{step.id}]"


def acceptance_text(evaluation: Evaluation, labels: RiskLabels, language: Language) -> str:
    _ = gettext_for(language)
    return list_separator(language).join(
        _("%(level)s: %(treatment)s") % {"level": labels.risk_levels[level].get(language), "treatment": labels.treatments[treatment].get(language)}
        for level, treatment in evaluation.acceptance_policy.items()
    )


def approval_blocker_text(code: str, details: tuple[str, ...], pack: FormPack, language: Language) -> str:
    """Why the assessment cannot be approved now (core.versions.approval_blocker), in words."""
    _ = gettext_for(language)
    if code == "incomplete":
        return _("Required questions are unanswered or their answers cannot be used: %(questions)s") % {
            "questions": list_separator(language).join(_question_text(pack, q, language) for q in details)}
    if code == "no_approver":
        return _("The approver has not signed off yet: add the approver's sign-off on the Sign-off step first.")
    return _("Nothing has changed since approved version %(number)s.") % {"number": details[0] if details else "?"}


def reassessment_text(trigger: ReassessmentReason, pack: FormPack | None, language: Language) -> str:
    """Why the assessment must be redone now; when the app found the change itself, which facts changed."""
    if not trigger.questions:
        return trigger.reason.get(language)
    _ = gettext_for(language)
    facts = item_separator(language).join(_fact_name(pack, q, language) for q in trigger.questions)
    return trigger.reason.get(language) + " " + _("Changed: %(facts)s.") % {"facts": facts}


def _fact_name(pack: FormPack | None, question_id: str, language: Language) -> str:
    if pack is None or question_id not in pack.questions:
        return question_id
    question = pack.question(question_id)
    return (question.label or question.text).get(language)


def reminders_text(evaluation: Evaluation, assessment: Assessment, language: Language, retention_years: int = 3) -> str:
    """What is due on an assessment, for the start screen: the review, overdue actions, a
    reassessment due now, and until when the last approved version must be kept."""
    _ = gettext_for(language)
    today = evaluation.evaluated_on
    review = evaluation.review
    parts = [_("Review overdue since %(date)s") % {"date": review.next_review} if review.overdue
             else _("Next review %(date)s") % {"date": review.next_review}]
    if review.reassess_now:
        parts.append(_("Reassess now"))
    overdue = sum(1 for a in assessment.actions if a.status in ("planned", "in_progress") and a.due is not None and a.due < today)
    if overdue:
        parts.append(ngettext_for(language)("%(n)d action overdue", "%(n)d actions overdue", overdue) % {"n": overdue})
    if assessment.approved_versions:
        last = assessment.approved_versions[-1]
        parts.append(_("Approved version %(number)s, keep until %(date)s") % {
            "number": last.number, "date": later_by(last.approved_on, years=retention_years)})
    return " · ".join(parts)
