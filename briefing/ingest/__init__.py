"""Ingest: anything a user gives (files, stdin, web pages, feeds, folders, lists) -> articles. [disk, net]"""
