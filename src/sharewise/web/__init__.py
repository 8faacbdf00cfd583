"""The web pages: GOV.UK-styled pages that read from the guidance core and render.

Views stay thin: they load what they show through `sharewise.guidance` (and, later, the
selectors of the other apps) and hand it to a template. No page needs JavaScript to work.
"""
