-- Every stored upload the database knows, with the SHA-256 it recorded at upload time:
-- "path<TAB>sha256" lines for files_backup.py (restore --expected, check --expected).
--   psql -X -At -F "$(printf '\t')" -f file-references.sql > expected.tsv  (check-files.sh does it)
-- Keep in step with the models: tests/backup/test_file_references.py fails when a FileField
-- with a recorded SHA-256 is missing here.
SELECT file, sha256 FROM calls_document WHERE file <> '' AND sha256 <> ''
UNION ALL
SELECT attachment, attachment_sha256 FROM calls_message
  WHERE attachment <> '' AND attachment_sha256 <> ''
UNION ALL
SELECT rules_pdf, rules_pdf_sha256 FROM calls_call WHERE rules_pdf <> '' AND rules_pdf_sha256 <> ''
UNION ALL
SELECT signed_copy, signed_copy_sha256 FROM awards_agreement
  WHERE signed_copy <> '' AND signed_copy_sha256 <> ''
UNION ALL
SELECT file, sha256 FROM awards_paymentproof WHERE file <> '' AND sha256 <> ''
UNION ALL
SELECT file, sha256 FROM awards_report WHERE file <> '' AND sha256 <> ''
ORDER BY 1;
