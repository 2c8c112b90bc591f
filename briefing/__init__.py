"""briefing: news articles in, grounded policy briefings out (Markdown, HTML, JSON)."""

__version__ = "0.1.0"
