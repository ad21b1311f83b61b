"""A short fingerprint of a package's source, for results stored by code that may change."""

import hashlib
from pathlib import Path
from types import ModuleType


def source_fingerprint(package: ModuleType) -> str:
    """Return ``engine-`` and 12 hex digits hashed from the package's ``*.py`` files (names and
    contents), so that any change to the engine that computed a stored result is noticed."""
    digest = hashlib.sha256()
    for path in sorted(Path(str(package.__file__)).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return "engine-" + digest.hexdigest()[:12]
