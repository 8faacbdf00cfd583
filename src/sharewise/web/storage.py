"""Static file storage: hashed names, gzip-compressed copies, no Brotli.

WhiteNoise compresses with Brotli whenever the `brotli` package is importable, and
WeasyPrint's font tools bring it in. At Brotli's highest quality the API documentation's
1.5 MB of JavaScript took most of a minute to compress, on every first `sharewise serve`
and every test run; gzip takes a fraction of a second and every browser accepts it.
"""

from __future__ import annotations

from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    def create_compressor(self, **kwargs: Any) -> Compressor:
        return Compressor(use_brotli=False, **kwargs)
