-- Imported statements keep the consent scopes they were imported with: a Polis export (or any public view)
-- uses an imported statement only under those scopes. Statements imported before this column existed
-- have unknown scopes (NULL) and are used under none.
ALTER TABLE statements ADD COLUMN import_scopes text[];
