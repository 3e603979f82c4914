"""The agreement as a PDF (``ui.pdf.TextPage``), rendered from an ``Agreement``'s fields in its
language: the parties, the amount (in figures and words), the schedule of tranches, the
co-funders' shares, the regional-spend obligation, the conditions, the amendments and the
signature blocks. What was sent can be rendered again, the same; an amended agreement shows
its version and the history of its changes.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from filiere.calls.phrases import format_money
from filiere.committee.letters import amount_in_words
from filiere.ui.pdf import TextPage

from .models import Agreement
from .selectors import with_parts


def agreement_filename(agreement: Agreement) -> str:
    return f"agreement-{agreement.application.reference}-v{agreement.version}.pdf"


def _percent(value: Decimal) -> str:
    return formats.number_format(Decimal(value).normalize(), use_l10n=True)


def _identifier(organisation: object) -> str:
    siret = getattr(organisation, "siret", "")
    if siret:
        return _("SIRET %(number)s") % {"number": siret}
    bce = getattr(organisation, "bce_number", "")
    if bce:
        return _("BCE/KBO %(number)s") % {"number": bce}
    siren = getattr(organisation, "siren", "")
    return _("SIREN %(number)s") % {"number": siren} if siren else ""


def agreement_pdf(agreement: Agreement) -> bytes:
    """The PDF of ``agreement`` (read again with its parts)."""
    agreement = with_parts(agreement)
    application = agreement.application
    call = application.call
    organisation = application.organisation
    with translation.override(agreement.language):
        page = TextPage(
            title=_("Agreement %(reference)s") % {"reference": application.reference},
            author=settings.FILIERE_PLATFORM_NAME,
        )
        line, paragraph = page.line, page.paragraph
        when = timezone.localtime(agreement.sent_at or agreement.created_at or timezone.now())
        line(f"{settings.FILIERE_PLATFORM_NAME} — {call.fund.name}", size=9)
        line(formats.date_format(when, "DATE_FORMAT"), size=9, gap=9)
        line(_("Grant agreement"), size=16, bold=True, gap=7)
        line(
            _("Reference: %(reference)s — version %(version)s")
            % {"reference": application.reference, "version": agreement.version},
            bold=True,
        )
        line(_("Call: %(call)s") % {"call": call.title})
        paragraph(_("Project: %(title)s") % {"title": application.title})
        page.space(3)

        line(_("Between"), size=12, bold=True, gap=7)
        paragraph(
            _("%(platform)s, for the fund “%(fund)s”, hereafter the fund;")
            % {"platform": settings.FILIERE_PLATFORM_NAME, "fund": call.fund.name}
        )
        identifier = _identifier(organisation)
        paragraph(
            _("and %(organisation)s%(identifier)s, hereafter the beneficiary.")
            % {
                "organisation": organisation.name,
                "identifier": f" ({identifier})" if identifier else "",
            }
        )
        page.space(3)

        line(_("Amount"), size=12, bold=True, gap=7)
        paragraph(
            _("The fund grants the beneficiary %(amount)s (%(words)s) for the project.")
            % {
                "amount": format_money(agreement.amount, cents=True),
                "words": amount_in_words(agreement.amount, agreement.language),
            }
        )
        page.space(3)

        line(_("Schedule of payments"), size=12, bold=True, gap=7)
        for tranche in agreement.tranches.all():
            line(
                _("%(position)s. %(label)s: %(share)s %% — %(amount)s")
                % {
                    "position": tranche.position + 1,
                    "label": tranche.get_label_display(),
                    "share": _percent(tranche.share),
                    "amount": format_money(tranche.amount, cents=True),
                }
            )
        page.space(3)

        shares = list(agreement.cofunder_shares.all())
        if shares:
            line(_("Co-funders"), size=12, bold=True, gap=7)
            for share in shares:
                line(
                    _("%(name)s: %(amount)s of the amount")
                    % {"name": share.name, "amount": format_money(share.amount, cents=True)}
                )
            page.space(3)

        line(_("Regional spend"), size=12, bold=True, gap=7)
        paragraph(
            _(
                "The beneficiary spends at least %(percent)s %% of the amount granted "
                "(%(required)s) with suppliers established in the eligible territories, and "
                "declares the invoices on the platform. When this is missed, the final payment "
                "is reduced in proportion."
            )
            % {
                "percent": _percent(agreement.spend_ratio * 100),
                "required": format_money(agreement.amount * agreement.spend_ratio, cents=True),
            }
        )
        if agreement.spend_floor:
            paragraph(
                _("The regional spend is at least %(floor)s in any case.")
                % {"floor": format_money(agreement.spend_floor, cents=True)}
            )
        page.space(3)

        if agreement.conditions:
            line(_("Conditions"), size=12, bold=True, gap=7)
            paragraph(agreement.conditions)
            page.space(3)

        amendments = list(agreement.amendments.all())
        if amendments:
            line(_("Amendments"), size=12, bold=True, gap=7)
            for amendment in amendments:
                paragraph(
                    _("Amendment %(number)s of %(date)s: %(reason)s")
                    % {
                        "number": amendment.number,
                        "date": formats.date_format(
                            timezone.localtime(amendment.at), "DATE_FORMAT"
                        ),
                        "reason": amendment.reason,
                    }
                )
            page.space(3)

        page.space(6)
        line(_("For the fund"), bold=True, gap=14)
        line(_("For the beneficiary (name, date, signature)"), bold=True, gap=14)
        paragraph(
            _(
                "Sign this agreement and upload the signed copy (PDF) from your agreement's "
                "page on the platform."
            ),
            size=8,
            gap=4,
        )
        return page.bytes()
