"""Parts pages share, one module per thing drawn: the page shell (navbar, footer), badges,
tables, result colours, the scorecard's rows, the turn-the-curve chart, downloads, the
turn-the-curve record, the audit trail, import plans and the entry grid."""
