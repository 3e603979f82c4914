"""The demo's events: a partner day held four months ago in Tourcoing, with its registrations and
who came (checked in), and the next one, in Kortrijk in three languages, full with a waiting
list, with one-to-one meetings: requests accepted, waiting and declined, a few unavailable
slots, and the schedule computed by the engine, so that the demo member's agenda has meetings.

Through the events' services, as the staff and the participants would: the staff create the
events and check people in, the members register, ask and answer; the schedule's run is
executed at once (``execute_schedule``) rather than by the worker. History is dated afterwards:
registrations and check-ins of the past day get the times they would have had.

The participants are the board's members (``demo.matchmaking``) and the demo member and
applicant accounts. Running it again replaces the demo's two events (found by their titles and
their author, the demo staff account) with everything they hold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from filiere.accounts.models import User
from filiere.community.models import Territory
from filiere.events import services, services_meetings, services_schedule
from filiere.events.models import (
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
    ScheduleRun,
)
from filiere.events.selectors import agenda_of

from .accounts import DEMO_APPLICANT_EMAIL, DEMO_STAFF_EMAIL
from .board_texts import MEMBER_DOMAIN
from .matchmaking import DEMO_MEMBER_EMAIL, no_emails

PAST_TITLE = "Journée des partenaires transfrontaliers 2009"
NEXT_TITLE = "Journée des partenaires de l'Eurorégion 2010"
MEMBER, APPLICANT = "member", "applicant"
#: Who came to the past day (board members' keys; the demo accounts too), in order of arrival.
PAST_REGISTERED = (
    MEMBER,
    APPLICANT,
    "claire.vasseur",
    "julien.dhenin",
    "nadia.benali",
    "thomas.delattre",
    "sophie.lemaire",
    "karim.haddad",
    "elodie.caron",
    "pieter.declercq",
    "amandine.lejeune",
    "olivier.collard",
    "isabelle.martel",
    "aurelie.boulanger",
    "romain.cordier",
    "lotte.vermeulen",
)
#: Registered but not checked in.
PAST_ABSENT = ("karim.haddad", "isabelle.martel", "lotte.vermeulen")
NEXT_CAPACITY = 20
#: The next day's registrations in order: the first ``NEXT_CAPACITY`` get a place.
NEXT_REGISTERED = (
    MEMBER,
    APPLICANT,
    "pieter.declercq",
    "lotte.vermeulen",
    "jeroen.maes",
    "amandine.lejeune",
    "olivier.collard",
    "sarah.janssens",
    "emily.carter",
    "james.whitfield",
    "claire.vasseur",
    "julien.dhenin",
    "nadia.benali",
    "thomas.delattre",
    "karim.haddad",
    "elodie.caron",
    "romain.cordier",
    "antoine.mercier",
    "pierre-yves.dubrulle",
    "lea.fontaine",
    # The waiting list.
    "sophie.lemaire",
    "marc.deldalle",
    "hugo.lefebvre",
)
ACCEPT, DECLINE, WAIT = "accept", "decline", "wait"
#: (sender, recipient, answer, message) of the next day's meeting requests.
REQUESTS = (
    (MEMBER, "julien.dhenin", ACCEPT, "Parlons du son de votre serious game."),
    (MEMBER, "pierre-yves.dubrulle", ACCEPT, "Le son de votre installation de mapping ?"),
    ("pieter.declercq", MEMBER, ACCEPT, "Sound design voor onze animatiereeks?"),
    ("emily.carter", MEMBER, WAIT, "Spatial audio for our next location-based experience?"),
    (MEMBER, "antoine.mercier", DECLINE, "Une musique et un sound design à quatre mains ?"),
    (APPLICANT, "nadia.benali", ACCEPT, "Une journée de capture pour notre projet ?"),
    (APPLICANT, "jeroen.maes", ACCEPT, "Volumetric capture for our interactive experience?"),
    ("lotte.vermeulen", APPLICANT, WAIT, "Een coproductie van ons volgende spel?"),
    ("claire.vasseur", "amandine.lejeune", ACCEPT, "Coproduction de votre long métrage."),
    ("claire.vasseur", "pieter.declercq", ACCEPT, "Le tax shelter pour un court métrage ?"),
    ("julien.dhenin", "karim.haddad", ACCEPT, "Un prototype VR de notre serious game."),
    ("nadia.benali", "jeroen.maes", ACCEPT, "Capture volumétrique et capture de mouvement."),
    ("elodie.caron", "olivier.collard", ACCEPT, "Du rigging pour notre série jeunesse."),
    ("elodie.caron", "pieter.declercq", ACCEPT, "Votre série : notre studio est partant."),
    ("sarah.janssens", "claire.vasseur", ACCEPT, "Your shorts for our catalogue."),
    ("sarah.janssens", "elodie.caron", ACCEPT, "Animated shorts from your studio?"),
    ("emily.carter", "pierre-yves.dubrulle", ACCEPT, "Testing our experience in your venue."),
    ("james.whitfield", "antoine.mercier", ACCEPT, "Music for our audio drama."),
    ("romain.cordier", "olivier.collard", ACCEPT, "Des rigs pour nos plans VFX."),
    ("lea.fontaine", "emily.carter", ACCEPT, "Écriture d'une expérience en salle."),
    ("karim.haddad", "jeroen.maes", ACCEPT, "Volumetric video in WebXR."),
    ("amandine.lejeune", "elodie.caron", ACCEPT, "Fabrication partagée de notre film."),
    ("thomas.delattre", "james.whitfield", ACCEPT, "Sound for your audio drama."),
    ("lotte.vermeulen", "julien.dhenin", ACCEPT, "Unreal of Unity voor serious games?"),
    ("sarah.janssens", "lea.fontaine", DECLINE, "Your web series for international sales?"),
)
#: (participant, numbers of the slots they cannot attend, from 1).
UNAVAILABLE = (
    ("thomas.delattre", (1, 2, 3)),
    ("pieter.declercq", (10, 11, 12)),
    (MEMBER, (6,)),
)
#: The meeting slots: 20 minutes, six in the morning and six in the afternoon.
SLOT_STARTS = (
    *("10:00", "10:20", "10:40", "11:00", "11:20", "11:40"),
    *("14:00", "14:20", "14:40", "15:00", "15:20", "15:40"),
)
TABLES = 6


@dataclass
class DemoEventsResult:
    past_registered: int = 0
    past_checked_in: int = 0
    registered: int = 0
    waitlisted: int = 0
    requests: dict[str, int] | None = None
    run: ScheduleRun | None = None
    member_meetings: int = 0


def _at(day: dt.date, hhmm: str) -> dt.datetime:
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hours, minutes)))


def remove_demo_events() -> None:
    Event.objects.filter(
        title_fr__in=[PAST_TITLE, NEXT_TITLE], created_by__email=DEMO_STAFF_EMAIL
    ).delete()


def _people() -> dict[str, User]:
    found = {
        user.email.split("@")[0]: user
        for user in User.objects.filter(email__endswith=f"@{MEMBER_DOMAIN}")
    }
    for key, email in ((MEMBER, DEMO_MEMBER_EMAIL), (APPLICANT, DEMO_APPLICANT_EMAIL)):
        user = User.objects.filter(email=email).first()
        if user is not None:
            found[key] = user
    return found


def _past_day(
    staff: User, people: dict[str, User], today: dt.date, result: DemoEventsResult
) -> None:
    day = today - dt.timedelta(days=120)
    event = services.save_event(
        event=Event(
            title_fr=PAST_TITLE,
            title_en="Cross-border partner day 2009",
            title_nl="Dag van de grensoverschrijdende partners 2009",
            description_fr=(
                "Les studios, laboratoires et écoles du Pôle Images et leurs partenaires wallons "
                "et flamands se présentent et montent leurs premiers projets communs."
            ),
            description_en=(
                "Studios, labs and schools of the Pôle Images and their Walloon and Flemish "
                "partners present themselves and start their first joint projects."
            ),
            description_nl=(
                "Studio's, labo's en scholen van de Pôle Images en hun Waalse en Vlaamse "
                "partners stellen zich voor en starten hun eerste gezamenlijke projecten."
            ),
            kind=EventKind.PARTNER_DAY,
            starts_at=_at(day, "09:30"),
            ends_at=_at(day, "17:30"),
            venue="Plaine Images",
            address="Tourcoing",
            territory=Territory.objects.filter(code="mel").first(),
            capacity=80,
            registration_opens_at=_at(day - dt.timedelta(days=45), "09:00"),
            registration_closes_at=_at(day - dt.timedelta(days=1), "18:00"),
            status=EventStatus.PUBLISHED,
        ),
        slots=[],
        by=staff,
    )
    arrivals = [people[key] for key in PAST_REGISTERED if key in people]
    for number, user in enumerate(arrivals):
        when = _at(day - dt.timedelta(days=30 - number), "10:00")
        registration = services.register(event=event, user=user, now=when)
        Registration.objects.filter(pk=registration.pk).update(created_at=when)
        result.past_registered += 1
    absent = {people[key].pk for key in PAST_ABSENT if key in people}
    for number, registration in enumerate(
        Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
    ):
        if registration.user_id in absent:
            continue
        services.check_in(registration=registration, by=staff)
        came = event.starts_at + dt.timedelta(minutes=3 * number)
        Registration.objects.filter(pk=registration.pk).update(checked_in_at=came)
        result.past_checked_in += 1


def _next_day(
    staff: User, people: dict[str, User], today: dt.date, result: DemoEventsResult
) -> None:
    day = today + dt.timedelta(days=24)
    event = services.save_event(
        event=Event(
            title_fr=NEXT_TITLE,
            title_en="Euroregion partner day 2010",
            title_nl="Partnerdag van de Euregio 2010",
            description_fr=(
                "Une journée à Courtrai pour les producteurs, studios, laboratoires et écoles "
                "des deux côtés de la frontière : présentations le matin, rendez-vous d'affaires "
                "de vingt minutes toute la journée. Demandez vos rendez-vous aux autres "
                "participants ; le planning est calculé la semaine précédente."
            ),
            description_en=(
                "A day in Kortrijk for producers, studios, labs and schools from both sides of "
                "the border: presentations in the morning, twenty-minute business meetings all "
                "day. Ask the other participants for meetings; the schedule is computed the week "
                "before."
            ),
            description_nl=(
                "Een dag in Kortrijk voor producenten, studio's, labo's en scholen van beide "
                "kanten van de grens: presentaties in de ochtend, zakelijke afspraken van twintig "
                "minuten de hele dag. Vraag afspraken aan bij de andere deelnemers; de planning "
                "wordt de week ervoor berekend."
            ),
            kind=EventKind.PARTNER_DAY,
            starts_at=_at(day, "09:00"),
            ends_at=_at(day, "17:00"),
            venue="Budafabriek",
            address="Kortrijk (Courtrai)",
            territory=Territory.objects.filter(code="flanders").first(),
            capacity=NEXT_CAPACITY,
            registration_opens_at=timezone.now() - dt.timedelta(days=20),
            registration_closes_at=_at(day - dt.timedelta(days=2), "18:00"),
            status=EventStatus.PUBLISHED,
            meetings_enabled=True,
            tables=TABLES,
        ),
        slots=[
            (_at(day, start), _at(day, start) + dt.timedelta(minutes=20)) for start in SLOT_STARTS
        ],
        by=staff,
    )
    for key in NEXT_REGISTERED:
        if key in people:
            registration = services.register(event=event, user=people[key])
            if registration.status == RegistrationStatus.WAITLISTED:
                result.waitlisted += 1
            else:
                result.registered += 1
    slots = list(event.slots.order_by("starts_at").values_list("pk", flat=True))
    for key, numbers in UNAVAILABLE:
        if key in people:
            services_meetings.set_unavailable_slots(
                event=event, user=people[key], slot_ids=[slots[n - 1] for n in numbers]
            )
    counts: dict[str, int] = {}
    for sender, recipient, answer, message in REQUESTS:
        if sender not in people or recipient not in people:
            continue
        request = services_meetings.request_meeting(
            event=event, sender=people[sender], recipient_id=people[recipient].pk, message=message
        )
        if answer != WAIT:
            services_meetings.answer_request(
                request=request, by=people[recipient], accept=answer == ACCEPT
            )
        counts[answer] = counts.get(answer, 0) + 1
    result.requests = counts
    # The staff compute the schedule; the demo runs it now instead of the worker.
    run = services_schedule.request_schedule(event=event, by=staff)
    services_schedule.execute_schedule(run_id=run.pk)
    result.run = ScheduleRun.objects.get(pk=run.pk)
    if MEMBER in people:
        result.member_meetings = len(agenda_of(event, people[MEMBER]))


def seed_demo_events(*, today: dt.date | None = None) -> DemoEventsResult:
    """See the module's text; after ``demo.matchmaking`` (its members take part)."""
    today = today or timezone.localdate()
    result = DemoEventsResult()
    staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    if staff is None:
        return result
    with no_emails(), transaction.atomic():
        remove_demo_events()
        people = _people()
        _past_day(staff, people, today, result)
        _next_day(staff, people, today, result)
    return result
