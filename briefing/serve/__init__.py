"""`briefing serve`: the archive read in a browser, on the analyst's own machine. [net, disk]

`app.py` is the Starlette application (routes, security headers, the token and the review form's
CSRF check), `pages.py` what each page shows (archive queries), `charts.py` the inline-SVG charts,
`security.py` the pure checks, `server.py` uvicorn on one socket with a clean Ctrl-C.
"""
