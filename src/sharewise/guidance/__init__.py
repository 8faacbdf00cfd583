"""The guidance core: HM Government's information-sharing guidance as data, and the
engine that applies it.

Pure Python with no Django import (an import-linter contract enforces it), so that the
decision logic can be tested, benchmarked and called from the command line without a
database. Django stores what this package decides; it never decides anything itself.
"""
