-- The day a credential's listing last changed (its row, standards, funding or intakes), as
-- the import saw it: the sitemap's <lastmod>. Rows already here count as changed today.
ALTER TABLE credentials ADD COLUMN updated_on TEXT NOT NULL DEFAULT '';
UPDATE credentials SET updated_on = to_char(CURRENT_DATE, 'YYYY-MM-DD');
