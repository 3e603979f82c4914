"""The demo's review wording: experts' opinions for the applicant and notes for the committee,
in French, in the voice of the Pôle Images' readers of interactive projects. Each recommendation
has its own opinions; the demo picks one per review, deterministically."""

from __future__ import annotations

from filiere.review.models import Recommendation

OPINIONS: dict[str, tuple[str, ...]] = {
    Recommendation.FUND: (
        "Un projet abouti, porté par une équipe qui a déjà livré des expériences comparables. "
        "La narration interactive est pensée dès l'écriture et non plaquée sur un récit "
        "linéaire ; le prototype présenté convainc. Le plan de financement est crédible et la "
        "diffusion en festival puis en ligne bien préparée.",
        "Une proposition singulière qui explore un genre encore peu représenté. Le dossier "
        "technique est solide, le calendrier réaliste, et l'ancrage régional (studio, "
        "comédiens, partenaires à Tourcoing et Lille) est réel. Nous recommandons le soutien.",
        "L'écriture est exigeante et le dispositif immersif sert le propos. Les tests "
        "utilisateurs déjà menés montrent une vraie attention au public. Budget cohérent, "
        "coproduction confirmée : le projet est prêt à entrer en production.",
    ),
    Recommendation.FUND_WITH_CHANGES: (
        "Le concept est fort et l'équipe compétente, mais le périmètre paraît ambitieux pour le "
        "budget présenté. Nous suggérons de resserrer le nombre de séquences interactives et de "
        "préciser le modèle de diffusion avant la mise en production.",
        "Un univers visuel remarquable ; en revanche, la mécanique d'interaction reste floue "
        "dans le dossier. Un prototype jouable, même court, et un calendrier détaillé des "
        "tests avec le public renforceraient beaucoup la demande.",
        "Projet intéressant, dont l'intention artistique est claire. Le plan de financement "
        "repose encore sur des apports non confirmés : le soutien gagnerait à être conditionné "
        "à la signature du coproducteur annoncé.",
    ),
    Recommendation.DO_NOT_FUND: (
        "Le dossier décrit une intention plus qu'un projet : l'interactivité n'est pas "
        "définie, le public visé reste vague et le budget ne détaille pas les postes de "
        "développement. Nous encourageons l'équipe à redéposer une version plus aboutie.",
        "L'expérience proposée ressemble de près à des productions existantes sans que la "
        "démarche s'en distingue. L'équipe technique n'est pas encore constituée et le "
        "calendrier semble irréaliste au regard des moyens annoncés.",
    ),
}

#: For the committee only, never shown to the applicant; one review in three carries one.
NOTES: tuple[str, ...] = (
    "J'ai croisé la productrice sur un autre projet il y a plusieurs années, sans lien "
    "actuel ; cela ne me semble pas constituer un conflit.",
    "Le montant demandé me paraît élevé au regard des dépenses éligibles dans la région ; à "
    "vérifier lors de l'instruction.",
    "Projet à suivre de près : l'équipe a déjà bénéficié d'une aide en 2007 dont le bilan "
    "n'apparaît pas dans le dossier.",
)

#: What each level of the 0-5 scale means, shown on the review form (one line per level).
GUIDANCE = "\n".join(
    (
        "0 : absent ou hors sujet",
        "1 : très insuffisant",
        "2 : insuffisant",
        "3 : correct",
        "4 : solide",
        "5 : remarquable",
    )
)

REOPEN_REASON = (
    "La note de faisabilité ne correspond pas à votre avis écrit : merci de vérifier avant la "
    "séance du comité."
)
