"""The start screen: new assessment, open a draft, recent drafts, new from a template or earlier draft."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.pack_headers import PackHeader
from ..core.recent_drafts import RecentDraft
from .language import _, current


class StartScreen(QWidget):
    new_requested = Signal(str)  # pack id
    open_requested = Signal()
    open_path_requested = Signal(object)  # Path
    new_from_requested = Signal()
    portfolio_requested = Signal()
    language_requested = Signal(str)
    about_requested = Signal()

    def __init__(self, packs: list[PackHeader], recent: list[RecentDraft]):
        super().__init__()
        self.setObjectName("start_screen")
        self.setWindowTitle(_("Facial recognition impact assessment"))
        language = current()
        layout = QVBoxLayout(self)
        heading = QLabel(_("Personal-information protection impact assessment for facial recognition"))
        heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        heading.setWordWrap(True)
        layout.addWidget(heading)

        new_box = QGroupBox(_("Start"))
        new_layout = QHBoxLayout(new_box)
        self.pack_choice = QComboBox()
        self.pack_choice.setObjectName("pack_choice")
        self.pack_choice.setAccessibleName(_("Form pack"))
        for header in packs:
            self.pack_choice.addItem(f"{header.title(language)} ({header.version})", header.id)
        self.new_button = QPushButton(_("&New assessment"))
        self.new_button.setObjectName("start_new")
        self.new_button.setDefault(True)
        self.new_button.clicked.connect(lambda: self.new_requested.emit(self.pack_choice.currentData()))
        self.open_button = QPushButton(_("&Open draft…"))
        self.open_button.setObjectName("start_open")
        self.open_button.clicked.connect(self.open_requested.emit)
        self.from_button = QPushButton(_("New from &template or draft…"))
        self.from_button.setObjectName("start_new_from")
        self.from_button.clicked.connect(self.new_from_requested.emit)
        self.portfolio_button = QPushButton(_("&Portfolio…"))
        self.portfolio_button.setObjectName("start_portfolio")
        self.portfolio_button.setToolTip(_("Every assessment under a folder (a shared drive, many sites) at a glance"))
        self.portfolio_button.clicked.connect(self.portfolio_requested.emit)
        new_layout.addWidget(self.pack_choice, 1)
        for button in (self.new_button, self.open_button, self.from_button):
            new_layout.addWidget(button)
        layout.addWidget(new_box)

        recent_label = QLabel(_("&Recent drafts"))
        layout.addWidget(recent_label)
        self.recent = QListWidget()
        self.recent.setObjectName("recent")
        self.recent.setAccessibleName(_("Recent drafts"))
        # Each draft is its own block: a rule between entries, room inside, colours from the palette.
        self.recent.setStyleSheet("QListWidget::item { border-bottom: 1px solid palette(mid); padding: 6px 4px; }")
        recent_label.setBuddy(self.recent)
        for entry in recent:
            self.recent.addItem(self._recent_item(entry))
        if not recent:
            self.recent.addItem(QListWidgetItem(_("No recent drafts yet.")))
        self.recent.itemActivated.connect(self._recent_activated)
        layout.addWidget(self.recent, 1)

        language_row = QHBoxLayout()
        # The start screen has no menu bar, so About is a button here.
        self.about_button = QPushButton(_("&About DPIA"))
        self.about_button.setObjectName("start_about")
        self.about_button.clicked.connect(self.about_requested.emit)
        language_row.addWidget(self.about_button)
        language_row.addWidget(self.portfolio_button)
        language_row.addStretch(1)
        self.language_choice = QComboBox()
        self.language_choice.setObjectName("language_choice")
        self.language_choice.setAccessibleName(_("Interface language"))
        self.language_choice.addItem("English", "en")
        self.language_choice.addItem("简体中文", "zh-Hans")
        self.language_choice.setCurrentIndex(self.language_choice.findData(language))
        self.language_choice.currentIndexChanged.connect(lambda _i: self.language_requested.emit(self.language_choice.currentData()))
        language_label = QLabel(_("&Language"))
        language_label.setBuddy(self.language_choice)
        language_row.addWidget(language_label)
        language_row.addWidget(self.language_choice)
        layout.addLayout(language_row)

    def _recent_item(self, entry: RecentDraft) -> QListWidgetItem:
        if entry.problem:
            cannot = _("Cannot be opened: %(problem)s") % {"problem": entry.problem}
            text = f"{entry.title}\n{cannot}"
        else:
            # The same lines in every language: what, whose and its verdict, what is due, when and where.
            organisation = entry.organisation or _("(no organisation given)")
            verdict = entry.verdict or _("(form pack not available)")
            changed = _("Changed %(when)s") % {"when": entry.modified}
            due = f"\n{entry.reminders}" if entry.reminders else ""
            text = f"{entry.title}\n{organisation} · {verdict}{due}\n{changed} · {entry.path}"
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, str(entry.path))
        item.setToolTip(str(entry.path))
        if entry.problem:
            item.setForeground(self.palette().placeholderText())
        return item

    def _recent_activated(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            self.open_path_requested.emit(Path(path))
