"""The assessment's details: title, organisation, system, site, assessors, DPO, date and status."""

from __future__ import annotations

import re

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..core.answers import LATEST_PLAUSIBLE_DATE
from .follow import follow_evaluations
from .language import _
from .session import AssessmentSession

_NO_DATE = QDate(1900, 1, 1)


class DetailsPage(QWidget):
    def __init__(self, session: AssessmentSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        meta = session.assessment.metadata
        layout = QVBoxLayout(self)
        intro = QLabel(_("Who carries out this assessment, for which system and site. These details appear on the report's cover."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        layout.addLayout(form)
        layout.addStretch(1)
        self.fields: dict[str, QLineEdit] = {}
        for name, label in (("title", _("&Title")), ("organisation", _("&Organisation")), ("system", _("S&ystem")),
                            ("site", _("S&ite")), ("dpo", _("&DPO / PI protection officer"))):
            line = QLineEdit(getattr(meta, name))
            line.setObjectName(f"meta.{name}")
            line.setAccessibleName(label.replace("&", ""))
            line.textEdited.connect(lambda text, name=name: self.session.update_metadata(**{name: text}))
            form.addRow(label, line)
            self.fields[name] = line
        self.assessors = QLineEdit("; ".join(meta.assessors))
        self.assessors.setObjectName("meta.assessors")
        self.assessors.setAccessibleName(_("Assessors"))
        self.assessors.setPlaceholderText(_("Names separated by semicolons or commas"))
        self.assessors.textEdited.connect(self._assessors_edited)
        form.addRow(_("&Assessors"), self.assessors)
        self.date = QDateEdit()
        self.date.setObjectName("meta.assessment_date")
        self.date.setAccessibleName(_("Assessment date"))
        self.date.setCalendarPopup(True)
        self.date.setMinimumDate(_NO_DATE)
        self.date.setMaximumDate(QDate(LATEST_PLAUSIBLE_DATE))  # not Qt's 9999-12-31: no review counts from there
        self.date.setSpecialValueText("—")
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setDate(QDate(meta.assessment_date) if meta.assessment_date else _NO_DATE)
        self.date.dateChanged.connect(self._date_changed)
        form.addRow(_("Assessment dat&e"), self.date)
        self.status = QComboBox()
        self.status.setObjectName("meta.status")
        self.status.setAccessibleName(_("Status"))
        self.status.addItem(_("Draft"), "draft")
        self.status.addItem(_("Final"), "final")
        self.status.setCurrentIndex(self.status.findData(meta.status))
        self.status.currentIndexChanged.connect(lambda _i: self.session.update_metadata(status=self.status.currentData()))
        form.addRow(_("&Status"), self.status)
        follow_evaluations(self, session, self.follow_details)

    def follow_details(self, _evaluation: object = None) -> None:
        """Show details filled from a question that asks the same fact, except in the field being typed in."""
        meta = self.session.assessment.metadata
        for name, line in self.fields.items():
            value = getattr(meta, name)
            if line.text() != value and not line.hasFocus():
                line.setText(value)

    def _assessors_edited(self, text: str) -> None:
        # Chinese users separate names with "；" or "、", others with ";" or ",": all of them count.
        self.session.update_metadata(assessors=[name.strip() for name in re.split(r"[;；,，、]", text) if name.strip()])

    def _date_changed(self, value: QDate) -> None:
        self.session.update_metadata(assessment_date=None if value == _NO_DATE else value.toPython())
