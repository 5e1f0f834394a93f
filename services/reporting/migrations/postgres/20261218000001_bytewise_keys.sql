-- The aggregates' keys, which reads filter by range (months), group and sort, compare byte by
-- byte: under the database's collation (a linguistic one, or C.UTF-8) each comparison went
-- through the C library's strcoll, the most of PostgreSQL's time in GetIndicators and
-- ListCommitments. The keys are ASCII names, months and codes; bytewise they sort as they do
-- on SQLite, which compares text so already (and skips these statements).
ALTER TABLE rp_cells ALTER COLUMN indicator TYPE TEXT COLLATE "C", ALTER COLUMN dimension TYPE TEXT COLLATE "C", ALTER COLUMN month TYPE TEXT COLLATE "C", ALTER COLUMN grp TYPE TEXT COLLATE "C";
ALTER TABLE rp_milestone_totals ALTER COLUMN indicator TYPE TEXT COLLATE "C", ALTER COLUMN milestone_ref TYPE TEXT COLLATE "C", ALTER COLUMN kind TYPE TEXT COLLATE "C";
