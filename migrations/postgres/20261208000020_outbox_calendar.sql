-- The calendar invitation a message carries, named apart from its text ("request:42",
-- "cancel:42": registration 42's seat). The worker writes the iCalendar part from the
-- registration and its intake as they are when it sends, so a message queued before the
-- intake moved still carries the latest dates and the highest SEQUENCE.
ALTER TABLE outbox ADD COLUMN calendar TEXT;
