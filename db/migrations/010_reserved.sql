-- Reserved: this number belongs to a migration of a change not yet merged.
-- The file keeps the sequence contiguous (tern refuses gaps) and is
-- replaced by that migration when it lands.
SELECT 1;
