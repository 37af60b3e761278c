import GRDB

extension SQLiteStore {
    /// Schema migrations, from day one. They never depend on app types: plain SQL only.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: outbox and engine checkpoint") { db in
            try db.execute(
                sql: """
                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        receiver TEXT NOT NULL,
                        idempotency_key TEXT NOT NULL UNIQUE,
                        payload BLOB NOT NULL,
                        created_at REAL NOT NULL,
                        next_attempt_at REAL NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
                        delivered_at REAL,
                        last_result TEXT
                    );
                    CREATE INDEX outbox_pending ON outbox (state, receiver, id);
                    CREATE TABLE engine_checkpoint (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        taken_at REAL NOT NULL,
                        data BLOB NOT NULL
                    );
                    """
            )
        }
        return migrator
    }
}
