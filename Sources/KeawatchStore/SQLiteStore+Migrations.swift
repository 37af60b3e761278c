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
        migrator.registerMigration("v2: silences and state history") { db in
            try db.execute(
                sql: """
                    CREATE TABLE silences (
                        id TEXT PRIMARY KEY,
                        matchers TEXT NOT NULL,
                        comment TEXT NOT NULL,
                        created_by TEXT NOT NULL,
                        starts_at REAL NOT NULL,
                        ends_at REAL NOT NULL
                    );
                    CREATE TABLE state_history (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        target TEXT NOT NULL,
                        at REAL NOT NULL,
                        summary TEXT NOT NULL
                    );
                    CREATE INDEX state_history_target ON state_history (target, at);
                    CREATE INDEX state_history_at ON state_history (at);
                    """
            )
        }
        return migrator
    }
}
