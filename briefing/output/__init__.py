"""Output: templates, sandbox, sanitizing, rendering (Markdown, HTML, JSON, PDF), atomic files. Pure / [disk]"""
