"""Sharewise: decide whether to share information about a child or an adult at risk, share
it properly, and keep the record the guidance expects."""
