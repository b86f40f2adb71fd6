-- The dashboard reads its counts (by status and procedure, and how many were filed by the
-- moment its page numbers count from) from an index alone, and the requests whose
-- documents are asked for, longest waiting first, without sorting them.
DROP INDEX request_organisation_status;
CREATE INDEX request_organisation_status ON request (organisation_id, status, procedure_code, submitted_at);
DROP INDEX request_citizen_status;
CREATE INDEX request_citizen_status ON request (account_id, organisation_id, status, procedure_code, submitted_at);
CREATE INDEX request_documents_asked_org ON request (organisation_id, updated_at)
    WHERE status = 'documents_requested';
CREATE INDEX request_documents_asked_citizen ON request (account_id, organisation_id, updated_at)
    WHERE status = 'documents_requested';
