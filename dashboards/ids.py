"""Component ids shared between layouts, callbacks and tests: one constant per id, and one
function per kind of id made from a record's code."""

NAVBAR = "navbar"
FOOTER = "footer"

# Home page
RESULTS_LIST = "results-list"
EMPTY_STATE = "empty-state"

# Indicator page
INDICATOR_NAME = "indicator-name"
SERIES_DROPDOWN = "series-dropdown"
CURVE_GRAPH = "curve-graph"
CURVE_TABLE_REGION = "curve-table-region"
CURVE_TABLE = "curve-table"
CURVE_ROWS = "curve-rows"
CURVE_META = "curve-meta"
STORY = "story-behind-the-curve"
NOT_FOUND = "not-found"

# Navbar: who is signed in
SIGN_IN_LINK = "sign-in-link"
SIGNED_IN_AS = "signed-in-as"
SIGN_OUT = "sign-out"

# Sign-in page
LOGIN_FORM = "login-form"
LOGIN_EMAIL = "login-email"
LOGIN_PASSWORD = "login-password"
LOGIN_SUBMIT = "login-submit"
LOGIN_ERROR = "login-error"

# Upload page
UPLOAD_FILE = "upload-file"
UPLOAD_CHECKED = "upload-checked"
UPLOAD_RESULT = "upload-result"
UPLOAD_SUMMARY = "upload-summary"
UPLOAD_CHANGES = "upload-changes"
UPLOAD_PROBLEMS = "upload-problems"
UPLOAD_COMMIT = "upload-commit"
UPLOAD_COMMITTED = "upload-committed"
TEMPLATE_PERIOD = "template-period"
TEMPLATE_TEAM = "template-team"
TEMPLATE_BUTTON = "template-button"
TEMPLATE_DOWNLOAD = "template-download"
TEMPLATE_MESSAGE = "template-message"

# Entry grid page
ENTRY_PERIOD = "entry-period"
ENTRY_PERIODS = "entry-periods"
ENTRY_TEAM = "entry-team"
ENTRY_PROGRAM = "entry-program"
ENTRY_LOAD = "entry-load"
ENTRY_GRID = "entry-grid"
ENTRY_LOADED = "entry-loaded"
ENTRY_STATUS = "entry-status"
ENTRY_LOCKS = "entry-locks"
ENTRY_SAVE = "entry-save"
ENTRY_SAVED = "entry-saved"

# Targets page
TARGETS_INDICATOR = "targets-indicator"
TARGETS_GROUP = "targets-group"
TARGETS_PERIOD = "targets-period"
TARGETS_PERIOD_HINT = "targets-period-hint"
TARGETS_CONTEXT = "targets-context"
TARGETS_CONTEXT_LATEST = "targets-context-latest"
TARGETS_CONTEXT_FORECAST = "targets-context-forecast"
TARGETS_CONTEXT_TARGETS = "targets-context-targets"
TARGETS_VALUE = "targets-value"
TARGETS_RATIONALE = "targets-rationale"
TARGETS_PROPOSE = "targets-propose"
TARGETS_PROPOSED = "targets-proposed"
TARGETS_MINE = "targets-mine"
TARGETS_REVIEW = "targets-review"
TARGETS_PENDING = "targets-pending"
TARGETS_CHOICE = "targets-choice"
TARGETS_DECISION = "targets-decision"
TARGETS_REASON = "targets-reason"
TARGETS_DECIDE = "targets-decide"
TARGETS_DECIDED = "targets-decided"
TARGETS_RECENT = "targets-recent"

# History pages
HISTORY_TABLE = "history-table"
BATCH_TABLE = "batch-table"
BATCH_LIST = "batch-list"

# Shell
LANGUAGE_SWITCH = "language-switch"
TEAMS_MENU = "teams-menu"
NAV_TOGGLER = "nav-toggler"
NAV_COLLAPSE = "nav-collapse"

# Scorecard
SCORECARD = "scorecard"
FILTER_CITY = "filter-city"
FILTER_GROUP = "filter-group"
IMPACT_OVERALL = "impact-overall"
OVERDUE = "overdue"
SCORECARD_LANG = "scorecard-lang"
#: The scorecard's link to the latest annual report card.
REPORT_CARD_LINK = "report-card-link"

# Result page
RESULT_NAME = "result-name"
RESULT_VERDICTS = "result-verdicts"
RESULT_TEAM = "result-team"
RESULT_PROGRAMS = "result-programs"

# Indicator page: downloads
CURVE_DOWNLOAD_CSV = "curve-download-csv"
CURVE_DOWNLOAD_XLSX = "curve-download-xlsx"
CURVE_DOWNLOAD_PNG = "curve-download-png"
CURVE_DOWNLOAD_SVG = "curve-download-svg"
CURVE_DOWNLOAD = "curve-download"
CURVE_CHART_SAVED = "curve-chart-saved"

# Indicator page: the turn-the-curve record
STORY_EDITOR = "story-editor"
STORY_STATUS = "story-status"
STORY_PUBLISH = "story-publish"
STORY_DRAFT_BADGE = "story-draft-badge"
TEAM_STORY_LINK = "team-story-link"
STORY_SAVE = "story-save"
STORY_SAVED = "story-saved"
STORY_HISTORY = "story-history"
STORY_CODE = "story-code"

# Indicator page: the forecast shown
CURVE_METHOD = "curve-method"
CURVE_LEVEL = "curve-level"
CURVE_NOTES = "curve-notes"

# Scorecard: a sparkline's figures (pattern-matching ids)
SPARKLINE_FIGURES = "sparkline-figures"
SPARKLINE_FIGURES_OPEN = "sparkline-figures-open"

# Scorecard: what is overdue
OVERDUE_MORE = "overdue-more"
OVERDUE_REST = "overdue-rest"

# Equity page
EQUITY_PAGE = "equity-page"
EQUITY_EMPTY = "equity-empty"
EQUITY_RESULT = "equity-result"
EQUITY_LOCATION = "equity-location"
EQUITY_BODY = "equity-body"
EQUITY_UNKNOWN = "equity-unknown"
EQUITY_WITHHELD = "equity-withheld"
EQUITY_PAGER = "equity-pager"

# Indicator page: groups and status
CURVE_ALL_GROUPS = "curve-all-groups"
CURVE_STATUS = "curve-status"
CURVE_SMALL_MULTIPLES = "curve-small-multiples"
CURVE_MULTIPLES_LEGEND = "curve-multiples-legend"
INDICATOR_LATEST = "indicator-latest"

# Result team page
TEAM_PAGE = "team-page"
TEAM_NOT_FOUND = "team-not-found"
TEAM_WITHHELD = "team-withheld"
TEAM_REVISIONS = "team-revisions"
TEAM_GROUP_PICKER = "team-group-picker"
TEAM_GROUP_SHOWN = "team-group-shown"

# Alignment page
ALIGNMENT_PAGE = "alignment-page"
ALIGNMENT_MATRIX = "alignment-matrix"
ALIGNMENT_RESULT_GAPS = "alignment-result-gaps"
ALIGNMENT_INDICATOR_GAPS = "alignment-indicator-gaps"
ALIGNMENT_DUPLICATIONS = "alignment-duplications"
ALIGNMENT_FUNDING = "alignment-funding"

# Page shell and access
MAIN = "main"
SIGN_IN_NEEDED = "sign-in-needed"
ACCESS_REFUSED = "access-refused"

# Results of writes a test or a screen reader looks for
STORY_AREA = "story-area"
FILTER_SUMMARY = "filter-summary"
TARGETS_MINE_TABLE = "targets-mine-table"
PROPOSAL_MADE = "proposal-made"
TARGET_BATCH = "target-batch"
DECISION_MADE = "decision-made"
CURVE_FILENAME = "curve-filename"
#: The lines a downloaded chart carries under its title (source, "as of", partnership).
CURVE_CREDIT = "curve-credit"
CURVE_SINGLE = "curve-single"
COMMITTED_BATCH = "committed-batch"
COMMIT_SUCCESS = "commit-success"
SAVED_BATCH = "saved-batch"
SAVE_CONFLICTS = "save-conflicts"
SAVE_RESULT = "save-result"

# Batch page: undo with a preview, then a confirmation (dashboards/pages/batch.py).
UNDO_BATCH = "undo-batch"
UNDO_BUTTON = "undo-button"
UNDO_PREVIEW = "undo-preview"
UNDO_CHECKED = "undo-checked"
UNDO_CONFIRM = "undo-confirm"
UNDO_DONE = "undo-done"
UNDO_NEW_BATCH = "undo-new-batch"
UNDO_BLOCKED = "undo-blocked"
# Locks page: lock a period, unlock one with a reason (dashboards/pages/locks.py).
LOCK_PERIOD = "lock-period"
LOCK_SCOPE = "lock-scope"
LOCK_INDICATOR = "lock-indicator"
LOCK_TEAM = "lock-team"
LOCK_BUTTON = "lock-button"
LOCK_RESULT = "lock-result"
LOCK_TABLE = "lock-table"
UNLOCK_CHOICE = "unlock-choice"
UNLOCK_REASON = "unlock-reason"
UNLOCK_BUTTON = "unlock-button"
UNLOCK_RESULT = "unlock-result"


# Shareable views: the hidden targets of the callbacks that keep a page's choices in its
# address (dashboards.components.shared_views)
INDICATOR_ADDRESS = "indicator-address"
SCORECARD_ADDRESS = "scorecard-address"

# Ids made from a record's code, one per record on a page.
def language_link(code: str) -> str:
    """The language switch's link to a language ("lang-es")."""
    return f"lang-{code}"


def definition_text(term_id: str) -> str:
    """The hidden text of a definition button, which the button describes itself by."""
    return f"{term_id}-text"


def indicator_row(code: str) -> str:
    """An indicator's row on the scorecard and result pages."""
    return f"row-{code}"


def impact_score(subject: str) -> str:
    """A result's (or the overall) impact score on the scorecard."""
    return f"impact-{subject}"


def result_card(code: str) -> str:
    """A result's card on the scorecard."""
    return f"result-{code}"


def result_section(kind: str) -> str:
    """A result page's section of one kind of indicator (headline, secondary, development)."""
    return f"section-{kind}"


def equity_indicator(code: str) -> str:
    """An indicator's block on the equity page."""
    return f"equity-{code}"


def indicator_definition(code: str) -> str:
    """The definition button beside an indicator's name."""
    return f"def-{code}"


def impact_definition(subject: str) -> str:
    """The definition button beside an impact score."""
    return f"impact-def-{subject}"


def story_field(field: str) -> str:
    """The story editor's input of one field (story_behind_the_curve_es -> ...-es)."""
    return f"story-field-{field.replace('_', '-')}"


def equity_group_set(code: str, group_set: str) -> str:
    """One kind of group (cities, student groups...) of an indicator on the equity page."""
    return f"equity-{code}-by-{group_set.replace(',', '-')}"


# -- agreeing a baseline on the indicator page (coordinators and admins) ---------------------
BASELINE_AGREEMENT = "baseline-agreement"
BASELINE_CODE = "baseline-code"
BASELINE_THROUGH = "baseline-through"
BASELINE_NOTE = "baseline-note"
BASELINE_COMPARE = "baseline-compare"
BASELINE_CANDIDATES = "baseline-candidates"
BASELINE_FREEZE = "baseline-freeze"
BASELINE_RESULT = "baseline-result"


def team_filter(dimension: str) -> str:
    """A team page's group picker for one dimension (city, student_group)."""
    return f"team-filter-{dimension}"
