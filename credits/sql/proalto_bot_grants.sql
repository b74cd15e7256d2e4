-- The bot's login role: SELECT on proalto_bot and nothing else (run as the schema's owner;
-- choose the password, and require TLS for it in pg_hba.conf: `hostssl ... proalto_bot_reader`).
-- The bot also opens every transaction READ ONLY; the grants are what make it impossible.
CREATE ROLE proalto_bot_reader LOGIN;  -- ALTER ROLE proalto_bot_reader PASSWORD '...';
ALTER ROLE proalto_bot_reader SET default_transaction_read_only = on;
REVOKE ALL ON SCHEMA proalto_bot FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA proalto_bot FROM PUBLIC;
GRANT USAGE ON SCHEMA proalto_bot TO proalto_bot_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA proalto_bot TO proalto_bot_reader;
-- Relations added to the schema later need their own GRANT SELECT (or, as the owner:
-- ALTER DEFAULT PRIVILEGES IN SCHEMA proalto_bot GRANT SELECT ON TABLES TO proalto_bot_reader).
