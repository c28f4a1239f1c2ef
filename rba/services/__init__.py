"""Services: what the CLI, the dashboard, the API and the report card ask of rba.

One module per feature (the scorecard, an indicator's curves, a team's review, equity,
alignment, imports and undo, exports and templates, targets, people, locks, stories, the
audit trail, the sample). A service opens nothing itself: it takes a session (keyword-only,
``session=``), reads frames through rba.store, runs rba.calc, and returns what rba.report
builds (figures and words). The front ends call services and nothing below them, so they
cannot disagree; rba.services.database gives them their sessions.
"""
