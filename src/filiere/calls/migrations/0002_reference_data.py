"""Genres, stages and document types every database starts with (staff can edit them)."""

from django.db import migrations

GENRES = [
    ("serious-game", "Serious game", "Serious game", "Serious game"),
    ("web-documentary", "Webdocumentaire", "Web documentary", "Webdocumentaire"),
    ("animation-series", "Série d'animation", "Animation series", "Animatiereeks"),
    ("local-documentary", "Documentaire de proximité", "Local documentary", "Lokale documentaire"),
    (
        "web-fiction-series",
        "Série de fiction courte pour Internet",
        "Short fiction series for the Internet",
        "Korte fictiereeks voor het internet",
    ),
    ("immersive-work", "Œuvre immersive (VR/AR/MR)", "Immersive work (VR/AR/MR)", "Immersief werk (VR/AR/MR)"),
    ("video-game", "Jeu vidéo", "Video game", "Videogame"),
]
STAGES = [
    ("writing", "Écriture", "Writing", "Scenario"),
    ("development", "Développement", "Development", "Ontwikkeling"),
    ("production", "Production", "Production", "Productie"),
]
DOCUMENT_TYPES = [
    ("synopsis", "Synopsis", "Synopsis", "Synopsis"),
    ("note-of-intent", "Note d'intention", "Note of intent", "Intentienota"),
    ("treatment", "Traitement", "Treatment", "Treatment"),
    ("script", "Scénario / continuité dialoguée", "Script", "Scenario"),
    ("bible", "Bible", "Series bible", "Bijbel"),
    ("storyboard", "Storyboard / animatique", "Storyboard / animatic", "Storyboard / animatic"),
    ("game-design-document", "Game design document", "Game design document", "Game design document"),
    ("pitch-video", "Vidéo de pitch (lien)", "Pitch video (link)", "Pitchvideo (link)"),
    ("budget", "Devis", "Budget", "Begroting"),
    ("financing-plan", "Plan de financement", "Financing plan", "Financieringsplan"),
    ("financing-proof", "Justificatifs de financement", "Financing proof", "Financieringsbewijzen"),
    ("regional-spend", "Estimation des dépenses en région", "Regional spend estimate", "Raming regionale uitgaven"),
    ("schedule", "Calendrier", "Schedule", "Planning"),
    ("cv", "CV / filmographies", "CVs / filmographies", "Cv's / filmografieën"),
    ("company-extract", "Extrait Kbis / BCE", "Company extract (Kbis / BCE)", "Uittreksel KBO / Kbis"),
    ("rights-contract", "Contrat d'option ou de cession de droits", "Option or rights contract", "Optie- of rechtencontract"),
    ("coproduction-contract", "Contrat de coproduction", "Co-production contract", "Coproductiecontract"),
    ("broadcaster-letter", "Lettre d'engagement diffuseur", "Broadcaster commitment letter", "Engagementsbrief omroep"),
    ("bank-details", "RIB / attestation bancaire", "Bank details", "Bankattest"),
    ("de-minimis", "Attestation sur l'honneur (de minimis)", "Statement on honour (de minimis)", "Verklaring op eer (de minimis)"),
]


def load(apps, schema_editor):
    for model_name, rows in (("Genre", GENRES), ("Stage", STAGES), ("DocumentType", DOCUMENT_TYPES)):
        model = apps.get_model("calls", model_name)
        for order, (code, fr, en, nl) in enumerate(rows):
            model.objects.update_or_create(
                code=code,
                defaults={"label_fr": fr, "label_en": en, "label_nl": nl, "sort_order": order},
            )


def unload(apps, schema_editor):
    for model_name, rows in (("Genre", GENRES), ("Stage", STAGES), ("DocumentType", DOCUMENT_TYPES)):
        apps.get_model("calls", model_name).objects.filter(code__in=[r[0] for r in rows]).delete()


class Migration(migrations.Migration):
    dependencies = [("calls", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
