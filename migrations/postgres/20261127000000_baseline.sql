-- Baseline of the espace personnel schema. Each feature adds its own tables in a migration
-- of its own, written once per backend (this folder and its sibling); an applied migration
-- is never edited.
SELECT 1;
