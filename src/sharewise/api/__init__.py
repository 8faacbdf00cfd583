"""The JSON API at /api/v1/: thin handlers that validate input, call one service or
selector and serialise the result (DESIGN.md, "Architecture").

Nothing here decides or enforces access: the guidance core decides, and the services and
selectors of each area check the agency of the token's user, so the API cannot answer
differently from the web pages or the command line.
"""
