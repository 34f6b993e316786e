"""Report rendering: tables, figures and self-contained HTML pages."""
