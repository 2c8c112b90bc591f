"""The archive: every briefing and digest a run writes, kept in BRIEFING_HOME/archive.db (SQLite). [disk]

db.py          open_archive(): WAL, foreign keys, a busy timeout, migrations run forward on open
migrations.py  the schema, version by version
record.py      record_briefing(), record_digest(): one transaction per result
recorder.py    what a run uses: record as results land, find the previous digest, track stories
tracking.py    story ids that stay the same across days
queries.py     listing, full-text search, loading an archived item by its ref (b12, d3)
timeline.py    one story's days (`briefing history story ID`)
review.py      judgments past their horizon and their outcomes; scoring.py the Brier score
horizon.py     a judgment's timeframe -> days; maintenance.py prune and export
"""
