"""URL patterns of the calls app's staff pages (merged into the `calls` namespace)."""

from django.urls import path

from . import audit, design, instruction, instruction_applicant

_DESIGN = "design/calls/<int:pk>/"
_CALL = "instruction/<slug:slug>/"
_APP = _CALL + "applications/<str:reference>/"
_TEAM = "applications/<str:reference>/"  # the applicant team's side of the messages

urlpatterns: list = [
    # --- call design
    path("design/funds/", design.funds, name="design_funds"),
    path("design/funds/<int:pk>/", design.fund_edit, name="design_fund_edit"),
    path("design/calls/", design.calls, name="design_calls"),
    path("design/calls/new/", design.call_create, name="design_call_create"),
    path(_DESIGN, design.call_overview, name="design_call"),
    path(_DESIGN + "general/", design.call_edit, name="design_call_edit"),
    path(_DESIGN + "cofunders/", design.call_cofunders, name="design_call_cofunders"),
    path(_DESIGN + "criteria/", design.call_criteria, name="design_call_criteria"),
    path(_DESIGN + "documents/", design.call_documents, name="design_call_documents"),
    path(_DESIGN + "questions/", design.call_questions, name="design_call_questions"),
    path(_DESIGN + "rules/", design.call_rules, name="design_call_rules"),
    path(_DESIGN + "publish/", design.call_publish, name="design_call_publish"),
    path(_DESIGN + "clone/", design.call_clone, name="design_call_clone"),
    # --- instruction
    path("instruction/", instruction.instructed_calls, name="staff_calls"),
    path(_CALL + "applications/", instruction.application_list, name="staff_applications"),
    path(_CALL + "bulk/", instruction.bulk_action, name="staff_bulk"),
    path(_CALL + "export.<str:kind>", instruction.export_list, name="staff_export_list"),
    path(_CALL + "filters/", instruction.save_filter, name="staff_save_filter"),
    path(_CALL + "filters/<int:pk>/delete/", instruction.delete_filter, name="staff_delete_filter"),
    path(_CALL + "documents-zip/", instruction.documents_zip, name="staff_documents_zip"),
    path(_CALL + "exports/<int:pk>/", instruction.export_job, name="staff_export"),
    path(
        _CALL + "exports/<int:pk>/download/",
        instruction.export_download,
        name="staff_export_download",
    ),
    path(_APP, instruction.application_detail, name="staff_application"),
    path(_APP + "decision/", instruction.decide, name="staff_decide"),
    path(_APP + "correction/", instruction.request_correction, name="staff_request_correction"),
    path(_APP + "transition/", instruction.fire_transition, name="staff_transition"),
    path(_APP + "messages/", instruction.post_message, name="staff_post_message"),
    path(
        _APP + "messages/<int:pk>/attachment/",
        instruction.message_attachment,
        name="staff_message_attachment",
    ),
    path(_APP + "notes/", instruction.add_note, name="staff_add_note"),
    path(_APP + "labels/", instruction.add_label, name="staff_add_label"),
    path(_APP + "labels/<int:pk>/remove/", instruction.remove_label, name="staff_remove_label"),
    path(_APP + "dossier.pdf", instruction.dossier_pdf, name="staff_dossier_pdf"),
    # The applicant team's side of the messages (a team member; 404 for anyone else).
    path(_TEAM + "messages/", instruction_applicant.messages_page, name="application_messages"),
    path(
        _TEAM + "messages/<int:pk>/attachment/",
        instruction_applicant.message_attachment,
        name="application_message_attachment",
    ),
    # --- audit log (read-only)
    path("instruction/audit/", audit.audit_log, name="staff_audit"),
]
