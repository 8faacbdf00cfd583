"""The tamper-evident audit log: who did what to which record, and who read it.

Nothing here is imported by `sharewise decide`; the CLI imports `audit_cli` lazily.
"""
