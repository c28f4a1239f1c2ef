"""The workbook format: one sheet per kind of record, read and written by import and export."""
