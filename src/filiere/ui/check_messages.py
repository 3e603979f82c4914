"""Fail when a translation catalogue has an untranslated or fuzzy message (run by CI).

Usage: python -m filiere.ui.check_messages
"""

import re
import subprocess
import sys
from pathlib import Path

LANGUAGES = ("fr", "en", "nl")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def catalogue_problems(po_file: Path) -> list[str]:
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own file
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_file)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    problems = []
    if result.returncode != 0:
        problems.append(result.stderr.strip())
    stats = result.stderr
    for kind in ("fuzzy", "untranslated"):
        match = re.search(rf"(\d+) {kind}", stats)
        if match and int(match.group(1)) > 0:
            problems.append(f"{match.group(1)} {kind} message(s)")
    return problems


def main() -> int:
    failed = False
    for language in LANGUAGES:
        po_file = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
        if not po_file.exists():
            print(f"{po_file}: missing")
            failed = True
            continue
        problems = catalogue_problems(po_file)
        for problem in problems:
            print(f"{po_file.relative_to(LOCALE_DIR.parent)}: {problem}")
        failed = failed or bool(problems)
    if not failed:
        print("translations complete: " + ", ".join(LANGUAGES))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
