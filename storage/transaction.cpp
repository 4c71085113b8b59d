#include "storage/transaction.h"

#include "storage/database.h"

#include <utility>

namespace folio::storage {

Result<Transaction> Transaction::begin(Database& db)
{
    if (db.inTransaction())
        return makeError("Internal error: a transaction is already open on " + db.path().toStdString());
    // IMMEDIATE takes the write lock now, where the busy timeout applies; a deferred
    // transaction that upgrades later can fail with SQLITE_BUSY without waiting in WAL mode.
    if (auto r = db.exec(QStringLiteral("BEGIN IMMEDIATE")); !r)
        return makeError(r.error());
    return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
{
}

Transaction::~Transaction()
{
    // Some errors (SQLITE_FULL among them) make SQLite roll back by itself; only roll back
    // what is still open, so the destructor never reports a second, misleading error.
    if (m_db && m_db->inTransaction())
        (void)m_db->exec(QStringLiteral("ROLLBACK"));
}

Result<void> Transaction::commit()
{
    if (!m_db)
        return makeError("Internal error: commit() on a finished transaction");
    if (auto r = m_db->exec(QStringLiteral("COMMIT")); !r)
        return r;
    m_db = nullptr;
    return {};
}

} // namespace folio::storage
