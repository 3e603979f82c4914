"""Suggestions with their reasons: who could answer a post, and what a member could answer.

The score of a pair is the engine's text affinity (``filiere.engine.affinity``: TF-IDF over
stems of French, English and Dutch, the skills' labels in the three languages as keywords) between
the post (title, description, skills) and a profile (headline, biography, skills, professions
and works of a person; description, sectors and skills of an organisation), plus a bonus for each
skill of the vocabulary they share (``SHARED_SKILL``), each broader or narrower skill
(``RELATED_SKILL``) and the same territory (``SAME_TERRITORY``). Each suggestion says why, as
``Reason`` codes that ``phrases.reason`` turns into words: the shared skills, the related ones,
the words of the post found in the profile, the territory; for a call, its genres.

Only what members may see of a profile is read (a field restricted to the staff is left out),
only profiles the reader may see are suggested, never the post's author, never anyone in a
``Block`` with the author or the reader (either direction).

The scores are computed in the background (``suggestion_runs``, ``tasks``) and stored with a
fingerprint of the data they read (``post_fingerprint``, ``member_fingerprint``); the functions
that put them in a reader's view (``for_post``, ``needs_for``, ``calls_for``) take a run's
scores (``scored``) or, called without them (the API, the weekly digest, scripts), compute them.
A page shows them in a fixed number of queries.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from filiere.accounts.permissions import is_signed_in
from filiere.calls.models import Call, Genre
from filiere.calls.selectors import open_calls
from filiere.community.models import Organisation, Person, Skill, Work
from filiere.community.selectors import visible_people
from filiere.engine.affinity import AffinityModel, AffinityOptions, Expert, ExpertItem, Proposal
from filiere.engine.affinity.text import ALL_STOP_WORDS, Analyzer, tokenize

from . import phrases
from .models import Post, PostKind, SuggestionRun
from .models_contacts import Block
from .selectors_board import listed_posts

if TYPE_CHECKING:
    from filiere.accounts.models import User
    from filiere.accounts.types import AnyUser

OPTIONS = AffinityOptions(embeddings="off")
SHARED_SKILL = 0.15
RELATED_SKILL = 0.05
SAME_TERRITORY = 0.1
SKILL_BONUS_MAX = 0.45
#: Below this affinity, a pair needs a shared or related skill to be suggested.
MIN_AFFINITY = 0.05
#: Suggestions kept per post before the reader's filter, and shown.
KEPT = 40
SHOWN = 10
MATCHING_WORDS = 4
#: Members see these field visibilities (a field at "private" is for its owner and the staff).
SHARED_FIELDS = frozenset({"public", "members"})


@dataclass(frozen=True)
class Reason:
    """Why a suggestion is made: a code, the words it names (skills' labels, terms, genres)."""

    code: str
    words: tuple[str, ...] = ()
    territory: str = ""

    @property
    def text(self) -> str:
        return phrases.reason(self.code, {"words": self.words, "territory": self.territory})


@dataclass
class Suggestion:
    """A person, organisation, post or call, with its score and reasons; ``row`` for display."""

    kind: str
    pk: int
    score: float
    reasons: tuple[Reason, ...]
    row: Any = None


@dataclass(frozen=True)
class _Side:
    """One side of a pair as the scoring reads it (a post, a call, or a profile)."""

    key: str
    title: str
    texts: tuple[str, ...]
    skills: frozenset[int]
    parents: dict[int, int | None] = field(default_factory=dict)
    territory_id: int | None = None
    language: str | None = None
    # The side's own prose (not the skills' labels): where the matching words are taken from.
    prose: tuple[str, ...] = ()


def _skill_words(skill: Skill) -> list[str]:
    words = [skill.name, skill.label_en, skill.label_nl]
    words += [str(s) for s in (skill.synonyms or []) if str(s).strip()]
    return [w for w in words if w]


def _shown(person: Person, name: str) -> bool:
    """Whether members may see this field of ``person`` (``Person.field_visibility``)."""
    visibility = (person.field_visibility or {}).get(name, person.visibility)
    return visibility in SHARED_FIELDS


def _person_side(person: Person, *, own: bool = False) -> _Side:
    """A person's profile; ``own``: every field (the member's own profile, for "For you")."""
    prose: list[str] = []
    skills: list[Skill] = []
    if own or _shown(person, "headline"):
        prose.append(person.headline)
    if own or _shown(person, "bio"):
        prose.append(person.bio)
    if own or _shown(person, "works"):
        prose += [f"{w.title} {w.role}\n{w.description}" for w in person.works.all()]
    if own or _shown(person, "skills"):
        skills = list(person.skills.all())
    labels = [
        ", ".join(w for s in skills for w in _skill_words(s)),
        ", ".join(f"{p.label_fr}, {p.label_en}, {p.label_nl}" for p in person.professions.all()),
    ]
    territory = person.territory_id if own or _shown(person, "territory") else None
    prose = [t for t in prose if t.strip()]
    return _Side(
        key=f"person:{person.pk}",
        title="",
        texts=tuple(prose + [t for t in labels if t.strip()]),
        skills=frozenset(s.pk for s in skills),
        parents={s.pk: s.parent_id for s in skills},
        territory_id=territory,
        prose=tuple(prose),
    )


def _organisation_side(organisation: Organisation) -> _Side:
    skills = list(organisation.skills.all())
    texts = [
        organisation.name,
        organisation.description,
        ", ".join(w for s in skills for w in _skill_words(s)),
        ", ".join(f"{s.label_fr}, {s.label_en}, {s.label_nl}" for s in organisation.sectors.all()),
    ]
    return _Side(
        key=f"organisation:{organisation.pk}",
        title="",
        texts=tuple(t for t in texts if t.strip()),
        prose=(organisation.name, organisation.description),
        skills=frozenset(s.pk for s in skills),
        parents={s.pk: s.parent_id for s in skills},
        territory_id=organisation.territory_id,
    )


def _post_side(post: Post) -> _Side:
    skills = list(post.skills.all())
    return _Side(
        key=f"post:{post.pk}",
        title=post.title,
        texts=(post.description, ", ".join(w for s in skills for w in _skill_words(s))),
        prose=(post.title, post.description),
        skills=frozenset(s.pk for s in skills),
        parents={s.pk: s.parent_id for s in skills},
        territory_id=post.territory_id,
        language=post.language,
    )


#: ``Genre.skills``: read by name, as calls may describe their genres without the vocabulary.
GENRE_SKILLS: str = "skills"


def _genre_skills(genre: Genre) -> list[Skill]:
    """The vocabulary's skills of a call's genre, where calls describe genres with them."""
    related = getattr(genre, GENRE_SKILLS, None)
    return list(related.all()) if related is not None else []


def _genres_have_skills() -> bool:
    return any(f.name == GENRE_SKILLS for f in Genre._meta.get_fields())


def _call_side(call: Call) -> _Side:
    genres = list(call.genres.all())
    skills = [s for g in genres for s in _genre_skills(g)]
    texts = [
        call.summary_fr,
        call.summary_en,
        call.summary_nl,
        ", ".join(f"{g.label_fr}, {g.label_en}, {g.label_nl}" for g in genres),
        ", ".join(w for s in skills for w in _skill_words(s)),
    ]
    return _Side(
        key=f"call:{call.pk}",
        title=" / ".join(t for t in (call.title_fr, call.title_en, call.title_nl) if t),
        texts=tuple(t for t in texts if t.strip()),
        skills=frozenset(s.pk for s in skills),
        parents={s.pk: s.parent_id for s in skills},
        prose=(call.title_fr, call.title_en, call.title_nl, *texts[:3]),
    )


# --- Scoring ------------------------------------------------------------------------------------


def _related(a: _Side, b: _Side) -> list[int]:
    """Skills of ``b`` broader or narrower than one of ``a``'s (not shared ones)."""
    found = []
    for skill, parent in b.parents.items():
        if skill in a.skills:
            continue
        if parent in a.skills or any(a.parents.get(mine) == skill for mine in a.skills):
            found.append(skill)
    return found


class _Words:
    """The words of a text, by stem: which of them a profile speaks of too."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer

    def of(self, text: str, language: str | None) -> list[tuple[str, str]]:
        """(stem, word) pairs of the content words of ``text``, in order."""
        stems, _lang = self.analyzer.stems(text, language)
        words = [t for t in tokenize(text) if len(t) > 1 and t not in ALL_STOP_WORDS]
        return list(zip(stems, words, strict=False))

    def stems(self, texts: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for text in texts:
            found.update(self.analyzer.stems(text)[0])
        return found


def _matching(pairs: list[tuple[str, str]], stems: set[str]) -> tuple[str, ...]:
    seen: list[str] = []
    for stem, word in pairs:
        if len(stem) > 2 and not word.isdigit() and stem in stems and word not in seen:
            seen.append(word)
        if len(seen) == MATCHING_WORDS:
            break
    return tuple(seen)


@dataclass(frozen=True)
class Scored:
    key: str
    score: float
    shared: tuple[int, ...]
    related: tuple[int, ...]
    words: tuple[str, ...]
    same_territory: bool


def _score(
    queries: Sequence[_Side],
    candidates: Sequence[_Side],
    *,
    words_of: str,
    stems: dict[str, set[str]] | None = None,
) -> dict[str, list[Scored]]:
    """For each query, the candidates that match it, the best first (at most ``KEPT``).

    ``words_of``: "query" names the query's words found in the candidate ("their profile
    speaks of"), "candidate" the candidate's words found in the query ("the post speaks of").
    ``stems``: the candidates' stems already known, by key (filled in as they are found)."""
    if not queries or not candidates:
        return {}
    proposals = [
        Proposal(id=q.key, title=q.title, text="\n".join(q.texts), language=q.language)
        for q in queries
    ]
    experts = [
        Expert(
            id=c.key,
            items=tuple(ExpertItem(title="", text=t) for t in c.texts)
            or (ExpertItem(title="", text=c.title or "-"),),
        )
        for c in candidates
    ]
    affinity: dict[tuple[str, str], float] = {
        (p, e): s for p, e, s in AffinityModel(proposals, experts, OPTIONS).pairs()
    }
    words = _Words(Analyzer(bigrams=False))
    by_key = {c.key: c for c in candidates}
    candidate_stems = {} if stems is None else stems
    for c in candidates:
        if c.key not in candidate_stems:
            candidate_stems[c.key] = words.stems((c.title, *c.texts))
    results: dict[str, list[Scored]] = {}
    for query in queries:
        query_pairs = words.of("\n".join(query.prose), query.language)
        query_stems = words.stems((query.title, *query.texts))
        found: list[Scored] = []
        for key, candidate in by_key.items():
            shared = tuple(sorted(query.skills & candidate.skills))
            related = tuple(_related(query, candidate))
            base = affinity.get((query.key, key), 0.0)
            if base < MIN_AFFINITY and not shared and not related:
                continue
            if words_of == "query":
                matched = _matching(query_pairs, candidate_stems[key])
            else:
                matched = _matching(words.of("\n".join(candidate.prose), None), query_stems)
            if not (shared or related or matched):
                continue
            same = query.territory_id is not None and query.territory_id == candidate.territory_id
            bonus = min(SKILL_BONUS_MAX, SHARED_SKILL * len(shared) + RELATED_SKILL * len(related))
            score = base + bonus + (SAME_TERRITORY if same else 0.0)
            found.append(Scored(key, round(score, 4), shared, related, matched, same))
        found.sort(key=lambda s: (-s.score, s.key))
        results[query.key] = found[:KEPT]
    return results


def _reasons(
    scored: Scored, skills: dict[int, Skill], territory: str, *, words_code: str
) -> tuple[Reason, ...]:
    reasons = []
    if scored.shared:
        labels = tuple(skills[i].label for i in scored.shared if i in skills)
        reasons.append(Reason("shared_skills", labels))
    if scored.related:
        labels = tuple(skills[i].label for i in scored.related if i in skills)
        reasons.append(Reason("related_skills", labels))
    if scored.words:
        reasons.append(Reason(words_code, scored.words))
    if scored.same_territory and territory:
        reasons.append(Reason("same_territory", territory=territory))
    return tuple(reasons)


def _skill_labels(scored: Iterable[Scored]) -> dict[int, Skill]:
    ids = {i for s in scored for i in (*s.shared, *s.related)}
    return Skill.objects.in_bulk(ids) if ids else {}


# --- Who could answer a post --------------------------------------------------------------------


def _people() -> QuerySet[Person]:
    return Person.objects.filter(consent_at__isnull=False).prefetch_related(
        "skills", "professions", "works"
    )


def _organisations() -> QuerySet[Organisation]:
    return Organisation.objects.prefetch_related("skills", "sectors")


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def _profiles_state() -> tuple[Any, ...]:
    """What changes whenever a profile the post's scores read changes."""
    return (
        Person.objects.aggregate(n=Count("id"), at=Max("updated_at")),
        Work.objects.aggregate(n=Count("id"), top=Max("id")),
        Organisation.objects.aggregate(n=Count("id"), at=Max("updated_at")),
        Person.skills.through.objects.aggregate(n=Count("id"), top=Max("id")),
        Organisation.skills.through.objects.aggregate(n=Count("id"), top=Max("id")),
    )


def post_fingerprint(post: Post) -> str:
    """Changes whenever what the post says or a profile the scores read changes (not when the
    post is only moderated or renewed: its suggestions stay the same)."""
    skill_ids = sorted(post.skills.values_list("pk", flat=True))
    own = (
        post.pk,
        post.author_id,
        post.organisation_id,
        post.title,
        post.description,
        post.territory_id,
        post.language,
        skill_ids,
    )
    return _digest(own, *_profiles_state())


class CandidatePool:
    """The profiles posts are scored against, read once to score many posts (``score_post``
    with ``pool``): each post's candidates are the same as when read alone."""

    def __init__(self) -> None:
        # Taken before the profiles are read: a change made meanwhile makes the pool stale.
        self.state = _profiles_state()
        self.people = [(p.user_id, _person_side(p)) for p in _people()]
        self.organisations = [(o.pk, _organisation_side(o)) for o in _organisations()]
        self.stems: dict[str, set[str]] = {}

    def is_current(self) -> bool:
        return self.state == _profiles_state()

    def for_post(self, post: Post) -> list[_Side]:
        # As the queries of ``score_post`` exclude them (a profile with no account stays).
        people = [side for user_id, side in self.people if user_id != post.author_id]
        organisation = post.organisation_id or 0
        return people + [side for pk, side in self.organisations if pk != organisation]


def score_post(post: Post, pool: CandidatePool | None = None) -> list[Scored]:
    """The profiles that could answer ``post``, the best first, whoever reads them (the
    background run's work: ``for_post`` filters them for a reader)."""
    if pool is not None:
        candidates = pool.for_post(post)
        found = _score([_post_side(post)], candidates, words_of="query", stems=pool.stems)
        return found.get(f"post:{post.pk}", [])
    candidates = [_person_side(p) for p in _people().exclude(user_id=post.author_id)]
    candidates += [
        _organisation_side(o) for o in _organisations().exclude(pk=post.organisation_id or 0)
    ]
    return _score([_post_side(post)], candidates, words_of="query").get(f"post:{post.pk}", [])


def stored(rows: Iterable[Sequence[Any]]) -> list[Scored]:
    """Scores as a run stores them (JSON lists) back as ``Scored``."""
    return [
        Scored(key, score, tuple(shared), tuple(related), tuple(words), same)
        for key, score, shared, related, words, same in rows
    ]


def storable(scored: Iterable[Scored]) -> list[list[Any]]:
    return [
        [s.key, s.score, list(s.shared), list(s.related), list(s.words), s.same_territory]
        for s in scored
    ]


def _stored_for_post(post: Post) -> list[Scored] | None:
    """The scores of the post's run, when it is done and still fresh."""
    result = (
        SuggestionRun.objects.filter(post=post, status=SuggestionRun.Status.DONE)
        .values_list("fingerprint", "result")
        .first()
    )
    if result is None or result[0] != post_fingerprint(post):
        return None
    return stored(result[1] or [])


def blocked_with(user_ids: Iterable[int | None]) -> set[int]:
    """The users in a block with any of ``user_ids``, either direction."""
    ids = [i for i in user_ids if i]
    if not ids:
        return set()
    pairs = Block.objects.filter(Q(blocker_id__in=ids) | Q(blocked_id__in=ids)).values_list(
        "blocker_id", "blocked_id"
    )
    return {other for pair in pairs for other in pair} - set(ids)


def for_post(viewer: AnyUser, post: Post, scored: list[Scored] | None = None) -> list[Suggestion]:
    """The people and organisations that could answer ``post``, as ``viewer`` may see them:
    from ``scored`` (a run's scores), else from the post's fresh run, else computed now."""
    if scored is None:
        scored = _stored_for_post(post)
    if scored is None:
        scored = score_post(post)
    person_ids = [int(s.key.split(":")[1]) for s in scored if s.key.startswith("person:")]
    organisation_ids = [
        int(s.key.split(":")[1]) for s in scored if s.key.startswith("organisation:")
    ]
    blocked = blocked_with([post.author_id, viewer.pk if is_signed_in(viewer) else None])
    people = {
        p.pk: p
        for p in visible_people(viewer)
        .filter(pk__in=person_ids)
        .exclude(user_id__in=blocked)
        .exclude(user_id=post.author_id)
        .select_related("territory")
    }
    organisations = Organisation.objects.in_bulk(organisation_ids)
    skills = _skill_labels(scored)
    territory = post.territory.label if post.territory is not None else ""
    suggestions = []
    for s in scored:
        kind, pk = s.key.split(":")
        row = (people if kind == "person" else organisations).get(int(pk))
        if row is None:
            continue
        reasons = _reasons(s, skills, territory, words_code="matching_terms")
        suggestions.append(Suggestion(kind, int(pk), s.score, reasons, row))
        if len(suggestions) == SHOWN:
            break
    return suggestions


# --- What a member could answer -----------------------------------------------------------------


def _own_profile(user: User) -> Person | None:
    return (
        Person.objects.filter(user=user)
        .select_related("territory")
        .prefetch_related("skills", "professions", "works")
        .first()
    )


def _needs_of(user: User, today: date) -> QuerySet[Post]:
    """The listed needs a member may be suggested: not their own, nor those of anyone in a
    block with them."""
    return (
        listed_posts(today)
        .filter(kind=PostKind.NEED)
        .exclude(author=user)
        .exclude(author_id__in=blocked_with([user.pk]))
    )


def _calls_query() -> QuerySet[Call]:
    calls_query = open_calls()
    if _genres_have_skills():
        calls_query = calls_query.prefetch_related(f"genres__{GENRE_SKILLS}")
    return calls_query


def member_fingerprint(user: User, today: date) -> str:
    """Changes whenever the member's profile, the listed needs, their blocks or the open calls
    change (and each day: a need's listing ends with a date)."""
    person = Person.objects.filter(user=user).values_list("pk", "updated_at").first()
    works = sorted(
        Work.objects.filter(person__user=user).values_list("pk", "title", "role", "description")
    )
    tags = sorted(Person.skills.through.objects.filter(person__user=user).values_list("pk"))
    jobs = sorted(Person.professions.through.objects.filter(person__user=user).values_list("pk"))
    needs = _needs_of(user, today).aggregate(n=Count("id"), at=Max("updated_at"), top=Max("id"))
    needs_tags = Post.skills.through.objects.aggregate(n=Count("id"), top=Max("id"))
    calls = list(
        open_calls().values_list(
            "pk", "title_fr", "title_en", "title_nl", "summary_fr", "summary_en", "summary_nl"
        )
    )
    genres = sorted(
        Call.genres.through.objects.filter(call_id__in=[c[0] for c in calls]).values_list("pk")
    )
    return _digest(user.pk, today, person, works, tags, jobs, needs, needs_tags, calls, genres)


def _scored_needs(user: User, me: _Side, today: date) -> list[Scored]:
    needs = _needs_of(user, today).prefetch_related("skills")
    return _score([me], [_post_side(n) for n in needs], words_of="candidate").get(me.key, [])


def _scored_calls(me: _Side) -> list[Scored]:
    calls = _calls_query()
    return _score([me], [_call_side(c) for c in calls], words_of="candidate").get(me.key, [])


def score_member(
    user: User, today: date, *, parts: Sequence[str] = ("needs", "calls")
) -> dict[str, list[Scored]]:
    """The needs and the open calls ``user``'s own profile answers, the best first (the
    background run's work for "For you")."""
    person = _own_profile(user)
    if person is None:
        return {part: [] for part in parts}
    me = _person_side(person, own=True)
    found: dict[str, list[Scored]] = {}
    if "needs" in parts:
        found["needs"] = _scored_needs(user, me, today)
    if "calls" in parts:
        found["calls"] = _scored_calls(me)
    return found


def needs_for(
    user: User,
    *,
    today: date | None = None,
    limit: int = SHOWN,
    scored: list[Scored] | None = None,
) -> list[Suggestion]:
    """The listed needs ``user``'s own profile answers, the best first (not their own, nor
    those of anyone in a block with them): from ``scored`` (a run's), else computed now."""
    today = today or timezone.localdate()
    if scored is None:
        scored = score_member(user, today, parts=("needs",))["needs"]
    ids = [int(s.key.split(":")[1]) for s in scored[:limit]]
    rows = _needs_of(user, today).select_related("author__person", "organisation", "territory")
    posts = rows.in_bulk(ids)
    skills = _skill_labels(scored[:limit])
    suggestions = []
    for s in scored[:limit]:
        post = posts.get(int(s.key.split(":")[1]))
        if post is None:  # no longer listed since the run
            continue
        territory = post.territory.label if post.territory is not None else ""
        reasons = _reasons(s, skills, territory, words_code="matching_terms_post")
        suggestions.append(Suggestion("post", post.pk, s.score, reasons, post))
    return suggestions


def calls_for(
    user: User, *, limit: int = SHOWN, scored: list[Scored] | None = None
) -> list[Suggestion]:
    """The open calls ``user``'s profile could answer, with the genres each is open to: from
    ``scored`` (a run's), else computed now."""
    if scored is None:
        scored = score_member(user, timezone.localdate(), parts=("calls",))["calls"]
    ids = [int(s.key.split(":")[1]) for s in scored[:limit]]
    calls = _calls_query().prefetch_related("genres").in_bulk(ids)
    skills = _skill_labels(scored[:limit])
    suggestions = []
    for s in scored[:limit]:
        call = calls.get(int(s.key.split(":")[1]))
        if call is None:  # closed since the run
            continue
        reasons = list(_reasons(s, skills, "", words_code="matching_terms_post"))
        genres = tuple(g.label for g in call.genres.all())
        if genres:
            reasons.append(Reason("genre", genres))
        suggestions.append(Suggestion("call", call.pk, s.score, tuple(reasons), call))
    return suggestions
