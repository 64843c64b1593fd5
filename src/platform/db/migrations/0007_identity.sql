-- Integrity: invitations that run out, participants who say how they joined, imported contributors in
-- their own namespace, and organisers who cannot be demoted.

-- Invitations: an organiser can revoke a link; uses and max_uses already exist (0001).
ALTER TABLE invitations ADD COLUMN revoked_at timestamptz;
CREATE INDEX invitations_evaluation_idx ON invitations (evaluation_id, created_at);

-- How a participant joined, which is the identity assurance their ballots and signatures carry:
-- open_link (multi-use invitation), personal_link (single-use invitation), verified_account (a full
-- account with an e-mail), imported (a pseudo-participant of an imported file: never a voter).
ALTER TABLE participants ADD COLUMN imported boolean NOT NULL DEFAULT false;
ALTER TABLE participants ADD COLUMN assurance text NOT NULL DEFAULT 'open_link'
  CHECK (assurance IN ('open_link', 'personal_link', 'verified_account', 'imported'));
ALTER TABLE participants ADD COLUMN invitation_token text REFERENCES invitations (token) ON DELETE SET NULL;

-- Existing rows: participants without an account came from imports; those with a full account are verified.
UPDATE participants SET imported = true, assurance = 'imported' WHERE user_id IS NULL;
UPDATE participants p SET assurance = 'verified_account' FROM "user" u
 WHERE p.user_id = u.id AND u."isAnonymous" IS NOT TRUE AND NOT p.imported;
ALTER TABLE participants ADD CONSTRAINT participants_imported_assurance CHECK (imported = (assurance = 'imported'));

-- Two pseudonym namespaces: an imported name never matches a participant who joined.
ALTER TABLE participants DROP CONSTRAINT participants_evaluation_id_pseudonym_key;
CREATE UNIQUE INDEX participants_joined_pseudonym_key ON participants (evaluation_id, pseudonym) WHERE NOT imported;
CREATE UNIQUE INDEX participants_imported_pseudonym_key ON participants (evaluation_id, pseudonym) WHERE imported;

-- An organiser is never demoted (a later invitation or grant cannot overwrite the role).
CREATE FUNCTION evaluation_roles_no_demotion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.role = 'organiser' AND NEW.role <> 'organiser' THEN
    RAISE EXCEPTION 'an organiser cannot be demoted' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER evaluation_roles_no_demotion BEFORE UPDATE ON evaluation_roles FOR EACH ROW EXECUTE FUNCTION evaluation_roles_no_demotion();
