"""Delivery of written briefs: e-mail (mail.py), webhooks (webhook.py), the [smtp] and
[briefs.NAME] tables (config.py), what both say (summary.py, send.py), and the lock that keeps two
runs of one brief apart (lock.py). Files are always written first; delivery only sends what is
already on disk, so a failed delivery never loses a brief.
"""
