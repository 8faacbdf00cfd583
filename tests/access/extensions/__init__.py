"""Each area's part of the access matrix: see `tests.access.routes.extensions`."""
