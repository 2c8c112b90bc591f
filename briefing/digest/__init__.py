"""Digest: many articles -> stories (near-duplicates merged) -> briefed by run.py -> one cover. [net, disk]"""
