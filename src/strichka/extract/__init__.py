"""Bytes → Article: one reader per input form, chosen by content (see `document`)."""
