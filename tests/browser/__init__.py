"""Tests in a real browser (headless Chromium); a package so its conftest stays its own."""
