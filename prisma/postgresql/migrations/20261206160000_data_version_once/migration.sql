-- The archive's version moves once per writing transaction, not once per
-- statement: ingest writes thousands of statements in a transaction, and each
-- update of the one data_version row left a version of it that the next had
-- to step over (5,000 messages of the bench corpus ingested in 19.0 and
-- 19.7 s, against 15.4 and 13.1 s once per transaction, on a busy machine).
-- The transaction remembers that it moved it (set_config, local to the
-- transaction, undone with a rolled-back savepoint as the update is).
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('threadlab.data_version_moved', true) IS DISTINCT FROM 'yes' THEN
        UPDATE data_version SET n = n + 1 WHERE id = 1;
        PERFORM set_config('threadlab.data_version_moved', 'yes', true);
    END IF;
    RETURN NULL;
END
$$;
