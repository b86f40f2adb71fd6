-- Agents belong to services (Population, Urbanisme, …): they see and process only the
-- requests of their services. A request belongs to the service of its procedure when it
-- was started.
ALTER TABLE request ADD COLUMN service TEXT;
UPDATE request SET service = CASE procedure_code
    WHEN 'autorisation-enseigne' THEN 'urbanisme'
    WHEN 'autorisation-evenement' THEN 'evenements'
    WHEN 'autorisation-terrasse' THEN 'economie'
    WHEN 'carte-stationnement-riverain' THEN 'mobilite'
    WHEN 'changement-adresse' THEN 'population'
    WHEN 'composition-menage' THEN 'population'
    WHEN 'demande-subside' THEN 'vie-associative'
    WHEN 'occupation-voie-publique' THEN 'voirie'
    WHEN 'reservation-salle' THEN 'salles'
END;
CREATE INDEX request_service ON request (service, status, submitted_at);

CREATE TABLE agent_service (
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    service TEXT NOT NULL,
    PRIMARY KEY (account_id, service)
);
-- The agents there were saw every request: they keep every service until they are given
-- their own (`server agent add <email> <service>…`).
INSERT INTO agent_service (account_id, service)
SELECT a.id, s.service FROM account a CROSS JOIN (
    SELECT 'urbanisme' AS service UNION ALL SELECT 'evenements' UNION ALL SELECT 'economie'
    UNION ALL SELECT 'mobilite' UNION ALL SELECT 'population' UNION ALL SELECT 'vie-associative'
    UNION ALL SELECT 'voirie' UNION ALL SELECT 'salles'
) s WHERE a.is_agent <> 0;
