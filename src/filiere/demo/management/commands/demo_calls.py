"""``manage.py demo_calls``: the demo's calls for projects (run by ``manage.py demo`` too)."""

from typing import Any

from django.core.management.base import BaseCommand

from filiere.demo.calls import load_demo_calls


class Command(BaseCommand):
    help = "Load (or reload) the demo calls for projects: 2009 (open), 2010 (upcoming), 2008."

    def handle(self, *args: Any, **options: Any) -> None:
        calls = load_demo_calls()
        for call in calls:
            self.stdout.write(
                f"{call.phase()}: {call.title_fr} — /calls/call/{call.slug}/ "
                f"({call.questions.count()} questions, {call.criteria.count()} criteria)"
            )
