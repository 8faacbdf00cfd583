"""Field-level encryption of the free text that can hold special category data.

`keyring` keeps the AES-256-GCM keys, `fields` encrypts and decrypts model fields with them,
`rotation` re-encrypts stored values under a new key, and `keys_cli` is `sharewise keys`
(docs/decisions/0009-field-encryption.md).
"""
