"""The form of the demo's 2009 call: its questions, in French, English and Dutch."""

from __future__ import annotations

from filiere.calls.models import Question
from filiere.calls.services.design import QuestionRow


def _choices(*items: tuple[str, str, str, str]) -> list[dict[str, str]]:
    return [{"value": v, "label_fr": fr, "label_en": en, "label_nl": nl} for v, fr, en, nl in items]


def question_rows() -> list[QuestionRow]:
    """The form of the 2009 call: two sections, a conditional question, a repeatable group."""
    project = "Projet / Project"
    team = "Consortium"
    return [
        QuestionRow(
            code="target-audience",
            kind=Question.Kind.TEXT,
            section=project,
            label_fr="À quel public s'adresse l'œuvre ?",
            label_en="Who is the work for?",
            label_nl="Voor welk publiek is het werk bedoeld?",
            required=True,
            min_length=50,
            max_length=1500,
        ),
        QuestionRow(
            code="platforms",
            kind=Question.Kind.MULTIPLE_CHOICE,
            section=project,
            label_fr="Supports de diffusion",
            label_en="Platforms",
            label_nl="Platformen",
            required=True,
            choices=_choices(
                ("web", "Web", "Web", "Web"),
                ("mobile", "Mobile et tablette", "Mobile and tablet", "Mobiel en tablet"),
                ("tv", "Télévision connectée", "Connected TV", "Geconnecteerde tv"),
                ("installation", "Installation, exposition", "Installation", "Installatie"),
            ),
        ),
        QuestionRow(
            code="interactivity",
            kind=Question.Kind.CHOICE,
            section=project,
            label_fr="Degré d'interactivité",
            label_en="Level of interactivity",
            label_nl="Mate van interactiviteit",
            choices=_choices(
                ("navigation", "Navigation", "Navigation", "Navigatie"),
                ("participation", "Participation", "Participation", "Participatie"),
                ("game", "Mécaniques de jeu", "Game mechanics", "Spelmechanismen"),
            ),
        ),
        QuestionRow(
            code="duration-minutes",
            kind=Question.Kind.NUMBER,
            section=project,
            label_fr="Durée d'expérience estimée (minutes)",
            label_en="Estimated length of the experience (minutes)",
            label_nl="Geschatte duur van de ervaring (minuten)",
        ),
        QuestionRow(
            code="prototype-url",
            kind=Question.Kind.URL,
            section=project,
            label_fr="Lien vers une maquette ou un prototype",
            label_en="Link to a mock-up or prototype",
            label_nl="Link naar een mock-up of prototype",
        ),
        QuestionRow(
            code="delivery-date",
            kind=Question.Kind.DATE,
            section=project,
            label_fr="Date de livraison prévue",
            label_en="Planned delivery date",
            label_nl="Geplande opleverdatum",
            required=True,
        ),
        QuestionRow(
            code="has-research-partner",
            kind=Question.Kind.YES_NO,
            section=team,
            label_fr="Un laboratoire de recherche est-il associé au projet ?",
            label_en="Is a research lab involved in the project?",
            label_nl="Is er een onderzoekslabo bij het project betrokken?",
            required=True,
        ),
        QuestionRow(
            code="research-partner-role",
            kind=Question.Kind.TEXT,
            section=team,
            label_fr="Quel est le rôle du laboratoire ?",
            label_en="What does the lab do in the project?",
            label_nl="Wat doet het labo in het project?",
            required=True,
            max_length=1000,
            condition_question="has-research-partner",
            condition_equals="yes",
        ),
        QuestionRow(
            code="partners",
            kind=Question.Kind.GROUP,
            section=team,
            label_fr="Partenaires du consortium",
            label_en="Consortium partners",
            label_nl="Partners van het consortium",
            help_fr="Un bloc par partenaire (sociétés, laboratoires, diffuseurs).",
            help_en="One block per partner (companies, labs, broadcasters).",
            help_nl="Eén blok per partner (bedrijven, labo's, omroepen).",
        ),
        QuestionRow(
            code="partner-name",
            kind=Question.Kind.TEXT,
            section=team,
            label_fr="Nom du partenaire",
            label_en="Partner's name",
            label_nl="Naam van de partner",
            required=True,
            max_length=200,
            group="partners",
        ),
        QuestionRow(
            code="partner-country",
            kind=Question.Kind.CHOICE,
            section=team,
            label_fr="Pays",
            label_en="Country",
            label_nl="Land",
            required=True,
            group="partners",
            choices=_choices(
                ("FR", "France", "France", "Frankrijk"),
                ("BE", "Belgique", "Belgium", "België"),
                ("other", "Autre", "Other", "Ander"),
            ),
        ),
        QuestionRow(
            code="partner-contribution",
            kind=Question.Kind.MONEY,
            section=team,
            label_fr="Apport au projet (€)",
            label_en="Contribution to the project (€)",
            label_nl="Bijdrage aan het project (€)",
            group="partners",
        ),
        QuestionRow(
            code="partner-letter",
            kind=Question.Kind.FILE,
            section=team,
            label_fr="Lettre d'engagement",
            label_en="Letter of commitment",
            label_nl="Engagementsbrief",
            group="partners",
        ),
    ]
