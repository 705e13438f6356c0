"""Organisation slugs: the lower-cased name with runs of other characters turned into ``-``."""

import re

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(name: str) -> str:
    return _NOT_SLUG.sub("-", name.lower()).strip("-")
