"""Component ids shared between layouts, callbacks and tests: one constant per id."""

NAVBAR = "navbar"
FOOTER = "footer"

# Home page
RESULTS_LIST = "results-list"
EMPTY_STATE = "empty-state"

# Indicator page
INDICATOR_NAME = "indicator-name"
SERIES_DROPDOWN = "series-dropdown"
CURVE_GRAPH = "curve-graph"
CURVE_TABLE = "curve-table"
CURVE_ROWS = "curve-rows"
CURVE_META = "curve-meta"
STORY = "story-behind-the-curve"
NOT_FOUND = "not-found"
