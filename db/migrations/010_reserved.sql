-- Reserved: migration 010 comes from a parallel change; this empty placeholder
-- keeps the numbers contiguous until it is merged, and is removed then.
SELECT 1;
