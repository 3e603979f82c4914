"""The decision letter as a PDF (`ui.pdf.TextPage`), rendered from a ``Letter``'s fields in its
language: what was sent can be rendered again, the same.

Its page streams are uncompressed (as the receipt's), so that the text can be read from
the bytes by the tests: no reviewer's name may be in it. The feedback is anonymised when the
letter is drafted and again at each edit (``selectors_decisions.scrub``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from filiere.calls.phrases import format_money
from filiere.ui.pdf import TextPage

from .models import Letter, Outcome

# --- amounts in words (fr, en, nl) --------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


_FR_UNITS = _words(
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
    "seize dix-sept dix-huit dix-neuf"
)
_FR_TENS = ["", "", "vingt", "trente", "quarante", "cinquante", "soixante"]
_EN_UNITS = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_EN_TENS = _words("_ _ twenty thirty forty fifty sixty seventy eighty ninety")
_NL_UNITS = _words(
    "nul een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien "
    "zestien zeventien achttien negentien"
)
_NL_TENS = _words("_ _ twintig dertig veertig vijftig zestig zeventig tachtig negentig")


def _fr_below_100(n: int) -> str:
    if n < 20:
        return _FR_UNITS[n]
    if n < 70:
        tens, unit = divmod(n, 10)
        if unit == 0:
            return _FR_TENS[tens]
        return f"{_FR_TENS[tens]}{' et ' if unit == 1 else '-'}{_FR_UNITS[unit]}"
    if n < 80:
        return "soixante" + (" et " if n == 71 else "-") + _FR_UNITS[n - 60]
    return "quatre-vingts" if n == 80 else "quatre-vingt-" + _FR_UNITS[n - 80]


def _fr_below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        words.append("cent" if hundreds == 1 else f"{_FR_UNITS[hundreds]} cent")
        if hundreds > 1 and rest == 0:
            words[-1] += "s"
    if rest:
        words.append(_fr_below_100(rest))
    return " ".join(words)


def _french(n: int) -> str:
    if n == 0:
        return _FR_UNITS[0]
    words = []
    for size, one, many in ((10**9, "milliard", "milliards"), (10**6, "million", "millions")):
        count, n = divmod(n, size)
        if count:
            words.append(f"{_fr_below_1000(count)} {one if count == 1 else many}")
    thousands, n = divmod(n, 1000)
    if thousands:
        # "mille" is invariable, and so are "vingt" and "cent" before it.
        group = _fr_below_1000(thousands).removesuffix("s") if thousands > 1 else ""
        words.append(f"{group} mille".strip())
    if n:
        words.append(_fr_below_1000(n))
    return " ".join(words)


def _en_below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = [f"{_EN_UNITS[hundreds]} hundred"] if hundreds else []
    if rest:
        if hundreds:
            words.append("and")
        tens, unit = divmod(rest, 10)
        words.append(
            _EN_UNITS[rest]
            if rest < 20
            else _EN_TENS[tens] + (f"-{_EN_UNITS[unit]}" if unit else "")
        )
    return " ".join(words)


def _english(n: int) -> str:
    if n == 0:
        return _EN_UNITS[0]
    words = []
    for size, name in ((10**9, " billion"), (10**6, " million"), (10**3, " thousand"), (1, "")):
        count, n = divmod(n, size)
        if count:
            words.append(_en_below_1000(count) + name)
    return " ".join(words)


def _nl_below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    word = ("" if hundreds == 1 else _NL_UNITS[hundreds]) + "honderd" if hundreds else ""
    if rest:
        tens, unit = divmod(rest, 10)
        if rest < 20:
            word += _NL_UNITS[rest]
        elif unit == 0:
            word += _NL_TENS[tens]
        else:
            joiner = "ën" if _NL_UNITS[unit].endswith("e") else "en"
            word += _NL_UNITS[unit] + joiner + _NL_TENS[tens]
    return word


def _dutch(n: int) -> str:
    if n == 0:
        return _NL_UNITS[0]
    words = []
    for size, name in ((10**9, "miljard"), (10**6, "miljoen")):
        count, n = divmod(n, size)
        if count:
            words.append(f"{_nl_below_1000(count)} {name}")
    thousands, n = divmod(n, 1000)
    if thousands:
        words.append(("" if thousands == 1 else _nl_below_1000(thousands)) + "duizend")
    if n:
        words.append(_nl_below_1000(n))
    return " ".join(words)


def amount_in_words(amount: Decimal, language: str) -> str:
    """``Decimal("1400000")`` → "un million quatre cent mille euros" (fr), "one million four
    hundred thousand euros" (en), "een miljoen vierhonderdduizend euro" (nl)."""
    cents_total = int((Decimal(amount) * 100).to_integral_value())
    euros, cents = divmod(cents_total, 100)
    if language == "en":
        text = f"{_english(euros)} euro{'' if euros == 1 else 's'}"
        return text + (f" and {_english(cents)} cent{'' if cents == 1 else 's'}" if cents else "")
    if language == "nl":
        return f"{_dutch(euros)} euro" + (f" en {_dutch(cents)} cent" if cents else "")
    words = _french(euros)
    unit = "euro" if euros <= 1 else "euros"
    # "un million d'euros", but "un million cent euros".
    exact = words.endswith(("million", "millions", "milliard", "milliards"))
    text = f"{words} d'{unit}" if exact else f"{words} {unit}"
    return text + (f" et {_french(cents)} centime{'' if cents == 1 else 's'}" if cents else "")


# --- the PDF ------------------------------------------------------------------------------------


def outcome_sentence(letter: Letter) -> str:
    decision = letter.decision
    if decision.outcome == Outcome.AWARD:
        return _("The fund awards your project a grant of %(amount)s (%(words)s).") % {
            "amount": format_money(decision.amount),
            "words": amount_in_words(decision.amount, letter.language),
        }
    if decision.outcome == Outcome.DEFER:
        return _("The decision on your project is deferred to a later session.")
    return _("The fund does not award your project a grant.")


def letter_filename(letter: Letter) -> str:
    return f"decision-{letter.decision.application.reference}.pdf"


def letter_pdf(letter: Letter) -> bytes:
    """The letter of ``letter`` (a ``Letter`` with its decision, application, call and fund)."""
    decision = letter.decision
    application = decision.application
    call = application.call
    with translation.override(letter.language):
        page = TextPage(
            title=_("Decision on %(reference)s") % {"reference": application.reference},
            author=settings.FILIERE_PLATFORM_NAME,
        )
        line, paragraph = page.line, page.paragraph
        when = timezone.localtime(letter.sent_at or timezone.now())
        line(f"{settings.FILIERE_PLATFORM_NAME} — {call.fund.name}", size=9)
        line(formats.date_format(when, "DATE_FORMAT"), size=9, gap=9)
        line(_("Decision on your application"), size=16, bold=True, gap=9)
        line(_("Call: %(call)s") % {"call": call.title})
        line(_("Reference: %(reference)s") % {"reference": application.reference}, bold=True)
        paragraph(_("Project: %(title)s") % {"title": application.title})
        page.space(3)
        line(_("Decision: %(outcome)s") % {"outcome": decision.get_outcome_display()}, bold=True)
        paragraph(outcome_sentence(letter))
        if decision.reason:
            page.space(3)
            line(_("Reasons"), size=12, bold=True, gap=7)
            paragraph(decision.reason)
        if letter.feedback:
            page.space(3)
            line(_("Feedback from the reviewers"), size=12, bold=True, gap=7)
            for text in letter.feedback:
                paragraph(text)
                page.space(2)
        page.space(3)
        paragraph(
            _(
                "The reviewers' names are not disclosed. For any question about this decision, "
                "write to the instruction team from your application's page."
            ),
            size=8,
            gap=4,
        )
        return page.bytes()
