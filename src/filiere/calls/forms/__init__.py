"""Forms of the calls app, one module per part (design, applicant, staff)."""
